package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"
)

func passageTexts(d *Document) []string {
	var out []string
	for _, p := range d.Passages {
		out = append(out, p.Text)
	}
	return out
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParagraphShapes(t *testing.T) {
	tests := []struct {
		name string
		path string
		text string
		want []string
	}{
		{
			name: "one paragraph a line",
			path: "lines.txt",
			text: readFile(t, "testdata/shapes/lines.txt"),
			want: []string{
				"The harbour council voted to rebuild the old lighthouse.",
				"Work starts in May.",
				"The council met on Tuesday. Mrs. Amundsen, who chairs it, said the lamp had been dark since 1998.",
				"“We owe it to the fishermen,” she said. “They asked for it first.”",
				"The bill comes to 7,000,000 crowns, or about 3.5 times last year's harbour budget.",
			},
		},
		{
			name: "hard-wrapped paragraphs",
			path: "wrapped.txt",
			text: readFile(t, "testdata/shapes/wrapped.txt"),
			want: []string{
				"Once upon a time there lived a lantern-maker who had three daughters. The eldest was proud, the second was vain, and the youngest, whose name was Elin, was kind to everyone she met.",
				`One winter evening an old woman knocked at the door. "Let me in," she said, "for the wind is cold and my feet are tired." The two elder sisters laughed at her; but Elin brought her to the fire.`,
				`"Light for the lost one, Warmth for the cold, Bread for the hungry, And silver for gold!"`,
				"So the old woman sang, and then she was gone.",
			},
		},
		{
			name: "Windows line ends",
			path: "crlf.txt",
			text: "First line of the first\r\nparagraph.\r\n\r\nSecond paragraph.\r\n",
			want: []string{"First line of the first paragraph.", "Second paragraph."},
		},
		{
			name: "Windows line ends, one paragraph a line",
			path: "crlf.txt",
			text: "First.\r\nSecond.\r\n  Third.  \r\n",
			want: []string{"First.", "Second.", "Third."},
		},
		{
			name: "old Mac line ends",
			path: "cr.txt",
			text: "First\rparagraph.\r\rSecond.",
			want: []string{"First paragraph.", "Second."},
		},
		{
			name: "blank lines only at the ends",
			path: "ends.txt",
			text: "\n\n  First.\nSecond.\n\n\n",
			want: []string{"First.", "Second."},
		},
		{
			name: "Markdown",
			path: "guide.md",
			text: readFile(t, "testdata/markdown/guide.md"),
			want: []string{
				"Some words before the title.",
				"The lighthouse stands on the northern cape. It was built in 1871 by the harbour board.",
				// A heading starts the passage after it, on a line of its own.
				"Visiting\nTake the coast road north.",
				"Park by the old pier.",
				"Bring a warm coat.",
				"Mind the steps: there are 212 of them.",
				"Setext Heading\nThe keeper, Dr. Holm, lives in the cottage.",
			},
		},
		{
			name: "numbers are list items only in Markdown",
			path: "list.txt",
			text: "Steps\n\n1. Take the road\nnorth.\n2. Park.",
			want: []string{"Steps", "1. Take the road north. 2. Park."},
		},
		{
			name: "title line in a one-line-a-paragraph file",
			path: "t.md",
			text: "# Title\n\nFirst line.\nSecond line.\n",
			want: []string{"First line.", "Second line."},
		},
		{
			name: "tabs and inner spaces are kept",
			path: "tabs.txt",
			text: "A\tB  C\n\nD",
			want: []string{"A\tB  C", "D"},
		},
		{name: "nothing", path: "empty.txt", text: "", want: nil},
		{name: "punctuation only", path: "rules.txt", text: "***\n---\n. . .\n", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseDocument(tt.path, tt.text)
			if got := passageTexts(d); !slices.Equal(got, tt.want) {
				t.Errorf("passages\n got %q\nwant %q", got, tt.want)
			}
			checkDocument(t, d)
		})
	}
}

