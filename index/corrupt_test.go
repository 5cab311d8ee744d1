package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
)

// manyPassages is a corpus of several segments: 720 passages of words drawn
// from a small vocabulary, so that every word is in many passages.
func manyPassages() map[string]string {
	r := rand.New(rand.NewSource(7))
	vocab := strings.Fields("keeper lantern storm glass winter village copper ferry bay dawn " +
		"tower bell rope harbour gull salt tide reef mast sail anchor net fish bread oven baker " +
		"widow child letter seal ink candle wick shutter door roof slate chimney smoke ash ember")
	files := map[string]string{}
	for d := range 4 {
		var b strings.Builder
		for range 180 {
			for w := range 12 {
				if w > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(vocab[r.Intn(len(vocab))])
			}
			b.WriteString(".\n\n")
		}
		files[fmt.Sprintf("doc%d.txt", d)] = b.String()
	}
	return files
}

// probeQuery touches the dictionary, postings, norms and stored IDs.
var probeQuery = Query{
	Terms: []Term{{Term: "lantern"}, {Term: "ferri"}, {Term: "ember"}, {Term: "storm"}},
}

func hitIDs(t *testing.T, ix *Index) ([]string, error) {
	t.Helper()
	hits, _, err := ix.Search(context.Background(), probeQuery, 0, 50)
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return ids, err
}

// damage overwrites 32 bytes, chosen by seed, at an offset chosen by seed
// of one of the segment files in dir.
func damage(t *testing.T, dir string, seed int64) {
	t.Helper()
	zaps, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil || len(zaps) == 0 {
		t.Fatalf("no segments in %s (%v)", dir, err)
	}
	slices.Sort(zaps)
	r := rand.New(rand.NewSource(seed))
	z := zaps[r.Intn(len(zaps))]
	fi, err := os.Stat(z)
	if err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 32)
	r.Read(junk)
	overwrite(t, z, junk, r.Int63n(fi.Size()-int64(len(junk))))
}

// overwrite writes b at off in the file, in place: an index that has the
// file mapped sees the change.
func overwrite(t *testing.T, path string, b []byte, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// builtIndex builds c's index in a data folder and returns the folder, the
// index folder and what probeQuery finds in it.
func builtIndex(t *testing.T, c *corpus.Corpus) (data, dir string, want []string) {
	t.Helper()
	data = t.TempDir()
	ix, err := Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	want, err = hitIDs(t, ix)
	if err != nil || len(want) == 0 {
		t.Fatalf("probe search = %v, %v", want, err)
	}
	return data, ix.Stats().Dir, want
}

// TestOpenSurvivesDamagedSegments damages segment files as a failing disk
// or a stray write would, and checks that Open never panics and always
// returns an index that answers as the undamaged one did.
func TestOpenSurvivesDamagedSegments(t *testing.T) {
	c := writeCorpus(t, t.TempDir(), manyPassages())
	base, dir, want := builtIndex(t, c)
	rel, _ := filepath.Rel(base, dir)
	const seeds = 30
	rebuilt := 0
	for seed := range int64(seeds) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			data := t.TempDir()
			copyDir(t, base, data)
			damage(t, filepath.Join(data, rel), seed)
			ix, err := Open(context.Background(), data, c, quiet, Options{})
			if err != nil {
				t.Fatalf("open damaged index: %v", err)
			}
			defer ix.Close()
			if ix.Stats().Dir != filepath.Join(data, rel) {
				rebuilt++
			}
			got, err := hitIDs(t, ix)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("search = %v, %v; want %v", got, err, want)
			}
		})
	}
	t.Logf("%d of %d damaged indexes rebuilt at open", rebuilt, seeds)
}

// TestDamageFoundInServiceIsHealed damages an index while it is open: a
// search says so with ErrCorrupt, and the index rebuilds itself.
func TestDamageFoundInServiceIsHealed(t *testing.T) {
	c := writeCorpus(t, t.TempDir(), manyPassages())

	t.Run("segments zeroed", func(t *testing.T) {
		// bleve reports this damage as an error.
		data, dir, want := builtIndex(t, c)
		ix, err := Open(context.Background(), data, c, quiet, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		for _, z := range zaps {
			fi, err := os.Stat(z)
			if err != nil {
				t.Fatal(err)
			}
			overwrite(t, z, make([]byte, fi.Size()-4), 0)
		}
		_, err = hitIDs(t, ix)
		checkHeals(t, ix, dir, want, err)
	})

	t.Run("bytes overwritten", func(t *testing.T) {
		// bleve panics on some bytes (slice bounds out of range): damage
		// copies of one index until a search panics.
		base, dir, want := builtIndex(t, c)
		rel, _ := filepath.Rel(base, dir)
		const seeds = 300
		for seed := range int64(seeds) {
			data := t.TempDir()
			copyDir(t, base, data)
			ix, err := Open(context.Background(), data, c, quiet, Options{})
			if err != nil {
				t.Fatal(err)
			}
			damage(t, filepath.Join(data, rel), seed)
			_, err = hitIDs(t, ix)
			if err != nil && strings.Contains(err.Error(), "bleve panicked") {
				checkHeals(t, ix, filepath.Join(data, rel), want, err)
				ix.Close()
				return
			}
			ix.Close()
		}
		t.Fatalf("no search panicked on %d damaged indexes", seeds)
	})
}

// checkHeals checks that err, from a search of ix after dir was damaged,
// says so, and that ix rebuilds itself.
func checkHeals(t *testing.T, ix *Index, dir string, want []string, err error) {
	t.Helper()
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("search on a damaged index: %v, want ErrCorrupt", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "index is corrupt") || strings.Count(msg, "search index") != 1 {
		t.Errorf("error = %q, want it to say once that searching found the index corrupt", msg)
	}
	deadline := time.Now().Add(childDeadline)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		got, err := hitIDs(t, ix)
		if err == nil {
			if !slices.Equal(got, want) {
				t.Fatalf("healed index finds %v, want %v", got, want)
			}
			break
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("search while healing: %v, want ErrCorrupt", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("index not healed after %s: %v", childDeadline, err)
		}
		<-tick.C
	}
	if got := ix.Stats().Dir; got == dir {
		t.Errorf("still serving the damaged folder %s", dir)
	}
	if n := ix.DocFreq("lantern"); n == 0 {
		t.Errorf("DocFreq(lantern) = 0 on the healed index")
	}
	cur, err := readCurrent(filepath.Dir(dir))
	if err != nil || cur != ix.Stats().Dir {
		t.Errorf("CURRENT = %s, %v; want the healed %s", cur, err, ix.Stats().Dir)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("damaged folder %s not removed (%v)", dir, err)
	}
}
