package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		problem Problem // 0: accepted
	}{
		{"tale.txt", "Once upon a time.", 0},
		{"Tale.MD", "# Tale\n\nText.", 0},
		{"Café Crème.txt", "Text.", 0},
		{"empty.txt", "", 0}, // no text, but a valid file: ParseDocument gives no passage
		{"", "Text.", BadName},
		{"..", "Text.", BadName},
		{"a/b.txt", "Text.", BadName},
		{`a\b.txt`, "Text.", BadName},
		{"line\nbreak.txt", "Text.", BadName},
		{"esc\x1b[2J.txt", "Text.", BadName},
		{"del\x7f.txt", "Text.", BadName},
		{"\xff.txt", "Text.", BadName},
		{".hidden.txt", "Text.", Hidden},
		{"tale.pdf", "Text.", WrongType},
		{"tale", "Text.", WrongType},
		{"utf16.txt", "\xff\xfeH\x00i\x00", UTF16},
		{"nul.md", "A\x00B", Binary},
		{"latin1.txt", "caf\xe9", NotUTF8},
		{"big.txt", strings.Repeat("a", MaxFileSize+1), TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.name, []byte(tt.data))
			if tt.problem == 0 {
				if err != nil {
					t.Fatalf("Check refused it: %v", err)
				}
				return
			}
			var de *DocumentError
			if !errors.As(err, &de) {
				t.Fatalf("Check(%q) = %v, want a *DocumentError", tt.name, err)
			}
			if de.Problem != tt.problem || de.Name != tt.name || de.Reason == "" || !strings.Contains(err.Error(), de.Reason) {
				t.Errorf("Check(%q) = %+v, want problem %d", tt.name, de, tt.problem)
			}
		})
	}
}

// TestLoadNames checks that the loader refuses the names Check refuses.
func TestLoadNames(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"good.txt":            "Good.",
		"line\nbreak.txt":     "Forged.",
		".hidden.md":          "Hidden.",
		".git/config":         "Not a document.",
		".notes/inside.txt":   "Hidden folder.",
		"tab\tfolder/one.txt": "Bad folder name.",
		".DS_Store":           "Not a document, hidden: no word.",
	} {
		write(t, filepath.Join(dir, name), text)
	}
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Skipped{
		{".git", "hidden folder"},
		{".hidden.md", "hidden file"},
		{".notes", "hidden folder"},
		{"line\nbreak.txt", "bad name: holds a control character"},
		{"tab\tfolder", "bad name: holds a control character"},
	}
	if len(c.Documents) != 1 || !slices.Equal(c.Skipped, want) {
		t.Errorf("%d documents, skipped %q; want 1, %q", len(c.Documents), c.Skipped, want)
	}
}

func write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

// TestSymlinks checks that no file outside the corpus folder is read through
// a symbolic link, and that links inside it read no file twice.
func TestSymlinks(t *testing.T) {
	outside := t.TempDir()
	const secret = "The secret password is swordfish."
	write(t, filepath.Join(outside, "secret.txt"), secret)
	write(t, filepath.Join(outside, "folder", "more.txt"), secret)

	root := t.TempDir()
	dir := filepath.Join(root, "corpus")
	write(t, filepath.Join(dir, "story.txt"), "The keeper climbed the stairs.")
	write(t, filepath.Join(dir, "notes.json"), "Notes kept under another name.")
	write(t, filepath.Join(dir, "sub", "tale.txt"), "A tale in a folder.")
	write(t, filepath.Join(root, "beside.txt"), secret)

	links := map[string]string{
		"passwd.txt":         "/etc/passwd",
		"secret.txt":         filepath.Join(outside, "secret.txt"),
		"up.txt":             "../beside.txt",
		"sub/upup.txt":       "../../beside.txt",
		"outside":            outside,
		"rel-outside":        "../../" + filepath.Base(outside),
		"loop-a.txt":         "loop-b.txt",
		"loop-b.txt":         "loop-a.txt",
		"broken.txt":         "missing.txt",
		"absolute.txt":       filepath.Join(dir, "story.txt"),
		"again.txt":          "story.txt",
		"sub/again.txt":      "../story.txt",
		"notes.md":           "notes.json",
		"notes2.md":          "./sub/../notes.json",
		"folder-link":        "sub",
		"via-folder.txt":     "folder-link/tale.txt",
		"through-outside.md": "rel-outside/secret.txt",
	}
	for name, target := range links {
		symlink(t, target, filepath.Join(dir, name))
	}

	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	checkCorpus(t, c)
	var paths []string
	for _, d := range c.Documents {
		paths = append(paths, d.Path)
		if strings.Contains(d.Text, "swordfish") || strings.Contains(d.Text, "root:") {
			t.Errorf("%s holds a file from outside the corpus folder: %q", d.Path, d.Text)
		}
	}
	// A link to a file inside that is no document of its own is read under
	// the link's name, once.
	if want := []string{"notes.md", "story.txt", "sub/tale.txt"}; !slices.Equal(paths, want) {
		t.Errorf("documents %q, want %q", paths, want)
	}
	const (
		out  = "symbolic link not followed: it leads outside the corpus folder"
		abs  = "symbolic link not followed: it is absolute (links must be relative and stay in the corpus folder)"
		loop = "symbolic link not followed: it is part of a loop or a chain of more than 8 links"
	)
	want := []Skipped{
		{"absolute.txt", abs},
		{"again.txt", "symbolic link to story.txt, which is read under its own name"},
		{"broken.txt", "broken symbolic link"},
		{"folder-link", "symbolic link to a folder (not followed)"},
		{"loop-a.txt", loop},
		{"loop-b.txt", loop},
		{"notes2.md", "symbolic link to notes.json, which is read as notes.md"},
		{"outside", abs},
		{"passwd.txt", abs},
		{"rel-outside", out},
		{"secret.txt", abs},
		{"sub/again.txt", "symbolic link to story.txt, which is read under its own name"},
		{"sub/upup.txt", out},
		{"through-outside.md", out},
		{"up.txt", out},
		{"via-folder.txt", "symbolic link to sub/tale.txt, which is read under its own name"},
	}
	if !slices.Equal(c.Skipped, want) {
		t.Errorf("skipped\n%q\nwant\n%q", c.Skipped, want)
	}

	// Reading itself cannot leave the folder, even if a link is changed
	// after it was resolved.
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, name := range []string{"passwd.txt", "up.txt", "through-outside.md"} {
		if text, reason := readDocument(r.FS(), name, MaxFileSize); reason == "" || text != "" {
			t.Errorf("read %s through the root: %q (reason %q)", name, text, reason)
		}
	}
}
