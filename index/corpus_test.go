package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
)

var plainTale = map[string]string{
	"keeper.txt": "The keeper lit the lantern\nevery night of the year.\n\nA storm broke the glass in winter.\n",
	"ferry.txt":  "A ferry crossed the bay at dawn.\nIt carried the mail.\n",
}

// samePassages fails t unless got and want cut their documents alike.
func samePassages(t *testing.T, got, want *corpus.Corpus) {
	t.Helper()
	if got.Fingerprint != want.Fingerprint || got.NumPassages() != want.NumPassages() {
		t.Fatalf("fingerprint %s, %d passages; want %s, %d", got.Fingerprint, got.NumPassages(), want.Fingerprint, want.NumPassages())
	}
	for _, wp := range want.Passages() {
		gp := got.Passage(wp.ID)
		if gp == nil || gp.Text != wp.Text || gp.Start != wp.Start || gp.End != wp.End || len(gp.Sentences) != len(wp.Sentences) {
			t.Fatalf("passage %s: %+v, want %+v", wp.ID, gp, wp)
		}
		for i, s := range wp.Sentences {
			if gp.Sentences[i] != s {
				t.Fatalf("passage %s sentence %d: %+v, want %+v", wp.ID, i, gp.Sentences[i], s)
			}
		}
	}
}

// TestOpenCorpusReusesLayout checks that a corpus read with the layout kept
// with its index is the corpus LoadDir reads, cut without parsing, and that
// the index on disk serves it.
func TestOpenCorpusReusesLayout(t *testing.T) {
	ctx := context.Background()
	data, src := t.TempDir(), t.TempDir()
	c := writeCorpus(t, src, plainTale)
	if got, err := OpenCorpus(data, src); err != nil || got.Reused() != 0 {
		t.Fatalf("with no index: reused %v documents (err %v), want none", got.Reused(), err)
	}
	ix, err := Open(ctx, data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	built := ix.Stats().Dir
	ix.Close()

	got, err := OpenCorpus(data, src)
	if err != nil {
		t.Fatal(err)
	}
	samePassages(t, got, c)
	if got.Reused() != len(c.Documents) {
		t.Errorf("reused %d documents, want %d", got.Reused(), len(c.Documents))
	}
	ix, err = Open(ctx, data, got, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Stats().Dir != built {
		t.Errorf("the reused corpus was indexed again")
	}
	if hits := search(t, ix, "storms"); len(hits) != 1 || hits[0].ID != "keeper#2" {
		t.Errorf("search storms = %+v, want keeper#2", hits)
	}
}

// TestOpenCorpusNoticesChangedFile checks that a file changed since the
// index was built is read as it is now and the index rebuilt, even with its
// size and modification time put back as they were.
func TestOpenCorpusNoticesChangedFile(t *testing.T) {
	ctx := context.Background()
	data, src := t.TempDir(), t.TempDir()
	c := writeCorpus(t, src, plainTale)
	ix, err := Open(ctx, data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	old := ix.Stats().Dir
	ix.Close()

	p := filepath.Join(src, "ferry.txt")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	// As long as before, and one sentence where there were two.
	changed := "A ferry crossed the bay at dawn,\nit carried the mail.\n"
	if len(changed) != int(fi.Size()) {
		t.Fatalf("the change is %d bytes, the file %d", len(changed), fi.Size())
	}
	if err := os.WriteFile(p, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, time.Time{}, fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	got, err := OpenCorpus(data, src)
	if err != nil {
		t.Fatal(err)
	}
	want, err := corpus.LoadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	samePassages(t, got, want)
	if got.Reused() != 1 {
		t.Errorf("reused %d documents, want 1 (the unchanged one)", got.Reused())
	}
	if s := got.Passage("ferry#1").Sentences; len(s) != 1 {
		t.Errorf("ferry#1 has %d sentences, want 1: cut as the old file was?", len(s))
	}
	ix, err = Open(ctx, data, got, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Stats().Dir == old || ix.Stats().Fingerprint != want.Fingerprint {
		t.Errorf("the changed corpus is served from the old index %s", old)
	}
}

// TestOpenCorpusDamagedLayout checks that a damaged layout file costs a
// parse of every file and nothing else.
func TestOpenCorpusDamagedLayout(t *testing.T) {
	ctx := context.Background()
	data, src := t.TempDir(), t.TempDir()
	c := writeCorpus(t, src, plainTale)
	ix, err := Open(ctx, data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(ix.Stats().Dir, layoutFile)
	ix.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := OpenCorpus(data, src)
	if err != nil {
		t.Fatal(err)
	}
	samePassages(t, got, c)
	if got.Reused() != 0 {
		t.Errorf("reused %d documents of a damaged layout", got.Reused())
	}
}
