package live

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

const lighthouseText = "Mara Quill became keeper of the Gull Rock lighthouse in 1887.\n\nShe trimmed the wick at dusk.\n"

func TestReindexReportsTheDiff(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText, "lighthouse.txt": lighthouseText})
	l := openLibrary(t, Config{CorpusDir: dir})
	before := l.Info()

	if err := os.WriteFile(filepath.Join(dir, "harbour.txt"), []byte(harbourText), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "orchard.txt"), []byte(orchardText+"\nHobb kept bees too.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "lighthouse.txt")); err != nil {
		t.Fatal(err)
	}
	check := func(rep answer.ChangeReport, dry bool) {
		t.Helper()
		if rep.DryRun != dry || !slices.Equal(rep.Added, []string{"harbour"}) ||
			!slices.Equal(rep.Changed, []string{"orchard"}) || !slices.Equal(rep.Removed, []string{"lighthouse"}) ||
			rep.Documents != 2 || rep.Passages < 3 {
			t.Errorf("report = %+v, want harbour added, orchard changed, lighthouse removed, 2 documents", rep)
		}
	}
	rep, err := l.Reindex(context.Background(), shell, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	check(rep, true)
	if after := l.Info(); after.Fingerprint != before.Fingerprint || after.LastChange != nil {
		t.Errorf("a dry run changed what is served: %+v", after)
	}
	if _, doc := mustAnswer(t, l, "Who was the harbour master?"); doc == "harbour" {
		t.Error("a dry run swapped the new corpus in")
	}

	rep, err = l.Reindex(context.Background(), shell, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	check(rep, false)
	if _, doc := mustAnswer(t, l, "Who was the harbour master?"); doc != "harbour" {
		t.Errorf("after the reindex the harbour master is answered from %q", doc)
	}
	if text, _ := mustAnswer(t, l, "When did Mara Quill become keeper?"); text != "" {
		t.Errorf("a removed document still answers: %q", text)
	}
	info := l.Info()
	if info.Documents != 2 || info.Folder != dir || info.LastChange == nil || info.LastChange.Action != answer.ActionReindex {
		t.Errorf("Info = %+v", info)
	}
}

// blockBuild returns a progress function that, on its first call, says so
// on started and waits for release to close.
func blockBuild(started chan<- struct{}, release <-chan struct{}) func(answer.Progress) {
	first := true
	return func(answer.Progress) {
		if first {
			first = false
			close(started)
			<-release
		}
	}
}

func TestOneChangeAtATime(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText, "lighthouse.txt": lighthouseText})
	l := openLibrary(t, Config{CorpusDir: dir})
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := l.Reindex(ctx, shell, false, blockBuild(started, release))
		done <- err
	}()
	<-started
	if _, err := l.Reindex(ctx, shell, false, nil); !errors.Is(err, answer.ErrChangeRunning) {
		t.Errorf("second Reindex: %v, want ErrChangeRunning", err)
	}
	if _, err := l.Reindex(ctx, shell, true, nil); !errors.Is(err, answer.ErrChangeRunning) {
		t.Errorf("dry run during a Reindex: %v, want ErrChangeRunning", err)
	}
	if _, err := l.AddDocument(ctx, shell, "harbour.txt", []byte(harbourText), false, nil); !errors.Is(err, answer.ErrChangeRunning) {
		t.Errorf("AddDocument during a Reindex: %v, want ErrChangeRunning", err)
	}
	if _, err := l.RemoveDocument(ctx, shell, "orchard", nil); !errors.Is(err, answer.ErrChangeRunning) {
		t.Errorf("RemoveDocument during a Reindex: %v, want ErrChangeRunning", err)
	}
	// Questions are answered while the build waits.
	if text, _ := mustAnswer(t, l, "What was the miller called?"); !strings.Contains(text, "Hobb") {
		t.Errorf("during the build: %q", text)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "harbour.txt")); !os.IsNotExist(err) {
		t.Errorf("the refused upload was written: %v", err)
	}
	if _, err := l.Reindex(ctx, shell, false, nil); err != nil {
		t.Errorf("Reindex after the first finished: %v", err)
	}
}

