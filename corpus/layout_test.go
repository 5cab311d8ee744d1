package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sameCorpus fails t unless got and want hold the same documents, passages
// and sentences, field by field.
func sameCorpus(t *testing.T, got, want *Corpus) {
	t.Helper()
	if got.Fingerprint != want.Fingerprint || len(got.Documents) != len(want.Documents) {
		t.Fatalf("fingerprint %s, %d documents; want %s, %d", got.Fingerprint, len(got.Documents), want.Fingerprint, len(want.Documents))
	}
	for i, w := range want.Documents {
		sameDocument(t, got.Documents[i], w)
	}
}

func sameDocument(t *testing.T, g, w *Document) {
	t.Helper()
	if g.ID != w.ID || g.Path != w.Path || g.Title != w.Title || g.Text != w.Text || g.Hash() != w.Hash() || len(g.Passages) != len(w.Passages) {
		t.Fatalf("document %s: ID %q, title %q, %d passages; want %q, %q, %d", w.Path, g.ID, g.Title, len(g.Passages), w.ID, w.Title, len(w.Passages))
	}
	for j, wp := range w.Passages {
		gp := g.Passages[j]
		if gp.ID != wp.ID || gp.Doc != g || gp.Ordinal != wp.Ordinal || gp.Start != wp.Start || gp.End != wp.End || gp.Text != wp.Text || len(gp.Sentences) != len(wp.Sentences) {
			t.Fatalf("passage %s: %+v\nwant %+v", wp.ID, *gp, *wp)
		}
		for k, ws := range wp.Sentences {
			if gp.Sentences[k] != ws {
				t.Fatalf("passage %s sentence %d: %+v, want %+v", wp.ID, k, gp.Sentences[k], ws)
			}
		}
	}
}

// layoutCorpus writes documents of every shape the chunker knows into a
// folder: hard-wrapped and one-line paragraphs, headings joined to the
// paragraph after them, list items, CRLF line ends, a byte order mark, a
// paragraph longer than a passage, a sentence longer than a passage, a
// Project Gutenberg book and a Markdown file.
func layoutCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	long := strings.Repeat("A sentence that goes on and on and on. ", 60)
	files := map[string]string{
		"wrapped.txt":  "# The Title\n\nFirst line of a\nwrapped paragraph.   \n  Indented line.\n\n## Part one\n\nAfter the heading.\n\n- an item\n- another item\n",
		"crlf.txt":     "\uFEFFOne line.\r\nAnother line.\r\n\r\nThird.\r\n",
		"long.txt":     long + "\n\n" + strings.Repeat("word ", 300) + "\n",
		"book.txt":     mustRead(t, "testdata/gutenberg/gull-rock.txt"),
		"guide.md":     mustRead(t, "testdata/markdown/guide.md"),
		"sub/deep.txt": "Down here.\nStill here.\n",
		"shapes.txt":   mustRead(t, "testdata/shapes/wrapped.txt"),
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLayoutReused checks that a folder loaded with the layout of an
// earlier load is the corpus LoadDir gives, and that every document but the
// Markdown one (which is always parsed) was cut as the layout recorded.
func TestLayoutReused(t *testing.T) {
	dir := layoutCorpus(t)
	want, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want.Reused() != 0 {
		t.Fatalf("LoadDir reused %d documents", want.Reused())
	}
	got, err := LoadDirReusing(dir, want.Layout())
	if err != nil {
		t.Fatal(err)
	}
	sameCorpus(t, got, want)
	if n := len(want.Documents) - 1; got.Reused() != n {
		t.Errorf("reused %d documents, want %d", got.Reused(), n)
	}
	// A corpus cut from a layout records the same layout.
	if string(got.Layout()) != string(want.Layout()) {
		t.Errorf("the layout of a reused corpus differs")
	}
}

// TestLayoutChangedFile checks that a file changed since its layout was
// recorded is parsed again, even when its size and modification time are
// put back as they were, and that the others are still reused.
func TestLayoutChangedFile(t *testing.T) {
	dir := layoutCorpus(t)
	before, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "crlf.txt")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	// The same size, one sentence where there were two: cut as recorded,
	// the passage would keep two.
	if err := os.WriteFile(p, []byte("\uFEFFOne line,\r\nanother line.\r\n\r\nThird.\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, time.Time{}, fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if again, err := os.Stat(p); err != nil || again.Size() != fi.Size() || !again.ModTime().Equal(fi.ModTime()) {
		t.Fatalf("size and time not put back: %v", err)
	}
	want, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadDirReusing(dir, before.Layout())
	if err != nil {
		t.Fatal(err)
	}
	sameCorpus(t, got, want)
	if got.Fingerprint == before.Fingerprint {
		t.Errorf("the fingerprint did not change")
	}
	if n := len(want.Documents) - 2; got.Reused() != n {
		t.Errorf("reused %d documents, want %d (all but the changed one and the Markdown one)", got.Reused(), n)
	}
	if s := got.Document("crlf").Passages[0].Sentences; len(s) != 1 || s[0].Text != "One line, another line." {
		t.Errorf("sentences %+v, cut as the old file was?", s)
	}
}

// TestLayoutUnusable checks that a layout that is damaged, cut short, of
// another version or not one at all is ignored: the folder is parsed.
func TestLayoutUnusable(t *testing.T) {
	dir := layoutCorpus(t)
	want, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	good := want.Layout()
	flip := func(i int) []byte {
		b := []byte(string(good))
		b[i] ^= 0x40
		return b
	}
	for name, layout := range map[string][]byte{
		"empty":        {},
		"cut short":    good[:len(good)/2],
		"flipped byte": flip(len(good) / 2),
		"bad checksum": flip(len(good) - 1),
		"magic":        flip(0),
		"other data":   []byte("storybot layout 1\nnot really"),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := LoadDirReusing(dir, layout)
			if err != nil {
				t.Fatal(err)
			}
			sameCorpus(t, got, want)
			if got.Reused() != 0 {
				t.Errorf("reused %d documents of an unusable layout", got.Reused())
			}
		})
	}
}

// TestRestoreRefusesBadRecords checks that a record whose checksum holds
// but whose numbers do not fit its file is refused, not trusted.
func TestRestoreRefusesBadRecords(t *testing.T) {
	d := ParseDocument("a.txt", "First line\nof a paragraph.\n\nSecond one. It has two sentences.\n")
	recs, err := parseLayout((&Corpus{Documents: []*Document{d}}).Layout())
	if err != nil {
		t.Fatal(err)
	}
	rec := recs.docs["a.txt"]
	if got := restore("a.txt", d.source, rec); got == nil {
		t.Fatal("a good record was refused")
	} else {
		sameDocument(t, got, d)
	}
	for name, change := range map[string]func(r *recorded){
		"text end past the file": func(r *recorded) { r.textEnd = len(d.source) + 1 },
		"fewer passages":         func(r *recorded) { r.passages-- },
		"more passages":          func(r *recorded) { r.passages++ },
		"fewer sentences":        func(r *recorded) { r.sentences-- },
		"fewer joined bytes":     func(r *recorded) { r.bytes-- },
		"body cut short":         func(r *recorded) { r.body = r.body[:len(r.body)-1] },
	} {
		r := rec
		change(&r)
		if got := restore("a.txt", d.source, r); got != nil {
			t.Errorf("%s: a bad record was used", name)
		}
	}
}
