package corpus

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestGutenberg(t *testing.T) {
	book := readFile(t, "testdata/gutenberg/gull-rock.txt")
	wantPassages := []string{
		"CHAPTER I.",
		"Mara Quill became keeper of the lighthouse after her father drowned off the northern reef.",
		"She trimmed the wick at dusk and wound the clockwork that turned the lens.",
	}
	tests := []struct {
		name, path, text string
	}{
		{"as released", "gull-rock.txt", book},
		{"THIS, no THE, no space", "gull-rock.txt", strings.NewReplacer(
			"*** START OF THE PROJECT", "***START OF THIS PROJECT",
			"*** END OF THE PROJECT", "*** END OF PROJECT").Replace(book)},
		{"Windows line ends", "gull-rock.txt", strings.ReplaceAll(book, "\n", "\r\n")},
		{"no end marker", "gull-rock.txt", book[:strings.Index(book, "*** END")]},
		{"in Markdown", "gull-rock.md", book},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseDocument(tt.path, tt.text)
			checkDocument(t, d)
			if want := "The Keeper of Gull Rock or, Nine Nights of Storm"; d.Title != want {
				t.Errorf("title %q, want %q", d.Title, want)
			}
			if got := passageTexts(d); !slices.Equal(got, wantPassages) {
				t.Errorf("passages\n got %q\nwant %q", got, wantPassages)
			}
			for _, w := range []string{"License", "Gutenberg", "START", "Foundation"} {
				if strings.Contains(d.Text, w) {
					t.Errorf("text holds %q: %q", w, d.Text)
				}
			}
		})
	}
	t.Run("not a book", func(t *testing.T) {
		text := "Notes on Project Gutenberg.\n\nTitle: not a header\n"
		if d := ParseDocument("notes.txt", text); d.Title != "Notes" || d.Text != text {
			t.Errorf("title %q, text %q", d.Title, d.Text)
		}
	})
}

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		name, text, title string
		passages          []string
	}{
		{"plain title", "---\ntitle: The Lighthouse\nauthor: Mara\n---\nText.\n", "The Lighthouse", []string{"Text."}},
		{"double quotes", "---\ntitle: \"Gull \\\"Rock\\\"\"\n...\n\nText.", `Gull "Rock"`, []string{"Text."}},
		{"single quotes", "---\ntitle: 'Mara''s Light'\n---\n\nText.", "Mara's Light", []string{"Text."}},
		{"comment", "---\ntitle: Gull Rock # the first\n---\nText.", "Gull Rock", []string{"Text."}},
		{"no title", "---\nauthor: Mara\ntags: [a, b]\n---\n\n# Heading Title\n\nText.", "Heading Title", []string{"Text."}},
		{"wins over the heading", "---\r\ntitle: Front\r\n---\r\n# Heading\r\n\r\nText.", "Front", []string{"Text."}},
		{"block scalar", "---\ntitle: >\n  Folded\n---\nText.", "Fm", []string{"Text."}},
		{"not closed: a rule", "---\ntitle: Open\n\nText.", "Fm", []string{"title: Open", "Text."}},
		{"not at the start", "Text.\n\n---\ntitle: X\n---\n", "Fm", []string{"Text.", "title: X"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseDocument("fm.md", tt.text)
			checkDocument(t, d)
			if d.Title != tt.title {
				t.Errorf("title %q, want %q", d.Title, tt.title)
			}
			if got := passageTexts(d); !slices.Equal(got, tt.passages) {
				t.Errorf("passages %q, want %q", got, tt.passages)
			}
		})
	}
	// Only Markdown has front matter.
	if d := ParseDocument("fm.txt", "---\ntitle: X\n---\nText."); d.Title != "Fm" || len(d.Passages) != 2 {
		t.Errorf("a .txt file: title %q, passages %q", d.Title, passageTexts(d))
	}
}

func TestHeadingsLeadPassages(t *testing.T) {
	tests := []struct {
		name, path, text string
		want             []string
	}{
		{"heading and paragraph", "a.md", "# Title\n\n## Visiting\n\nTake the road\nnorth.\n\nPark.",
			[]string{"Visiting\nTake the road north.", "Park."}},
		{"several headings", "a.md", "## Part One\n### Chapter 1\n\nIt began.\n",
			[]string{"Part One\nChapter 1\nIt began."}},
		{"a heading at the end", "a.md", "Text.\n\n## Notes\n", []string{"Text.", "Notes"}},
		{"a rule between", "a.md", "## Part\n\n* * *\n\nText.", []string{"Part", "Text."}},
		{"in a text file", "a.txt", "## Part\n\nText one.\nText two.", []string{"Part\nText one. Text two."}},
		{"text file, a list after", "a.txt", "## Part\n\n- Item one.\n- Item two.", []string{"Part", "Item one.", "Item two."}},
		{"Markdown, a list after", "a.md", "## Steps\n\n1. Walk.\n2. Climb.", []string{"Steps\nWalk.", "Climb."}},
		{"setext", "a.md", "Lighthouse\n==========\n\nPart\n----\n\nText.", []string{"Part\nText."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseDocument(tt.path, tt.text)
			checkDocument(t, d)
			if got := passageTexts(d); !slices.Equal(got, tt.want) {
				t.Errorf("passages %q, want %q", got, tt.want)
			}
		})
	}

	// The heading is a sentence of its own, and the passage's span starts
	// at it.
	text := "## Visiting\n\nTake the coast road north. Park by the pier.\n"
	d := ParseDocument("v.txt", text)
	p := d.Passages[0]
	var sents []string
	for _, s := range p.Sentences {
		sents = append(sents, s.Text)
	}
	if want := []string{"Visiting", "Take the coast road north.", "Park by the pier."}; !slices.Equal(sents, want) {
		t.Errorf("sentences %q, want %q", sents, want)
	}
	if got := d.Text[p.Start:p.End]; got != "Visiting\n\nTake the coast road north. Park by the pier." {
		t.Errorf("span %q", got)
	}

	// A long paragraph after a heading: the heading leads its first window.
	long := strings.Repeat("The keeper walked the cliffs every night of the year. ", 40)
	d = ParseDocument("long.md", "## Walks\n\n"+long)
	checkDocument(t, d)
	if len(d.Passages) < 2 || !strings.HasPrefix(d.Passages[0].Text, "Walks\nThe keeper") || strings.Contains(d.Passages[1].Text, "Walks") {
		t.Errorf("passages %q", passageTexts(d))
	}
}