func TestFailedReindexKeepsServing(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(t *testing.T, dir string) context.Context
		want   string
	}{
		{"cancelled", func(t *testing.T, dir string) context.Context {
			os.WriteFile(filepath.Join(dir, "harbour.txt"), []byte(harbourText), 0o644)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, "context canceled"},
		{"folder gone", func(t *testing.T, dir string) context.Context {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			return context.Background()
		}, "no such file"},
		{"no documents left", func(t *testing.T, dir string) context.Context {
			os.Remove(filepath.Join(dir, "orchard.txt"))
			os.Remove(filepath.Join(dir, "lighthouse.txt"))
			return context.Background()
		}, "no documents"},
		{"unreadable file", func(t *testing.T, dir string) context.Context {
			p := filepath.Join(dir, "harbour.txt")
			os.WriteFile(p, []byte(harbourText), 0o000)
			return context.Background()
		}, "harbour.txt: unreadable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "unreadable file" && os.Geteuid() == 0 {
				// Root reads a file of mode 000: the test runs again as a
				// user whom its permissions stop.
				asNobody(t)
				return
			}
			dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText, "lighthouse.txt": lighthouseText})
			l := openLibrary(t, Config{CorpusDir: dir})
			before := l.Info()
			ctx := tt.break_(t, dir)
			_, err := l.Reindex(ctx, shell, false, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Reindex: %v, want an error saying %q", err, tt.want)
			}
			if text, _ := mustAnswer(t, l, "What was the miller called?"); !strings.Contains(text, "Hobb") {
				t.Errorf("after the failed rebuild: %q", text)
			}
			info := l.Info()
			if info.Fingerprint != before.Fingerprint {
				t.Error("the failed rebuild changed the corpus served")
			}
			if lc := info.LastChange; lc == nil || lc.OK || !strings.Contains(lc.Error, tt.want) {
				t.Errorf("last change = %+v, want the failure", lc)
			}
		})
	}
}

func TestAddDocumentRefusedOrRolledBack(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText, "lighthouse.txt": lighthouseText})
	l := openLibrary(t, Config{CorpusDir: dir})
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		file    string
		data    string
		replace bool
		problem corpus.Problem // a refusal by corpus.Check
		is      error
		want    string
	}{
		{name: "path", file: "../escape.txt", data: harbourText, problem: corpus.BadName},
		{name: "hidden", file: ".harbour.txt", data: harbourText, problem: corpus.Hidden},
		{name: "type", file: "harbour.pdf", data: harbourText, problem: corpus.WrongType},
		{name: "binary", file: "harbour.txt", data: "The\x00harbour", problem: corpus.Binary},
		{name: "not UTF-8", file: "harbour.txt", data: "caf\xe9", problem: corpus.NotUTF8},
		{name: "too large", file: "harbour.txt", data: strings.Repeat("a", corpus.MaxFileSize+1), problem: corpus.TooLarge},
		{name: "exists", file: "orchard.txt", data: harbourText, is: answer.ErrDocumentExists},
		{name: "same ID", file: "orchard.md", data: harbourText, replace: true, is: answer.ErrDocumentExists},
		{name: "no text", file: "harbour.md", data: "---\ntitle: Empty\n---\n", want: "harbour.md"},
		{name: "new, cancelled", ctx: cancelled, file: "harbour.txt", data: harbourText, is: context.Canceled},
		{name: "replace, cancelled", ctx: cancelled, file: "orchard.txt", data: harbourText, replace: true, is: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ctx == nil {
				tt.ctx = ctx
			}
			before := l.Info().Fingerprint
			_, err := l.AddDocument(tt.ctx, shell, tt.file, []byte(tt.data), tt.replace, nil)
			var de *corpus.DocumentError
			switch {
			case err == nil:
				t.Fatal("AddDocument succeeded")
			case tt.problem != 0 && (!errors.As(err, &de) || de.Problem != tt.problem):
				t.Errorf("AddDocument: %v, want a DocumentError of problem %d", err, tt.problem)
			case tt.is != nil && !errors.Is(err, tt.is):
				t.Errorf("AddDocument: %v, want %v", err, tt.is)
			case !strings.Contains(err.Error(), tt.want):
				t.Errorf("AddDocument: %v, want it to say %q", err, tt.want)
			}
			assertFolder(t, dir, map[string]string{"orchard.txt": orchardText, "lighthouse.txt": lighthouseText})
			if l.Info().Fingerprint != before {
				t.Error("the corpus served changed")
			}
			if lc := l.Info().LastChange; lc == nil || lc.OK || lc.Target != tt.file {
				t.Errorf("last change = %+v, want the failure", lc)
			}
		})
	}
}

