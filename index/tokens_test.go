package index

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// asciiWordCases are ASCII texts whose words stand next to each of the
// classes of bytes Unicode's word boundaries tell apart.
var asciiWordCases = []string{
	"",
	"How many points did the Panthers defense surrender?",
	"The keeper's lamp; the keepers' lamps. U.S. and U.K.",
	"In 1990s the ferry left at 4:51 for 10th-century Dover, 1,000.5 or 3.14; 1'000 and 2;3",
	"a:b a.b a'b a,b a;b 1:2 1.2 1'2 1,2 1;2 a.1 1.a a:1 1:a",
	"snake_case _lead trail_ __ _ a_.b 1_.2 a__b _1_ 1_2.3 x1 1x a1.2 1a.b",
	"a..b 1,,2 'quoted' \"double\" (paren) [x] {y} a-b -- a/b a\\b a@b a#b a$b a%b",
	"tabs\tand\nnew\r\nlines\vform\ffeed\x00nul\x7fdel end.",
	"What did they say? Who said it, and why, and when?",
	"...'.:;,_", "a", "1", "_", "a.", ".a", "1.", ".1", "a'", "'a", "ab:cd:ef", "1.2.3.4",
}

// TestEachASCIIWordAsBleve checks that eachASCIIWord cuts ASCII texts as
// bleve's unicode tokenizer does: the same words, offsets and types.
func TestEachASCIIWordAsBleve(t *testing.T) {
	for _, text := range asciiWordCases {
		checkASCIIWords(t, text)
	}
}

func FuzzEachASCIIWord(f *testing.F) {
	for _, s := range asciiWordCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if isASCII(text) {
			checkASCIIWords(t, text)
		}
	})
}

func checkASCIIWords(t *testing.T, text string) {
	t.Helper()
	var want, got []string
	for _, tok := range unicodetok.NewUnicodeTokenizer().Tokenize([]byte(text)) {
		want = append(want, fmt.Sprintf("%q %d-%d %v", tok.Term, tok.Start, tok.End, tok.Type))
	}
	eachASCIIWord(text, func(start, end int, typ analysis.TokenType) {
		got = append(got, fmt.Sprintf("%q %d-%d %v", text[start:end], start, end, typ))
	})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("eachASCIIWord(%q):\n%q\nbleve's unicode tokenizer:\n%q", text, got, want)
	}
}
