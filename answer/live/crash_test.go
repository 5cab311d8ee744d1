package live

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// The crash test runs the test binary again with childRole set: the child
// changes the corpus over and over (childMain), saying on its standard
// output what it is about to do, and the test kills it at one of those
// moments.
const (
	childRole   = "STORYBOT_LIVE_TEST_CHILD"
	childData   = "STORYBOT_LIVE_TEST_DATA"
	childCorpus = "STORYBOT_LIVE_TEST_CORPUS"
)

// childDeadline bounds how long the test waits for a child: far beyond what
// any step takes, short of the test binary's own timeout.
const childDeadline = 60 * time.Second

func TestMain(m *testing.M) {
	if role := os.Getenv(childRole); role != "" {
		err := childMain(os.Getenv(childData), os.Getenv(childCorpus))
		fmt.Println("error:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// bookWords are the words that tell the two versions of the book apart.
var bookWords = [2]string{"amber", "cobalt"}

// bookParagraphs makes the book long enough that building its index and
// writing it take a while, so that a kill lands inside them.
const bookParagraphs = 3000

// book is version v of a long document; every paragraph names its version's word.
func book(v int) []byte {
	var b strings.Builder
	for i := range bookParagraphs {
		fmt.Fprintf(&b, "Chapter %d. The keeper of lamp %d walked the %s shore at dusk and counted the gulls.\n\n", i, i, bookWords[v])
	}
	return []byte(b.String())
}

const extraText = "The ferryman was named Tobias Penhallow. He rowed across at dawn.\n"

// childMain changes the corpus in corpusDir forever: it replaces book.txt
// with the other version, then adds or removes extra.txt, printing
// "write N" before each upload, "build N" when its index is being built, and
// "step N" after each change.
func childMain(data, corpusDir string) error {
	ctx := context.Background()
	l, err := Open(ctx, Config{CorpusDir: corpusDir, DataDir: data, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	if err != nil {
		return err
	}
	who := answer.Actor{Name: "crash test"}
	for i := 0; ; i++ {
		building := false
		progress := func(answer.Progress) {
			if !building {
				building = true
				fmt.Println("build", i)
			}
		}
		fmt.Println("write", i)
		if _, err := l.AddDocument(ctx, who, "book.txt", book(i%2), true, progress); err != nil {
			return err
		}
		fmt.Println("step", i)
		if _, err := os.Stat(filepath.Join(corpusDir, "extra.txt")); err == nil {
			_, err = l.RemoveDocument(ctx, who, "extra", nil)
		} else {
			_, err = l.AddDocument(ctx, who, "extra.txt", []byte(extraText), false, nil)
		}
		if err != nil {
			return err
		}
	}
}

// Killed at any moment of an upload or a rebuild, the next start serves the
// old or the new corpus, whole, with its whole index, and no file of the
// corpus is lost or half written.
func TestKilledMidChange(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	data := t.TempDir()
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText, "book.txt": string(book(0))})
	checkServed(t, data, dir)
	// Each kill lands at the first line of the child's output that starts
	// with its prefix: about to write an upload, building an index, or just
	// after an upload while a removal or addition starts.
	kills := []string{"build", "write", "build", "step", "write", "build"}
	for n, at := range kills {
		killChildAt(t, data, dir, at, n)
		t.Logf("killed at %q %d: left %s", at, n%2, leftovers(t, data, dir))
		checkServed(t, data, dir)
	}
}

// killChildAt starts a child changing the corpus and kills it with SIGKILL
// when it prints a line starting with at; skip such lines are passed over first.
func killChildAt(t *testing.T, data, dir, at string, skip int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), childDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childRole+"=changes", childData+"="+data, childCorpus+"="+dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	seen := 0
	for lines.Scan() {
		if !strings.HasPrefix(lines.Text(), at+" ") {
			continue
		}
		if seen++; seen > skip%2 {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if lines.Err() != nil || !strings.HasPrefix(lines.Text(), at+" ") {
		t.Fatalf("child stopped before %q: %q\nits log:\n%s", at, lines.Text(), stderr.String())
	}
}

// checkServed opens a library over data and dir, as the next start would,
// and checks that it serves the corpus in the folder, whole, and that the
// folder holds whole files and nothing a killed change left.
func checkServed(t *testing.T, data, dir string) {
	t.Helper()
	l, err := Open(context.Background(), Config{CorpusDir: dir, DataDir: data, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("open after the kill: %v", err)
	}
	defer l.Close()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	version := -1
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case e.Name() == "orchard.txt" && string(b) == orchardText:
		case e.Name() == "extra.txt" && string(b) == extraText:
		case e.Name() == "book.txt" && string(b) == string(book(0)):
			version = 0
		case e.Name() == "book.txt" && string(b) == string(book(1)):
			version = 1
		default:
			t.Errorf("after the kill the folder holds %s of %d bytes, not a whole file of the corpus", e.Name(), len(b))
		}
	}
	if version < 0 {
		t.Fatal("after the kill book.txt is gone")
	}
	c, err := corpus.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	g := l.cur.Load()
	if st := g.ix.Stats(); g.c.Fingerprint != c.Fingerprint || st.Fingerprint != c.Fingerprint || st.Passages != c.NumPassages() {
		t.Errorf("serves an index of %d passages (%.8s), corpus %.8s; the folder holds %d passages (%.8s)",
			st.Passages, st.Fingerprint, g.c.Fingerprint, c.NumPassages(), c.Fingerprint)
	}
	root := filepath.Dir(g.ix.Stats().Dir)
	names, _ := filepath.Glob(filepath.Join(root, "*"))
	if len(names) != 3 {
		t.Errorf("index folder holds %q, want CURRENT, LOCK and one index", names)
	}
	a, err := l.Answer(context.Background(), "Who walked the shore at dusk?")
	if err != nil || !strings.Contains(a.Text, bookWords[version]) {
		t.Errorf("answer %q, %v; want it from version %d of the book", a.Text, err, version)
	}
}

// leftovers says what a killed child left: temporary files in the corpus
// folder, and index folders.
func leftovers(t *testing.T, data, dir string) string {
	t.Helper()
	tmp, _ := filepath.Glob(filepath.Join(dir, ".*"))
	idx, _ := filepath.Glob(filepath.Join(data, "indexes", "*", "idx-*"))
	return fmt.Sprintf("%d temporary files, %d index folders", len(tmp), len(idx))
}

// What a change killed while writing leaves (a temporary file in the corpus
// folder, a half-seeded corpus folder in the data folder) is never read and
// is removed at the next start.
func TestOpenCleansWhatAKilledChangeLeft(t *testing.T) {
	data := t.TempDir()
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText})
	// A file being written, as corpus.WriteFile names it: half an upload.
	torn := filepath.Join(dir, ".storybot-tmp-123456")
	if err := os.WriteFile(torn, []byte(harbourText[:20]), 0o644); err != nil {
		t.Fatal(err)
	}
	seeding := filepath.Join(data, ".storybot-tmp-corpus-123456")
	if err := os.MkdirAll(seeding, 0o755); err != nil {
		t.Fatal(err)
	}
	l := openLibrary(t, Config{CorpusDir: dir, DataDir: data})
	for _, p := range []string{torn, seeding} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left at start: %v", p, err)
		}
	}
	if info := l.Info(); info.Documents != 1 {
		t.Errorf("serves %d documents, want 1", info.Documents)
	}
	// With no corpus configured, a half-seeded folder is not the corpus.
	data2 := t.TempDir()
	os.MkdirAll(filepath.Join(data2, ".storybot-tmp-corpus-1"), 0o755)
	if got := openLibrary(t, Config{DataDir: data2}).Info().Folder; got != "" {
		t.Errorf("Folder = %q, want the embedded story", got)
	}
}