// assertFolder checks that dir holds exactly files, and nothing else.
func assertFolder(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		want, ok := files[e.Name()]
		if !ok {
			t.Errorf("%s holds %s, not expected", dir, e.Name())
			continue
		}
		if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err != nil || string(b) != want {
			t.Errorf("%s = %.40q…, %v; want %.40q…", e.Name(), b, err, want)
		}
	}
	if len(names) != len(files) {
		t.Errorf("%s holds %q, want %d files", dir, names, len(files))
	}
}

func TestReplaceAndRemove(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText, "lighthouse.txt": lighthouseText})
	var told []string
	l := openLibrary(t, Config{CorpusDir: dir, OnChange: func(ch answer.Change) {
		told = append(told, fmt.Sprintf("%s %s %v", ch.Action, ch.Target, ch.OK))
	}})
	defer func() {
		want := []string{"replace orchard.txt true", "remove nothing false", "remove orchard true", "remove lighthouse false"}
		if !slices.Equal(told, want) {
			t.Errorf("OnChange told %q, want %q", told, want)
		}
	}()
	ctx := context.Background()
	var reports []answer.Progress
	rep, err := l.AddDocument(ctx, shell, "orchard.txt", []byte(strings.ReplaceAll(orchardText, "Hobb", "Odo")), true,
		func(p answer.Progress) { reports = append(reports, p) })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Changed, []string{"orchard"}) || rep.Added != nil {
		t.Errorf("replace report = %+v", rep)
	}
	if len(reports) == 0 || reports[len(reports)-1].Documents != 2 || reports[len(reports)-1].TotalDocuments != 2 {
		t.Errorf("progress = %+v, want it to end with 2 of 2 documents", reports)
	}
	if text, _ := mustAnswer(t, l, "What was the miller called?"); !strings.Contains(text, "Odo") {
		t.Errorf("after the replace: %q", text)
	}
	if lc := l.Info().LastChange; lc == nil || lc.Action != answer.ActionReplace {
		t.Errorf("last change = %+v", lc)
	}

	if _, err := l.RemoveDocument(ctx, shell, "nothing", nil); !errors.Is(err, answer.ErrNoDocument) {
		t.Errorf("remove an unknown ID: %v, want ErrNoDocument", err)
	}
	rep, err = l.RemoveDocument(ctx, shell, "orchard", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Removed, []string{"orchard"}) || rep.Documents != 1 {
		t.Errorf("remove report = %+v", rep)
	}
	assertFolder(t, dir, map[string]string{"lighthouse.txt": lighthouseText})
	if text, _ := mustAnswer(t, l, "What was the miller called?"); text != "" {
		t.Errorf("a removed document answers: %q", text)
	}
	// The last document cannot go: the folder is put back.
	if _, err := l.RemoveDocument(ctx, shell, "lighthouse", nil); !errors.Is(err, corpus.ErrNoDocuments) {
		t.Errorf("remove the last document: %v, want ErrNoDocuments", err)
	}
	assertFolder(t, dir, map[string]string{"lighthouse.txt": lighthouseText})
	if text, _ := mustAnswer(t, l, "When did Mara Quill become keeper?"); !strings.Contains(text, "1887") {
		t.Errorf("after the failed removal: %q", text)
	}
}

