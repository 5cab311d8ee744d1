package index

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/storybot/storybot/corpus"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func writeCorpus(t *testing.T, dir string, files map[string]string) *corpus.Corpus {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := corpus.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var tale = map[string]string{
	"tale.md": "# The Lantern\n\nThe keeper lit the lantern every night.\n\nA storm broke the glass in winter.\n\nThe village mended it with copper.\n",
}

func search(t *testing.T, ix *Index, words string) []Hit {
	t.Helper()
	var q Query
	for _, tok := range ix.Analyze(words) {
		q.Terms = append(q.Terms, Term{Term: tok.Term})
	}
	hits, _, err := ix.Search(context.Background(), q, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

func TestOpenBuildsThenReuses(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	c := writeCorpus(t, t.TempDir(), tale)

	ix, err := Open(ctx, data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := ix.Stats()
	if first.Passages != 3 || first.Documents != 1 {
		t.Fatalf("stats = %+v, want 3 passages in 1 document", first)
	}
	if hits := search(t, ix, "storms"); len(hits) != 1 || hits[0].ID != "tale#2" {
		t.Fatalf("search storms = %+v, want tale#2", hits)
	}
	ix.Close()

	ix, err = Open(ctx, data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := ix.Stats().Dir; got != first.Dir {
		t.Errorf("reopened %s, want the index on disk %s", got, first.Dir)
	}
}

func TestOpenRebuildsChangedCorpus(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	src := t.TempDir()
	c := writeCorpus(t, src, tale)
	ix, err := Open(ctx, data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	old := ix.Stats().Dir
	ix.Close()

	c2 := writeCorpus(t, src, map[string]string{"extra.txt": "A ferry crossed the bay at dawn.\n"})
	ix, err = Open(ctx, data, c2, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st := ix.Stats()
	if st.Dir == old || st.Passages != 4 || st.Fingerprint != c2.Fingerprint {
		t.Fatalf("after change: %+v, want a new index of 4 passages", st)
	}
	if hits := search(t, ix, "ferry"); len(hits) != 1 || hits[0].ID != "extra#1" {
		t.Fatalf("search ferry = %+v", hits)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("old index folder %s still there (err %v)", old, err)
	}
}

func TestOpenRebuildsCorruptIndex(t *testing.T) {
	ctx := context.Background()
	c := writeCorpus(t, t.TempDir(), tale)
	tests := []struct {
		name   string
		break_ func(t *testing.T, dir string)
	}{
		{"bleve files garbled", func(t *testing.T, dir string) {
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && filepath.Base(p) != metaFile {
					os.WriteFile(p, []byte("garbage"), 0o644)
				}
				return nil
			})
		}},
		{"metadata garbled", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, metaFile), []byte("{not json"), 0o644)
		}},
		{"folder emptied", func(t *testing.T, dir string) {
			os.RemoveAll(dir)
			os.Mkdir(dir, 0o755)
		}},
		{"older mapping", func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, metaFile))
			b = []byte(strings.Replace(string(b), fmt.Sprintf(`"mapping_version": %d`, MappingVersion),
				fmt.Sprintf(`"mapping_version": %d`, MappingVersion-1), 1))
			os.WriteFile(filepath.Join(dir, metaFile), b, 0o644)
		}},
		{"sentence analyses missing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, analysisFile))
		}},
		{"sentence analyses cut short", func(t *testing.T, dir string) {
			p := filepath.Join(dir, analysisFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-9], 0o644)
		}},
		{"sentence analyses garbled", func(t *testing.T, dir string) {
			// One bit of a word's count, which still reads.
			p := filepath.Join(dir, analysisFile)
			b, _ := os.ReadFile(p)
			b[len(b)-12] ^= 0x01
			os.WriteFile(p, b, 0o644)
		}},
		{"sentence analyses out of bounds", func(t *testing.T, dir string) {
			p := filepath.Join(dir, analysisFile)
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 0x40
			os.WriteFile(p, b, 0o644)
		}},
		{"pointer garbled", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(filepath.Dir(dir), currentFile), []byte("../../etc"), 0o644)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			ix, err := Open(ctx, data, c, quiet, Options{})
			if err != nil {
				t.Fatal(err)
			}
			dir := ix.Stats().Dir
			ix.Close()
			tt.break_(t, dir)

			var logs strings.Builder
			ix, err = Open(ctx, data, c, slog.New(slog.NewTextHandler(&logs, nil)), Options{})
			if err != nil {
				t.Fatalf("open after damage: %v", err)
			}
			defer ix.Close()
			if hits := search(t, ix, "lit"); len(hits) != 1 || hits[0].ID != "tale#1" {
				t.Errorf("rebuilt index: search lantern = %+v", hits)
			}
			if !strings.Contains(logs.String(), "level=WARN") {
				t.Errorf("no warning logged:\n%s", logs.String())
			}
			checkAnalyses(t, ix, c)
		})
	}
}