func TestPassageOffsets(t *testing.T) {
	text := readFile(t, "testdata/shapes/wrapped.txt")
	d := ParseDocument("wrapped.txt", text)
	checkDocument(t, d)
	// The span of a re-joined paragraph covers its original lines.
	p := d.Passages[0]
	if got, want := d.Text[p.Start:p.End], text[:strings.Index(text, "\n\n")]; got != want {
		t.Errorf("first passage spans %q, want %q", got, want)
	}
	verse := d.Passages[2]
	if got := d.Text[verse.Start:verse.End]; !strings.HasPrefix(got, `"Light for`) || !strings.HasSuffix(got, `gold!"`) || strings.Count(got, "\n") != 3 {
		t.Errorf("verse spans %q", got)
	}
	// A list marker is not part of the passage.
	d = ParseDocument("lines.txt", readFile(t, "testdata/shapes/lines.txt"))
	if p := d.Passages[0]; p.Start != 2 || !strings.HasPrefix(d.Text, "- "+p.Text) {
		t.Errorf("bullet passage at %d: %q", p.Start, p.Text)
	}
}

func TestLongParagraphs(t *testing.T) {
	sentence := func(i int) string {
		return fmt.Sprintf("Sentence %d tells of the old lighthouse keeper who walked the cliffs every night of the year.", i)
	}
	var sents []string
	for i := range 40 {
		sents = append(sents, sentence(i))
	}
	long := strings.Join(sents, " ")
	// A word of 30 bytes, "éééé…", repeated: cuts must fall between words.
	word := strings.Repeat("é", 15)
	huge := strings.TrimSpace(strings.Repeat(word+" ", 200)) + "."
	noSpace := strings.Repeat("日本語", 500)

	tests := []struct {
		name      string
		text      string
		passages  int
		wantFirst string
	}{
		{"short paragraph is one passage", sentence(1), 1, sentence(1)},
		{"exactly the limit", strings.Repeat("a", MaxPassageLen), 1, ""},
		{"long paragraph in windows of sentences", long, 4, strings.Join(sents[:10], " ")},
		{"hard-wrapped long paragraph", "Intro.\n\n" + strings.ReplaceAll(long, ". ", ".\n  ") + "\n\nEnd.", 6, "Intro."},
		{"one sentence longer than the limit", huge, 7, strings.TrimSpace(strings.Repeat(word+" ", 32))},
		{"no space to cut at", noSpace, 5, strings.Repeat("日本語", 111)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseDocument("long.txt", tt.text)
			checkDocument(t, d)
			if len(d.Passages) != tt.passages {
				t.Fatalf("%d passages, want %d: %q", len(d.Passages), tt.passages, passageTexts(d))
			}
			if tt.wantFirst != "" && d.Passages[0].Text != tt.wantFirst {
				t.Errorf("first passage %q, want %q", d.Passages[0].Text, tt.wantFirst)
			}
			// Greedy: the next passage's first sentence would not have fit.
			for i, p := range d.Passages[:len(d.Passages)-1] {
				next := d.Passages[i+1].Sentences[0]
				samePara := !strings.Contains(d.Text[p.End:d.Passages[i+1].Start], "\n\n")
				if samePara && len(p.Text)+1+len(next.Text) <= MaxPassageLen {
					t.Errorf("passage %d (%d bytes) had room for %q", i+1, len(p.Text), next.Text)
				}
			}
			var all []string
			for _, p := range d.Passages {
				all = append(all, p.Text)
			}
			if got := strings.Join(all, " "); strings.ReplaceAll(got, " ", "") != strings.Join(strings.Fields(tt.text), "") {
				t.Errorf("passages do not hold the whole paragraph")
			}
		})
	}
}

func TestDefault(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	checkCorpus(t, c)
	if c.Name != "embedded story" || len(c.Documents) != 1 || len(c.Skipped) != 0 {
		t.Fatalf("Default() = %q with %d documents, skipped %v", c.Name, len(c.Documents), c.Skipped)
	}
	d := c.Documents[0]
	if d.ID != "story" || d.Path != "story.txt" || d.Title != "Story" {
		t.Errorf("document %q at %q titled %q", d.ID, d.Path, d.Title)
	}
	text := readFile(t, "story.txt")
	if d.Text != text {
		t.Errorf("embedded text differs from story.txt")
	}
	var lines []string
	for l := range strings.Lines(text) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if c.NumPassages() != len(lines) || len(lines) == 0 {
		t.Fatalf("%d passages for %d non-empty lines", c.NumPassages(), len(lines))
	}
	for i, p := range c.Passages() {
		if want := "story#" + strconv.Itoa(i+1); p.ID != want {
			t.Errorf("passage %d has ID %q, want %q", i, p.ID, want)
		}
		if want := strings.TrimPrefix(lines[i], "- "); p.Text != want {
			t.Errorf("passage %d is %q, want %q", i, p.Text, want)
		}
	}
	again, err := Default()
	if err != nil || again.Fingerprint != c.Fingerprint {
		t.Errorf("second Default() has fingerprint %q, want %q (err %v)", again.Fingerprint, c.Fingerprint, err)
	}
}