func TestDocuments(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText, "lighthouse.md": "# The Keeper\n\n" + lighthouseText})
	when := time.Date(2020, 5, 1, 12, 0, 0, 0, time.UTC)
	os.Chtimes(filepath.Join(dir, "orchard.txt"), when, when)
	l := openLibrary(t, Config{CorpusDir: dir})
	docs := l.Documents()
	if len(docs) != 2 {
		t.Fatalf("Documents = %+v", docs)
	}
	lh, or := docs[0], docs[1]
	if lh.ID != "lighthouse" || lh.Title != "The Keeper" || lh.Passages != 2 || lh.Size != int64(len("# The Keeper\n\n"+lighthouseText)) {
		t.Errorf("lighthouse = %+v", lh)
	}
	if or.ID != "orchard" || or.Size != int64(len(orchardText)) || !or.Modified.Equal(when) || or.Passages != 1 {
		t.Errorf("orchard = %+v", or)
	}
}

// With no corpus configured, the embedded story is served until the first
// change, which seeds the data folder's corpus folder; from then on, and
// after a restart, that folder is the corpus.
func TestFirstChangeSeedsTheCorpusFolder(t *testing.T) {
	data := t.TempDir()
	l := openLibrary(t, Config{DataDir: data})
	if info := l.Info(); info.Folder != "" || info.Documents != 1 {
		t.Fatalf("before any change: %+v, want the embedded story", info)
	}
	story := l.Documents()
	if _, err := l.AddDocument(context.Background(), shell, "harbour.txt", []byte(harbourText), false, nil); err != nil {
		t.Fatal(err)
	}
	seeded := filepath.Join(data, corpus.SeedFolder)
	if got := l.Info().Folder; got != seeded {
		t.Errorf("Folder = %q, want %q", got, seeded)
	}
	for _, name := range []string{"story.txt", corpus.SynonymsFile, "harbour.txt"} {
		if _, err := os.Stat(filepath.Join(seeded, name)); err != nil {
			t.Errorf("seeded folder: %v", err)
		}
	}
	if got := corpus.Locate("", data); got != seeded {
		t.Errorf("Locate = %q, want the seeded folder", got)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	l2 := openLibrary(t, Config{DataDir: data})
	info := l2.Info()
	if info.Folder != seeded || info.Documents != 2 {
		t.Errorf("after a restart: %+v", info)
	}
	if lc := info.LastChange; lc == nil || lc.Target != "harbour.txt" || !lc.OK {
		t.Errorf("last change after a restart = %+v", lc)
	}
	docs := l2.Documents()
	if docs[1].ID != "story" || docs[1].Passages != story[0].Passages || docs[1].Title != story[0].Title {
		t.Errorf("the seeded story = %+v, want it as embedded: %+v", docs[1], story[0])
	}
	if _, err := l2.RemoveDocument(context.Background(), shell, "harbour", nil); err != nil {
		t.Fatal(err)
	}
	if info := l2.Info(); info.Folder != seeded || info.Documents != 1 {
		t.Errorf("after the removal: %+v", info)
	}
}

// A process serving notices an index another switched to, and serves it.
func TestPollSwapsToAnotherProcessIndex(t *testing.T) {
	data := t.TempDir()
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText})
	a := openLibrary(t, Config{CorpusDir: dir, DataDir: data})
	b := openLibrary(t, Config{CorpusDir: dir, DataDir: data})
	if _, err := b.AddDocument(context.Background(), shell, "harbour.txt", []byte(harbourText), false, nil); err != nil {
		t.Fatal(err)
	}
	if _, doc := mustAnswer(t, a, "Who was the harbour master?"); doc == "harbour" {
		t.Fatal("answered from the new index before looking")
	}
	a.poll(context.Background())
	if _, doc := mustAnswer(t, a, "Who was the harbour master?"); doc != "harbour" {
		t.Errorf("after polling, answered from %q", doc)
	}
	if lc := a.Info().LastChange; lc == nil || lc.Target != "harbour.txt" {
		t.Errorf("last change = %+v, want the other process's", lc)
	}
	before := a.cur.Load()
	a.poll(context.Background())
	if a.cur.Load() != before {
		t.Error("polling with nothing new swapped the engine")
	}
}