func TestBuildFailureKeepsOldIndex(t *testing.T) {
	data := t.TempDir()
	src := t.TempDir()
	c := writeCorpus(t, src, tale)
	ix, err := Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := ix.Stats().Dir
	ix.Close()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := map[string]string{}
	var b strings.Builder
	for i := 0; i < batchSize+10; i++ {
		b.WriteString("Line of the long chronicle.\n")
	}
	big["chronicle.txt"] = b.String()
	c2 := writeCorpus(t, src, big)
	_, err = Build(ctx, data, c2, quiet, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Build with a cancelled context: %v, want context.Canceled", err)
	}
	if strings.Contains(err.Error(), "build index") {
		t.Errorf("error %q says what its caller says (build index)", err)
	}
	root := filepath.Dir(dir)
	cur, err := readCurrent(root)
	if err != nil || cur != dir {
		t.Fatalf("CURRENT = %q, %v; want the old %q", cur, err, dir)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 3 {
		t.Errorf("left behind %d entries in %s, want CURRENT, LOCK and the old index", len(entries), root)
	}
}

func TestQueriesAreNotParsed(t *testing.T) {
	data := t.TempDir()
	c := writeCorpus(t, t.TempDir(), tale)
	ix, err := Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []string{`+lantern -"glass" title:x~ ?*`, `lantern:`, `"`, `(((`} {
		if hits := search(t, ix, q); q[0] == '+' && len(hits) == 0 {
			t.Errorf("%q found nothing", q)
		}
	}
}

// TestDocFreqSurvivesReopen checks DocFreq against a count made from the
// corpus itself, on an index of several segments (as builds wrote before
// they merged their segments) opened from disk, twice: bleve's dictionary
// counts go wrong on a reopened index of several segments.
func TestDocFreqSurvivesReopen(t *testing.T) {
	c := writeCorpus(t, t.TempDir(), manyPassages())
	data, dir := writeUnmerged(t, c)
	for _, round := range []string{"opened", "reopened"} {
		ix, err := Open(context.Background(), data, c, quiet, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if ix.Stats().Dir != dir {
			t.Fatalf("%s: opened %s, want %s", round, ix.Stats().Dir, dir)
		}
		if zaps, _ := filepath.Glob(filepath.Join(ix.Stats().Dir, "store", "*.zap")); len(zaps) < 2 {
			t.Fatalf("%s: %d segments, want several", round, len(zaps))
		}
		want := map[string]int{}
		for _, p := range c.Passages() {
			seen := map[string]bool{}
			for _, tok := range ix.Analyze(p.Text) {
				if !seen[tok.Term] {
					seen[tok.Term] = true
					want[tok.Term]++
				}
			}
		}
		bad := 0
		for term, n := range want {
			if got := ix.DocFreq(term); got != n {
				if bad++; bad <= 3 {
					t.Errorf("%s: DocFreq(%q) = %d, want %d", round, term, got, n)
				}
			}
		}
		if bad > 3 {
			t.Errorf("%s: %d of %d terms wrong", round, bad, len(want))
		}
		ix.Close()
	}
}

// writeUnmerged writes c's index in the segments bleve wrote it in, as
// builds did before they merged them, into a data folder whose CURRENT
// names it, and returns the data folder and the index's.
func writeUnmerged(t *testing.T, c *corpus.Corpus) (data, dir string) {
	t.Helper()
	data = t.TempDir()
	root := newStore(data, c, quiet, Options{}).root
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, folderGlob)
	if err != nil {
		t.Fatal(err)
	}
	if err := write(context.Background(), dir, c, nil, false); err != nil {
		t.Fatal(err)
	}
	if err := writeCurrent(root, dir); err != nil {
		t.Fatal(err)
	}
	return data, dir
}

// openUnmerged opens c's index as writeUnmerged writes it, failing unless
// it is of several segments; the test closes it.
func openUnmerged(t *testing.T, c *corpus.Corpus) (ix *Index, data string) {
	t.Helper()
	data, _ = writeUnmerged(t, c)
	ix, err := Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ix.cur.Load().reader.(*scorch.IndexSnapshot).Segments()); n < 2 {
		ix.Close()
		t.Fatalf("%d segments, want several", n)
	}
	return ix, data
}
