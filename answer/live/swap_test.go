package live

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/index"
)

// An engine swapped out is closed only once the calls in flight on it are
// done.
func TestSwappedEngineClosedAfterItsCalls(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText})
	l := openLibrary(t, Config{CorpusDir: dir})
	ctx := context.Background()
	old, err := l.acquire() // a call in flight
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.AddDocument(ctx, shell, "harbour.txt", []byte(harbourText), false, nil); err != nil {
		t.Fatal(err)
	}
	if l.cur.Load() == old {
		t.Fatal("the engine was not swapped")
	}
	select {
	case <-old.done:
		t.Fatal("the old engine was closed with a call in flight")
	default:
	}
	a, err := old.eng.Answer(ctx, "What was the miller called?")
	if err != nil || !strings.Contains(a.Text, "Hobb") {
		t.Fatalf("the call in flight: %q, %v", a.Text, err)
	}
	if old.tryAcquire() != true {
		t.Fatal("a generation with a call in flight refused another")
	}
	old.release()
	old.release()
	select {
	case <-old.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the old engine was not closed after its last call")
	}
	if old.closeErr != nil {
		t.Errorf("closing the old engine: %v", old.closeErr)
	}
	if _, _, err := old.ix.Search(ctx, index.Query{Terms: []index.Term{{Term: "hobb"}}}, 0, 1); !errors.Is(err, index.ErrClosed) {
		t.Errorf("search on the old index: %v, want ErrClosed", err)
	}
	if old.tryAcquire() {
		t.Error("a closed generation was counted in")
	}
	// The library serves on.
	if _, doc := mustAnswer(t, l, "Who was the harbour master?"); doc != "harbour" {
		t.Errorf("answered from %q", doc)
	}
}

func TestCallsAfterClose(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText})
	l, err := Open(context.Background(), Config{CorpusDir: dir, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Answer(context.Background(), "Who was the miller?"); !errors.Is(err, ErrClosed) {
		t.Errorf("Answer after Close: %v", err)
	}
	if _, err := l.Reindex(context.Background(), shell, false, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Reindex after Close: %v", err)
	}
	if l.Documents() != nil || l.Complete("orchard", 5) != nil {
		t.Error("a closed library lists documents")
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// raceChanges is how many changes TestAnswersWhileTheCorpusChanges makes.
const raceChanges = 12

// Questions asked from several goroutines while the corpus is changed and
// reindexed over and over are all answered, each from the corpus before or
// after a change.
func TestAnswersWhileTheCorpusChanges(t *testing.T) {
	millers := []string{"Hobb", "Odo"}
	mill := func(i int) []byte {
		return []byte(strings.ReplaceAll(orchardText, "Hobb", millers[i%2]))
	}
	dir := writeCorpus(t, map[string]string{"orchard.txt": string(mill(0)), "lighthouse.txt": lighthouseText})
	l := openLibrary(t, Config{CorpusDir: dir})
	ctx := context.Background()

	const readers = 4
	var (
		stop    atomic.Bool
		wg      sync.WaitGroup
		answers atomic.Int64
		seen    [2]atomic.Int64
		errs    = make(chan error, readers)
	)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				a, err := l.Answer(ctx, "What was the miller called?")
				if err != nil {
					errs <- err
					return
				}
				n := -1
				for i, name := range millers {
					if strings.Contains(a.Text, name) {
						n = i
					}
				}
				if !a.Found || n < 0 {
					errs <- fmt.Errorf("reader %d: answer %q names no miller", r, a.Text)
					return
				}
				seen[n].Add(1)
				answers.Add(1)
				if _, err := l.Search(ctx, "lighthouse keeper", 0, 3); err != nil {
					errs <- err
					return
				}
				if w, ok := l.Window("orchard#1"); !ok || !strings.Contains(w.Passage.Text, "miller") {
					errs <- fmt.Errorf("reader %d: window orchard#1 = %+v, %v", r, w, ok)
					return
				}
				if info := l.Info(); info.Documents < 2 {
					errs <- fmt.Errorf("reader %d: Info says %d documents", r, info.Documents)
					return
				}
			}
		}()
	}
	for i := 1; i <= raceChanges; i++ {
		var err error
		switch i % 3 {
		case 0: // a change made in the folder, then a reindex
			err = os.WriteFile(filepath.Join(dir, "orchard.txt"), mill(i), 0o644)
			if err == nil {
				_, err = l.Reindex(ctx, shell, false, nil)
			}
		case 1:
			_, err = l.AddDocument(ctx, shell, "orchard.txt", mill(i), true, nil)
		case 2:
			_, err = l.AddDocument(ctx, shell, "harbour.txt", []byte(harbourText), false, nil)
			if err == nil {
				_, err = l.RemoveDocument(ctx, shell, "harbour", nil)
			}
			if err == nil {
				_, err = l.AddDocument(ctx, shell, "orchard.txt", mill(i), true, nil)
			}
		}
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d changes, %d answers (%d Hobb, %d Odo)", raceChanges, answers.Load(), seen[0].Load(), seen[1].Load())
	if answers.Load() == 0 {
		t.Error("no question answered during the changes")
	}
	if text, _ := mustAnswer(t, l, "What was the miller called?"); !strings.Contains(text, millers[raceChanges%2]) {
		t.Errorf("after the last change: %q, want %s", text, millers[raceChanges%2])
	}
}

func TestChangeLog(t *testing.T) {
	data := t.TempDir()
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText})
	l := openLibrary(t, Config{CorpusDir: dir, DataDir: data})
	ctx := context.Background()
	who := answer.Actor{ID: "80351110224678912", Name: "mara"}
	l.AddDocument(ctx, who, "harbour.txt", []byte(harbourText), false, nil)
	l.AddDocument(ctx, who, "harbour.txt", []byte(harbourText), false, nil) // refused: exists
	// A line a killed process left unfinished.
	f, err := os.OpenFile(filepath.Join(data, ChangeLogFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"time":"2026-`)
	f.Close()
	if last, err := l.changes.readLast(); err != nil || last == nil || last.OK {
		t.Errorf("last whole entry = %+v, %v; want the refused add", last, err)
	}
	l.RemoveDocument(ctx, answer.Actor{Name: "SIGHUP"}, "harbour", nil)

	b, err := os.ReadFile(filepath.Join(data, ChangeLogFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	want := []string{
		`"who":{"id":"80351110224678912","name":"mara"},"action":"add","target":"harbour.txt","ok":true`,
		`"action":"add","target":"harbour.txt","ok":false,"error":"add harbour.txt: a document with that name exists"`,
		`{"time":"2026-`,
		`"who":{"name":"SIGHUP"},"action":"remove","target":"harbour","ok":true,"report":{"removed":["harbour"],"documents":1,`,
	}
	if len(lines) != len(want) {
		t.Fatalf("change log:\n%s\nwant %d lines", b, len(want))
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %s\nwant it to hold %s", i+1, lines[i], w)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2 := openLibrary(t, Config{CorpusDir: dir, DataDir: data})
	lc := l2.Info().LastChange
	if lc == nil || lc.Action != answer.ActionRemove || lc.Who.Name != "SIGHUP" || !lc.OK || lc.Report.Documents != 1 {
		t.Errorf("last change after a restart = %+v", lc)
	}
}