func TestMarkdownPlainText(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"She kept the *light* burning.", "She kept the light burning."},
		{"She kept the _light_ burning.", "She kept the light burning."},
		{"It was **very** cold and __wet__.", "It was very cold and wet."},
		{"***All*** of it, **bold _and_ slanted**.", "All of it, bold and slanted."},
		{"A *long\nemphasis* over two lines.", "A long emphasis over two lines."},
		{"snake_case_name and 2 * 3 * 4 stay.", "snake_case_name and 2 * 3 * 4 stay."},
		{"An *unclosed star stays.", "An *unclosed star stays."},
		{`An \*escaped\* star.`, "An *escaped* star."},
		{"Read [the guide](https://example.com/a_b_(c)) first.", "Read the guide first."},
		{"A picture: ![the lens](lens.png \"Lens\").", "A picture: the lens."},
		{"Code `a *b* c` stays as written.", "Code a *b* c stays as written."},
		{"[not a link] and [x] (y)", "[not a link] and [x] (y)"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			text := tt.text + "\n\nEnd."
			d := ParseDocument("m.md", text)
			checkDocument(t, d)
			if got := passageTexts(d); len(got) != 2 || got[0] != tt.want {
				t.Errorf("passages %q, want %q", got, tt.want)
			}
			// The same text in a .txt file is verbatim.
			if got := passageTexts(ParseDocument("m.txt", text)); strings.Join(got, " ") != strings.Join(strings.Fields(text), " ") {
				t.Errorf("text file: %q", got)
			}
		})
	}
	d := ParseDocument("m.md", "# The Keeper of *Gull Rock*\n\n- A **bold** item.\n")
	if d.Title != "The Keeper of Gull Rock" || passageTexts(d)[0] != "A bold item." {
		t.Errorf("title %q, passages %q", d.Title, passageTexts(d))
	}
	// Offsets are into the plain text.
	p := d.Passages[0]
	if d.Text[p.Start:p.End] != "A bold item." {
		t.Errorf("span %q in %q", d.Text[p.Start:p.End], d.Text)
	}
}

// TestFingerprintStable checks that the rules added after chunk version 1
// keep the fingerprint of a corpus they do not change, and change it for
// documents they change.
func TestFingerprintStable(t *testing.T) {
	// The fingerprint chunk version 1 gave the embedded story.
	const story = "c1d53a443cafbf7098d4346b9c2eaed51c4497339a53e17bbe3679176d0fab19"
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Fingerprint != story {
		t.Errorf("the story's fingerprint is %s, was %s", c.Fingerprint, story)
	}
	load := func(files map[string]string) string {
		fsys := fstest.MapFS{}
		for k, v := range files {
			fsys[k] = &fstest.MapFile{Data: []byte(v)}
		}
		c, err := Load(fsys, "test")
		if err != nil {
			t.Fatal(err)
		}
		return c.Fingerprint
	}
	// A .txt document whose headings now lead their passages.
	before := map[string]string{"a.txt": "One.\nTwo.\n"}
	headed := map[string]string{"a.txt": "## Part\n\nOne.\nTwo.\n"}
	if load(before) == load(headed) {
		t.Errorf("a heading did not change the fingerprint")
	}
	if fp := fingerprint([]*Document{ParseDocument("a.txt", "## Part\n\nOne.\nTwo.\n")}); fp != load(headed) {
		t.Errorf("fingerprint not stable")
	}
	// A .md document is its plain text now: the rule is named.
	md := ParseDocument("a.md", "One.\nTwo.\n")
	txt := ParseDocument("a.md", "One.\nTwo.\n")
	txt.layout = ""
	if fingerprint([]*Document{md}) == fingerprint([]*Document{txt}) {
		t.Errorf("the Markdown rules are not in the fingerprint")
	}
}

func TestContainsFoldASCII(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"", false}, {"gutenber", false}, {"gutenberg", true}, {"*** START OF PROJECT GUTENBERG", true},
		{"Project GuTeNbErG's", true}, {"g gu gut gutenbergg", true}, {"ggutenberg", true},
		{"Gutenbérg", false}, {"xxgutenber", false}, {"GUTENBERG", true},
	} {
		if got := containsFoldASCII(tt.s, "gutenberg"); got != tt.want {
			t.Errorf("containsFoldASCII(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