func TestWatch(t *testing.T) {
	data := t.TempDir()
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText})
	a := openLibrary(t, Config{CorpusDir: dir, DataDir: data, PollEvery: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { a.Watch(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()

	os.WriteFile(filepath.Join(dir, "harbour.txt"), []byte(harbourText), 0o644)
	c, err := corpus.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(context.Background(), data, c, a.log, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, doc := mustAnswer(t, a, "Who was the harbour master?"); doc == "harbour" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Watch did not swap to the new index")
		}
		time.Sleep(time.Millisecond)
	}
}

// storybot index from a shell reports what changed since the index in
// service was built, records the change, and a library serving the corpus
// swaps to it.
func TestRebuildFromAShell(t *testing.T) {
	data := t.TempDir()
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText, "lighthouse.txt": lighthouseText})
	served := openLibrary(t, Config{CorpusDir: dir, DataDir: data})
	os.WriteFile(filepath.Join(dir, "harbour.txt"), []byte(harbourText), 0o644)
	os.Remove(filepath.Join(dir, "lighthouse.txt"))
	cfg := Config{CorpusDir: dir, DataDir: data}
	for _, dry := range []bool{true, false} {
		rep, err := Rebuild(context.Background(), cfg, shell, dry, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.DryRun != dry || !slices.Equal(rep.Added, []string{"harbour"}) || !slices.Equal(rep.Removed, []string{"lighthouse"}) ||
			rep.Changed != nil || rep.Documents != 2 {
			t.Errorf("dry run %v: report = %+v", dry, rep)
		}
		if lc, _ := served.changes.readLast(); (lc != nil) == dry {
			t.Errorf("dry run %v: change log's last = %+v", dry, lc)
		}
	}
	served.poll(context.Background())
	if _, doc := mustAnswer(t, served, "Who was the harbour master?"); doc != "harbour" {
		t.Errorf("the library serving answers from %q", doc)
	}
	if lc := served.Info().LastChange; lc == nil || lc.Who != shell || lc.Action != answer.ActionReindex || !lc.OK {
		t.Errorf("last change = %+v", lc)
	}
	// Nothing changed since: nothing to report.
	rep, err := Rebuild(context.Background(), cfg, shell, false, nil)
	if err != nil || rep.Added != nil || rep.Changed != nil || rep.Removed != nil {
		t.Errorf("second rebuild: %+v, %v", rep, err)
	}
}

// A change asked for while Watch swaps in another process's index waits for
// the swap; it is not refused as if another change were running.
func TestChangeWaitsForAWatchSwap(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText})
	l := openLibrary(t, Config{CorpusDir: dir})
	l.change.Lock() // as poll does while it swaps
	done := make(chan error, 1)
	go func() {
		_, err := l.Reindex(context.Background(), shell, false, nil)
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !l.busy.Load() {
		select {
		case err := <-done:
			l.change.Unlock()
			t.Fatalf("Reindex during a swap: %v, want it to wait", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("Reindex did not start")
		}
		time.Sleep(time.Millisecond)
	}
	l.change.Unlock()
	if err := <-done; err != nil {
		t.Errorf("Reindex after the swap: %v", err)
	}
}