func TestLookups(t *testing.T) {
	c, err := Load(fstest.MapFS{
		"a.txt": {Data: []byte("One.\nTwo.\nThree.\n")},
		"b.txt": {Data: []byte("Only.\n")},
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	built := &Corpus{Name: "by hand", Documents: []*Document{ParseDocument("a.txt", "One.\nTwo.\nThree.\n"), ParseDocument("b.txt", "Only.\n")}}
	for _, c := range []*Corpus{c, built} {
		t.Run(c.Name, func(t *testing.T) {
			if n := c.NumPassages(); n != 4 {
				t.Errorf("NumPassages() = %d, want 4", n)
			}
			var ids []string
			for _, p := range c.Passages() {
				ids = append(ids, p.ID)
			}
			if want := []string{"a#1", "a#2", "a#3", "b#1"}; !slices.Equal(ids, want) {
				t.Errorf("Passages() = %q, want %q", ids, want)
			}
			if p := c.Passage("a#2"); p == nil || p.Text != "Two." || p.Doc != c.Document("a") {
				t.Errorf("Passage(a#2) = %+v", p)
			}
			for _, id := range []string{"a#0", "a#4", "c#1", "", "a"} {
				if p := c.Passage(id); p != nil {
					t.Errorf("Passage(%q) = %q, want nil", id, p.ID)
				}
			}
			if c.Document("b") == nil || c.Document("c") != nil {
				t.Errorf("Document() finds the wrong documents")
			}
			for _, tt := range []struct{ id, prev, next string }{
				{"a#1", "", "a#2"}, {"a#2", "a#1", "a#3"}, {"a#3", "a#2", ""}, {"b#1", "", ""},
			} {
				prev, next := c.Neighbours(c.Passage(tt.id))
				if id(prev) != tt.prev || id(next) != tt.next {
					t.Errorf("Neighbours(%s) = %q, %q; want %q, %q", tt.id, id(prev), id(next), tt.prev, tt.next)
				}
			}
			if prev, next := c.Neighbours(nil); prev != nil || next != nil {
				t.Errorf("Neighbours(nil) are not nil")
			}
			if prev, next := c.Neighbours(&Passage{ID: "zz#1"}); prev != nil || next != nil {
				t.Errorf("Neighbours of an unknown passage are not nil")
			}
		})
	}
	// Passages returns a copy.
	ps := c.Passages()
	ps[0] = nil
	if c.Passages()[0] == nil {
		t.Errorf("Passages() shares its slice")
	}
	var nilCorpus *Corpus
	if nilCorpus.Passage("a#1") != nil || nilCorpus.NumPassages() != 0 || nilCorpus.Passages() != nil || nilCorpus.Document("a") != nil {
		t.Errorf("a nil corpus is not empty")
	}
}

func id(p *Passage) string {
	if p == nil {
		return ""
	}
	return p.ID
}

func TestFingerprint(t *testing.T) {
	base := fstest.MapFS{
		"a.txt":      {Data: []byte("Alpha one.\nAlpha two.\n")},
		"b/tale.txt": {Data: []byte("Beta one.\n\nBeta two.\n")},
	}
	with := func(changes map[string]string) fstest.MapFS {
		m := fstest.MapFS{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range changes {
			if v == "" {
				delete(m, k)
				continue
			}
			m[k] = &fstest.MapFile{Data: []byte(v)}
		}
		return m
	}
	load := func(t *testing.T, fsys fs.FS) *Corpus {
		t.Helper()
		c, err := Load(fsys, "test")
		if err != nil {
			t.Fatal(err)
		}
		checkCorpus(t, c)
		return c
	}
	c := load(t, base)
	if len(c.Fingerprint) != 64 {
		t.Fatalf("fingerprint %q is not a SHA-256 hex digest", c.Fingerprint)
	}
	if again := load(t, base); again.Fingerprint != c.Fingerprint {
		t.Errorf("same input, fingerprints %q and %q", c.Fingerprint, again.Fingerprint)
	}
	// The loader's name for the corpus is not part of it.
	if other, _ := Load(base, "elsewhere"); other.Fingerprint != c.Fingerprint {
		t.Errorf("the corpus name changed the fingerprint")
	}
	tests := []struct {
		name    string
		changes map[string]string
	}{
		{"content changed", map[string]string{"a.txt": "Alpha one.\nAlpha 2.\n"}},
		{"white space changed", map[string]string{"a.txt": "Alpha one.\nAlpha two.\n\n"}},
		{"document added", map[string]string{"0.txt": "Zero.\n"}},
		{"document removed", map[string]string{"b/tale.txt": ""}},
		{"document renamed", map[string]string{"b/tale.txt": "", "b/tale.md": "Beta one.\n\nBeta two.\n"}},
		{"boundary moved", map[string]string{"a.txt": "Alpha one.\nAlpha two.\nb/tale.txt", "b/tale.txt": "", "b": "Beta one.\n\nBeta two.\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := load(t, with(tt.changes))
			if changed.Fingerprint == c.Fingerprint {
				t.Errorf("fingerprint did not change")
			}
		})
	}
	t.Run("other documents keep their IDs", func(t *testing.T) {
		changed := load(t, with(map[string]string{
			"a.txt":     "Alpha one, longer now.\nA new line.\nAlpha two.\n",
			"aa.txt":    "Added before b.\n",
			"b/a.txt":   "Added in b.\n",
			"b-tale.md": "A near miss.\n",
		}))
		d := changed.Document("b/tale")
		if d == nil || d.Path != "b/tale.txt" {
			t.Fatalf("b/tale.txt has lost its ID: %v", d)
		}
		for i, p := range c.Document("b/tale").Passages {
			if q := changed.Passage(p.ID); q == nil || q.Text != p.Text || q.Doc != d {
				t.Errorf("passage %d: %s is now %+v", i, p.ID, q)
			}
		}
	})
}

func TestTitles(t *testing.T) {
	tests := []struct {
		path, text, want string
	}{
		{"the-selfish-giant.txt", "Text.", "The Selfish Giant"},
		{"the_king_of_the_ants.md", "Text.", "The King of the Ants"},
		{"tales/why-dog-and-cat-are-enemies.txt", "Text.", "Why Dog and Cat Are Enemies"},
		{"of-mice.txt", "Text.", "Of Mice"},
		{"README.md", "Text.", "README"},
		{"story.txt", "Text.", "Story"},
		{"---.txt", "Text.", "---.txt"},
		{"a.md", "# The Lighthouse\n\nText.", "The Lighthouse"},
		{"a.md", "Intro.\n\n#   Spaced Out   \n\nText.", "Spaced Out"},
		{"a.md", "# Closed #\nText.", "Closed"},
		{"a.md", "# C#\nText.", "C#"},
		{"a.md", "## Second level\n\n# First level\n\nText.", "First level"},
		{"a.md", "# First\n\n# Second\n\nText.", "First"},
		{"a.md", "#Not a heading\n\nText.", "A"},
		{"a.txt", "    # indented code, not a heading\nText.", "A"},
		{"a.md", "# \n\nText.", "A"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.want, func(t *testing.T) {
			d := ParseDocument(tt.path, tt.text)
			if d.Title != tt.want {
				t.Errorf("title %q, want %q", d.Title, tt.want)
			}
			for _, p := range d.Passages {
				if strings.Contains(p.Text, "# "+d.Title) || (p.Text == d.Title && strings.HasPrefix(tt.text, "# ")) {
					t.Errorf("the title line is in passage %q", p.Text)
				}
			}
			checkDocument(t, d)
		})
	}
}

func TestIDs(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  []string // IDs in path order
	}{
		{"plain", []string{"story.txt"}, []string{"story"}},
		{"nested", []string{"tales/The Selfish Giant.txt"}, []string{"tales/the-selfish-giant"}},
		{"punctuation", []string{"--Hello,  World!--.md"}, []string{"hello-world"}},
		{"dots", []string{"notes.v2.txt"}, []string{"notes-v2"}},
		{"accents", []string{"Café Crème.txt"}, []string{"cafe-creme"}},
		{"other scripts", []string{"日本.txt", "Ωmega.txt"}, []string{"3c9-mega", "65e5-672c"}},
		{"nothing left", []string{"!!!.txt"}, []string{"doc"}},
		{"collision", []string{"a b.txt", "a-b.md", "a_b.txt"}, []string{"a-b", "a-b-2", "a-b-3"}},
		{"collision skips a taken slug", []string{"a b.txt", "a-b-2.txt", "a_b.txt"}, []string{"a-b", "a-b-2", "a-b-3"}},
		{"collision with the case of a name", []string{"A.txt", "a.md", "a.txt"}, []string{"a", "a-2", "a-3"}},
		{"folders", []string{"x/a.txt", "x-a.txt", "x/a/b.txt"}, []string{"x-a", "x/a", "x/a/b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for i, p := range tt.paths {
				fsys[p] = &fstest.MapFile{Data: []byte(fmt.Sprintf("Document %d.\nSecond line.\n", i))}
			}
			c, err := Load(fsys, "test")
			if err != nil {
				t.Fatal(err)
			}
			checkCorpus(t, c)
			var got []string
			for _, d := range c.Documents {
				got = append(got, d.ID)
				for _, p := range d.Passages {
					if !strings.HasPrefix(p.ID, d.ID+"#") {
						t.Errorf("passage %q of document %q", p.ID, d.ID)
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("IDs %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadDir(t *testing.T) {
	t.Run("nested folders in stable order", func(t *testing.T) {
		c, err := LoadDir("testdata/nested")
		if err != nil {
			t.Fatal(err)
		}
		checkCorpus(t, c)
		var paths []string
		for _, d := range c.Documents {
			paths = append(paths, d.Path)
		}
		want := []string{"alpha.txt", "tales.txt", "tales/deep/two.TXT", "tales/one.txt", "zebra.md"}
		if !slices.Equal(paths, want) {
			t.Errorf("documents %q, want %q", paths, want)
		}
		// Hidden files and folders are left out with a word.
		skipped := []Skipped{{".hidden", "hidden folder"}, {".secret.txt", "hidden file"}}
		if c.Name != "testdata/nested" || !slices.Equal(c.Skipped, skipped) {
			t.Errorf("name %q, skipped %q; want %q", c.Name, c.Skipped, skipped)
		}
		if d := c.Document("tales/deep/two"); d == nil || d.Title != "Two" {
			t.Errorf("tales/deep/two: %+v", d)
		}
	})
	t.Run("shapes", func(t *testing.T) {
		c, err := LoadDir("testdata/shapes")
		if err != nil {
			t.Fatal(err)
		}
		checkCorpus(t, c)
		if n := c.NumPassages(); n != 9 {
			t.Errorf("%d passages, want 9", n)
		}
	})
}

func TestBadInput(t *testing.T) {
	t.Run("bad files are skipped", func(t *testing.T) {
		c, err := LoadDir("testdata/bad")
		if err != nil {
			t.Fatal(err)
		}
		checkCorpus(t, c)
		var paths []string
		for _, d := range c.Documents {
			paths = append(paths, d.Path)
		}
		if want := []string{"bom.txt", "good.txt"}; !slices.Equal(paths, want) {
			t.Errorf("documents %q, want %q", paths, want)
		}
		if d := c.Document("bom"); d == nil || strings.HasPrefix(d.Text, bom) || d.Passages[0].Text != "A document with a byte order mark." {
			t.Errorf("byte order mark not stripped: %+v", d)
		}
		want := []Skipped{
			{"empty.txt", "empty"},
			{"latin1.txt", "not valid UTF-8"},
			{"nul.md", "holds NUL bytes (a binary file?)"},
		}
		if !slices.Equal(c.Skipped, want) {
			t.Errorf("skipped %q, want %q", c.Skipped, want)
		}
	})

	t.Run("oversize file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "small.txt"), []byte("Small.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		// A sparse file one byte over the limit.
		if err := os.WriteFile(filepath.Join(dir, "big.txt"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(filepath.Join(dir, "big.txt"), MaxFileSize+1); err != nil {
			t.Fatal(err)
		}
		c, err := LoadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		want := []Skipped{{"big.txt", fmt.Sprintf("over the size limit of 16 MiB (%d bytes)", MaxFileSize+1)}}
		if len(c.Documents) != 1 || !slices.Equal(c.Skipped, want) {
			t.Errorf("%d documents, skipped %q; want 1, %q", len(c.Documents), c.Skipped, want)
		}
	})

	t.Run("oversize while reading", func(t *testing.T) {
		// A file that grows after it is listed: the read is capped too.
		c, err := load(growingFS{fstest.MapFS{
			"a.txt": {Data: []byte("Fine.")},
			"b.txt": {Data: []byte("It grows.!")},
		}}, "test", 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []Skipped{{"b.txt", "over the size limit of 10 bytes (11 bytes)"}}
		if !slices.Equal(c.Skipped, want) {
			t.Errorf("skipped %q, want %q", c.Skipped, want)
		}
	})

	errTests := []struct {
		name    string
		load    func(dir string) (*Corpus, error)
		is      error
		message []string
	}{
		{
			name:    "missing folder",
			load:    func(dir string) (*Corpus, error) { return LoadDir(filepath.Join(dir, "missing")) },
			is:      fs.ErrNotExist,
			message: []string{"missing", "read corpus"},
		},
		{
			name:    "a file, not a folder",
			load:    func(string) (*Corpus, error) { return LoadDir("testdata/shapes/lines.txt") },
			message: []string{"testdata/shapes/lines.txt", "not a folder"},
		},
		{
			name:    "no documents",
			load:    func(string) (*Corpus, error) { return LoadDir("testdata/nodocs") },
			is:      ErrNoDocuments,
			message: []string{"testdata/nodocs", "no .txt or .md file"},
		},
		{
			name:    "empty folder",
			load:    func(dir string) (*Corpus, error) { return LoadDir(dir) },
			is:      ErrNoDocuments,
			message: []string{"load corpus"},
		},
		{
			name: "only bad documents",
			load: func(string) (*Corpus, error) {
				return Load(fstest.MapFS{"a.txt": {Data: []byte{0xff}}, "b.md": {Data: []byte{0}}}, "bad")
			},
			is:      ErrNoDocuments,
			message: []string{`"bad"`, "a.txt: not valid UTF-8", "b.md: holds NUL"},
		},
		{
			name:    "all empty",
			load:    func(string) (*Corpus, error) { return LoadDir("testdata/empty") },
			is:      ErrEmpty,
			message: []string{"testdata/empty", "blank.txt: empty"},
		},
		{
			name: "not a directory tree",
			load: func(string) (*Corpus, error) {
				return Load(fstest.MapFS{"x.txt": {Data: []byte("x"), Mode: fs.ModeDir}}, "odd")
			},
			is: ErrNoDocuments,
		},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.load(t.TempDir())
			if err == nil {
				t.Fatalf("no error; loaded %d documents", len(c.Documents))
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %q", err, tt.is)
			}
			for _, m := range tt.message {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not say %q", err, m)
				}
			}
		})
	}

	t.Run("special files", func(t *testing.T) {
		c, err := Load(fstest.MapFS{
			"a.txt":     {Data: []byte("Fine.")},
			"pipe.txt":  {Mode: fs.ModeNamedPipe},
			"utf16.txt": {Data: []byte("\xff\xfeH\x00i\x00")},
		}, "test")
		if err != nil {
			t.Fatal(err)
		}
		want := []Skipped{{"pipe.txt", "not a regular file"}, {"utf16.txt", "UTF-16 text (save it as UTF-8)"}}
		if !slices.Equal(c.Skipped, want) {
			t.Errorf("skipped %q, want %q", c.Skipped, want)
		}
	})

	t.Run("unreadable files and folders", func(t *testing.T) {
		c, err := Load(brokenFS{fstest.MapFS{
			"a.txt":          {Data: []byte("Fine.")},
			"broken.txt":     {Data: []byte("Never read.")},
			"broken/one.txt": {Data: []byte("Never read.")},
		}}, "test")
		if err != nil {
			t.Fatal(err)
		}
		want := []Skipped{
			{"broken", "unreadable: open broken: input/output error"},
			{"broken.txt", "unreadable: open broken.txt: input/output error"},
		}
		if !slices.Equal(c.Skipped, want) {
			t.Errorf("skipped %q, want %q", c.Skipped, want)
		}
	})
}

// growingFS serves files one byte longer than Stat says they are.
type growingFS struct{ fstest.MapFS }

func (g growingFS) Open(name string) (fs.File, error) {
	if f, ok := g.MapFS[name]; ok && !f.Mode.IsDir() {
		return fstest.MapFS{name: {Data: append(slices.Clone(f.Data), '!')}}.Open(name)
	}
	return g.MapFS.Open(name)
}

func (g growingFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(g.MapFS, name) }

// brokenFS fails to open the file or the folder named "broken".
type brokenFS struct{ fstest.MapFS }

func (b brokenFS) Open(name string) (fs.File, error) {
	if strings.TrimSuffix(name, ".txt") == "broken" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EIO}
	}
	return b.MapFS.Open(name)
}

func (b brokenFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == "broken" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EIO}
	}
	return b.MapFS.ReadDir(name)
}

// checkCorpus checks every document of c, and that IDs are unique and
// indexed.
func checkCorpus(t *testing.T, c *Corpus) {
	t.Helper()
	seen := map[string]bool{}
	n := 0
	for i, d := range c.Documents {
		if i > 0 && c.Documents[i-1].Path >= d.Path {
			t.Errorf("documents out of order: %q before %q", c.Documents[i-1].Path, d.Path)
		}
		if seen[d.ID] {
			t.Errorf("document ID %q twice", d.ID)
		}
		seen[d.ID] = true
		if c.Document(d.ID) != d {
			t.Errorf("Document(%q) is not the document", d.ID)
		}
		if len(d.Passages) == 0 {
			t.Errorf("document %q has no passage", d.Path)
		}
		for _, p := range d.Passages {
			if c.Passage(p.ID) != p {
				t.Errorf("Passage(%q) is not the passage", p.ID)
			}
		}
		n += len(d.Passages)
		checkDocument(t, d)
	}
	if c.NumPassages() != n || len(c.Passages()) != n {
		t.Errorf("NumPassages() = %d, len(Passages()) = %d, want %d", c.NumPassages(), len(c.Passages()), n)
	}
}

// checkDocument checks the invariants of a document's passages: IDs and
// ordinals in order; no empty passage; offsets in the document, increasing,
// not overlapping, their span equal to the text but for line breaks (a
// passage's text breaks lines only after its headings); at most
// MaxPassageLen bytes; UTF-8 if the document is; sentences that cover the
// passage; and no letter of the document left out of every passage but those
// of the title line.
func checkDocument(t *testing.T, d *Document) {
	t.Helper()
	valid := utf8.ValidString(d.Text)
	covered := make([]bool, len(d.Text))
	last := 0
	for i, p := range d.Passages {
		where := fmt.Sprintf("%s passage %d", d.Path, i+1)
		switch {
		case p.Doc != d || p.Ordinal != i+1 || p.ID != d.ID+"#"+strconv.Itoa(i+1):
			t.Fatalf("%s: doc %p (want %p), ordinal %d, ID %q", where, p.Doc, d, p.Ordinal, p.ID)
		case p.Text == "" || strings.TrimSpace(p.Text) != p.Text:
			t.Fatalf("%s: empty or untrimmed text %q", where, p.Text)
		case len(p.Text) > MaxPassageLen:
			t.Fatalf("%s: %d bytes", where, len(p.Text))
		case valid && !utf8.ValidString(p.Text):
			t.Fatalf("%s: not UTF-8: %q", where, p.Text)
		case p.Start < last || p.End <= p.Start || p.End > len(d.Text):
			t.Fatalf("%s: span [%d:%d] after %d in %d bytes", where, p.Start, p.End, last, len(d.Text))
		case joinLines(d.Text[p.Start:p.End]) != strings.ReplaceAll(p.Text, "\n", " "):
			t.Fatalf("%s: span %q is not text %q", where, d.Text[p.Start:p.End], p.Text)
		case len(p.Sentences) == 0:
			t.Fatalf("%s: no sentences", where)
		}
		checkSentences(t, p.Text, p.Sentences)
		for j := p.Start; j < p.End; j++ {
			covered[j] = true
		}
		last = p.End
	}
	// Letters outside every passage may only be on the title line.
	titleStart, titleEnd := d.titleStart, d.titleEnd
	for j, r := range d.Text {
		if !covered[j] && unicode.IsLetter(r) && (j < titleStart || j >= titleEnd) {
			t.Fatalf("%s: letter %q at %d is in no passage", d.Path, r, j)
		}
	}
}

// joinLines replaces each run of white space that holds a line break with
// a single space.
func joinLines(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		j, brk := i, false
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsSpace(r) {
				break
			}
			brk = brk || r == '\n' || r == '\r'
			j += size
		}
		if brk {
			b.WriteByte(' ')
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}
