package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLocate(t *testing.T) {
	data := t.TempDir()
	if got := Locate("", data); got != "" {
		t.Errorf("Locate with nothing seeded = %q, want the embedded story", got)
	}
	if got := Locate("/srv/corpus", data); got != "/srv/corpus" {
		t.Errorf("Locate with a folder configured = %q", got)
	}
	dir, err := Seed(data)
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(data, SeedFolder) {
		t.Errorf("Seed = %q", dir)
	}
	if got := Locate("", data); got != dir {
		t.Errorf("Locate once seeded = %q, want %q", got, dir)
	}
	if got := Locate("/srv/corpus", data); got != "/srv/corpus" {
		t.Errorf("Locate with a folder configured, once seeded = %q", got)
	}
}

// The seeded folder reads as the embedded story does.
func TestSeedIsTheEmbeddedStory(t *testing.T) {
	data := t.TempDir()
	dir, err := Seed(data)
	if err != nil {
		t.Fatal(err)
	}
	seeded, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	story, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(seeded.Documents) != 1 || seeded.Documents[0].Hash() != story.Documents[0].Hash() ||
		seeded.NumPassages() != story.NumPassages() || len(seeded.Synonyms) != len(story.Synonyms) || len(story.Synonyms) == 0 {
		t.Errorf("seeded corpus differs from the embedded story")
	}
	// Seeding again keeps what is there.
	if err := os.WriteFile(filepath.Join(dir, "more.txt"), []byte("More text."), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(data); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "more.txt")); err != nil {
		t.Errorf("seeding again: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(data, tempPrefix+"*")); len(left) != 0 {
		t.Errorf("seeding left %q", left)
	}
}

func TestWriteAndRemoveFile(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(dir, "a.txt", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dir, "a.txt", []byte("two")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "a.txt")); err != nil || string(b) != "two" {
		t.Errorf("a.txt = %q, %v", b, err)
	}
	if err := WriteFile(dir, "../b.txt", []byte("x")); err == nil {
		t.Error("wrote ../b.txt")
	}
	if err := RemoveFile(dir, "a.txt"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %v", entries)
	}
	if err := RemoveFile(dir, "a.txt"); err == nil {
		t.Error("removing a missing file succeeded")
	}
}

func TestClean(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	for _, p := range []string{filepath.Join(dir, tempPrefix+"1"), filepath.Join(dir, "keep.txt"), filepath.Join(dir, ".other")} {
		os.WriteFile(p, nil, 0o644)
	}
	os.MkdirAll(filepath.Join(data, tempPrefix+SeedFolder+"-1", "x"), 0o755)
	Clean(dir, data)
	names := func(d string) (out []string) {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	if got := names(dir); len(got) != 2 {
		t.Errorf("corpus folder after Clean: %q, want .other and keep.txt", got)
	}
	if got := names(data); len(got) != 0 {
		t.Errorf("data folder after Clean: %q", got)
	}
}
