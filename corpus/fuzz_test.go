package corpus

import (
	"os"
	"strings"
	"testing"
)

// FuzzChunk checks the chunker's invariants on any text: no empty passage;
// offsets in the document, increasing and not overlapping; every passage at
// most MaxPassageLen bytes and valid UTF-8 when the document is; sentences
// non-empty, in order and within their passage (see checkDocument); and a
// plain text document's layout cuts it again the same (see Corpus.Layout).
func FuzzChunk(f *testing.F) {
	for _, name := range []string{"story.txt", "testdata/shapes/lines.txt", "testdata/shapes/wrapped.txt", "testdata/markdown/guide.md", "testdata/gutenberg/gull-rock.txt"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), strings.HasSuffix(name, ".md"))
	}
	long := strings.Repeat("A sentence that goes on and on. ", 40)
	for _, s := range []string{
		"",
		"\uFEFF# Title\r\n\r\nFirst\r\nparagraph.\r\n\r\n- item\r\n",
		long + "\n\n" + strings.Repeat("word ", 300),
		strings.Repeat("日本語", 400),
		"“Come here!” he said. He said “Stop.” Then he left… and so on... Mr. J. R. R. Tolkien, U.S. 3.5 7,000,000",
		"#\n##  ##\n* * *\n1. one\n2) two\n\t- three\n",
		"a\rb\r\rc\n \n\td",
		"\xff\xfe\x00 invalid \xc3",
		"---\ntitle: 'A ''b'''\n...\n## H *a\n\n_b_* **c** [d](e(f)) ![g](h) `*i*` \\*j\nSetext\n---\n- *k*\n",
		"Title: T\n  more\n*** START OF THE PROJECT GUTENBERG EBOOK T ***\n# A\n\nB.\nEnd of the Project Gutenberg EBook\n***END OF THIS PROJECT GUTENBERG EBOOK\nC",
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, md bool) {
		path := "fuzz.txt"
		if md {
			path = "fuzz.md"
		}
		d := ParseDocument(path, text)
		if d.Title == "" {
			t.Fatalf("no title")
		}
		checkDocument(t, d)
		// Cut as its layout records, a document is the same as parsed.
		if d.recordable() {
			recs, err := parseLayout((&Corpus{Documents: []*Document{d}}).Layout())
			if err != nil {
				t.Fatal(err)
			}
			got := restore(path, d.source, recs.docs[path])
			if got == nil {
				t.Fatal("its own layout was refused")
			}
			sameDocument(t, got, d)
		} else if !md {
			t.Fatalf("a plain text document cannot be recorded")
		}
		// The splitter alone, on the raw text.
		checkSentences(t, text, SplitSentences(text))
	})
}
