package index

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// shelf is a corpus of several documents, for builds that report progress.
func shelf(n int) map[string]string {
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("tale%02d.txt", i)] = fmt.Sprintf("Tale %d begins.\n\nThe keeper of tale %d lit the lantern.\n", i, i)
	}
	return files
}

// A build reports its progress, and records each document's hash.
func TestBuildReportsProgress(t *testing.T) {
	c := writeCorpus(t, t.TempDir(), shelf(12))
	var got []Progress
	data := t.TempDir()
	if st, err := Served(data, c); err != nil || st.Dir != "" {
		t.Errorf("Served before any build = %+v, %v", st, err)
	}
	ix, err := Build(context.Background(), data, c, quiet, Options{Progress: func(p Progress) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(got) == 0 {
		t.Fatal("no progress reported")
	}
	want := Progress{Documents: 12, TotalDocuments: 12, Passages: c.NumPassages(), TotalPassages: c.NumPassages()}
	if last := got[len(got)-1]; last != want {
		t.Errorf("last report = %+v, want %+v", last, want)
	}
	st, err := Served(data, c)
	if err != nil || st.Dir != ix.Stats().Dir || len(st.Hashes) != 12 || st.Hashes["tale03"] != c.Document("tale03").Hash() {
		t.Errorf("Served = %+v, %v; want the index built, with its documents' hashes", st, err)
	}
	if got[0].Documents != 1 {
		t.Errorf("first report = %+v, want one document done", got[0])
	}
	for i := 1; i < len(got); i++ {
		if got[i].Documents <= got[i-1].Documents || got[i].Passages < got[i-1].Passages {
			t.Errorf("report %d = %+v after %+v: not forward", i, got[i], got[i-1])
		}
	}
}

// A build cancelled halfway stops at the next document, however few the
// passages, and what was in service stays.
func TestBuildCancelledHalfway(t *testing.T) {
	data, src := t.TempDir(), t.TempDir()
	c := writeCorpus(t, src, tale)
	ix, err := Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := ix.Stats().Dir
	ix.Close()

	c2 := writeCorpus(t, src, shelf(5))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err = Build(ctx, data, c2, quiet, Options{Progress: func(Progress) { calls++; cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Build cancelled after the first document: %v, want context.Canceled", err)
	}
	if calls != 1 {
		t.Errorf("progress reported %d times, want once before stopping", calls)
	}
	if st, err := Served(data, c2); err != nil || st.Dir != dir || st.Fingerprint != c.Fingerprint {
		t.Errorf("Served = %+v, %v; want the old %q", st, err, dir)
	}
}
