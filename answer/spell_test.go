package answer

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSpellingCorrectsToContentWords asks the built-in story questions whose
// odd words must not be "corrected" into evidence.
func TestSpellingCorrectsToContentWords(t *testing.T) {
	checkCorrections(t, []correction{
		// "cafe" is one letter from the story's "came": a guess that made
		// an off-topic question look answered.
		{"Who is the cafe owner?", "", false},
		// "abt" is one letter from "at", a word that says nothing: not
		// corrected. What is left, "Putin say abt Korea", is answered with
		// what Putin said of South Korea.
		{"What did Putin say abt Korea?", "", true},
		{"whos kim?", "who kim?", true},
		{"Wht did Pyongyng sign?", "What did Pyongyang sign?", true},
	})
}

// TestCorrectedWordsCountForLess: a question the story answers only through
// a corrected word is not found; one answered through words typed right as
// well still is.
func TestCorrectedWordsCountForLess(t *testing.T) {
	checkCorrections(t, []correction{
		{"Who is the Pyongyng owner?", "Who is the Pyongyang owner?", false},
		// "agreement" has synonyms: the rewordings guess as much.
		{"Who is the agreemnt owner?", "Who is the agreement owner?", false},
		{"Who signed the agreemnt?", "Who signed the agreement?", true},
	})
}

// correction is a question, the correction the engine should offer ("" for
// none) and whether it should be found.
type correction struct {
	q, didYouMean string
	found         bool
}

// checkCorrections asks the built-in story each question and checks the
// correction offered and whether it is found.
func checkCorrections(t *testing.T, cases []correction) {
	t.Helper()
	e := storyEngine(t)
	for _, tt := range cases {
		t.Run(tt.q, func(t *testing.T) {
			a, err := e.Answer(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if a.DidYouMean != tt.didYouMean || a.Found != tt.found {
				t.Errorf("did you mean %q, found %v; want %q, %v (answer %q)", a.DidYouMean, a.Found, tt.didYouMean, tt.found, a.Text)
			}
		})
	}
}

func TestNearest(t *testing.T) {
	v := &vocabulary{count: map[string]int{}, byLen: map[int][]string{}}
	for _, w := range []string{"at", "art", "the", "their", "what", "which", "who", "whose",
		"wall", "came", "market", "children", "again", "gains", "against", "against",
		"shells", "shells", "shelley", "shelley's", "shelley’s"} {
		v.count[w]++
		n := utf8.RuneCountInString(w)
		if v.count[w] == 1 {
			v.byLen[n] = append(v.byLen[n], w)
		}
	}
	notCame := func(w string) bool { return w != "came" }
	for _, tt := range []struct {
		w       string
		opening bool
		want    string
	}{
		{"abt", false, ""},     // short: not "at", nor "art"
		{"wal", false, "wall"}, // short, but only a letter dropped
		{"wat", true, "what"},  // a question word
		{"wich", false, "which"},
		{"whos", true, "who"},
		{"cafe", false, ""}, // "came" is refused by the target
		{"markt", false, "market"},
		{"thier", false, ""}, // a function word
		// The best guess is a function word: no worse guess instead.
		{"agains", false, ""},
		{"childern", false, "children"},
		// As near as "shells", and as frequent, its possessives counted.
		{"shelly", false, "shelley"},
		{"xy", false, ""},
	} {
		got, ok := v.nearest(tt.w, tt.opening, notCame)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("nearest(%q) = %q, %v; want %q", tt.w, got, ok, tt.want)
		}
	}
}

// TestNearWordsMatchesEditDistance: walking a sorted word list as a trie
// finds exactly the words a full distance table of each finds, at the
// same distances.
func TestNearWordsMatchesEditDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdeé"
	word := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = []rune(letters)[rng.IntN(len([]rune(letters)))]
		}
		return string(r)
	}
	for l := 1; l <= 7; l++ {
		seen := map[string]bool{}
		var words []string
		for range 400 {
			if w := word(l); !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
		slices.Sort(words)
		for range 50 {
			q := []rune(word(max(1, l+rng.IntN(5)-2)))
			for maxd := 1; maxd <= 2; maxd++ {
				want := map[string]int{}
				for _, w := range words {
					if d := osaDistance(q, []rune(w)); d <= maxd {
						want[w] = d
					}
				}
				got := map[string]int{}
				nearWords(words, l, q, maxd, func(w string, d int) { got[w] = d })
				if !maps.Equal(got, want) {
					t.Fatalf("nearWords(%q, length %d, %d edits) = %v, want %v", string(q), l, maxd, got, want)
				}
			}
		}
	}
}

// osaDistance is the optimal-string-alignment distance of a and b, from
// the whole table.
func osaDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// TestCorrectFixesEachWording: a misspelt word is corrected alike in
// every wording of a question.
func TestCorrectFixesEachWording(t *testing.T) {
	v := &vocabulary{count: map[string]int{"signed": 1, "inked": 1, "agreement": 3}, byLen: map[int][]string{}}
	for w := range v.count {
		n := utf8.RuneCountInString(w)
		v.byLen[n] = append(v.byLen[n], w)
	}
	target := func(string) bool { return true }
	for _, q := range []string{"Who signed the agreemnt?", "Who inked the agreemnt?"} {
		got, ok := v.correct(q, strings.ToLower(q), v.holds, func(w string, opening bool) (string, bool) { return v.nearest(w, opening, target) })
		if want := strings.Replace(q, "agreemnt", "agreement", 1); !ok || got != want {
			t.Errorf("correct(%q) = %q, %v; want %q", q, got, ok, want)
		}
	}
}

// TestPossessiveIsNoMisspelling checks that a name the corpus writes only
// as a possessive, with either apostrophe, is taken as typed, not
// "corrected" into that possessive.
func TestPossessiveIsNoMisspelling(t *testing.T) {
	dir := writeCorpus(t, map[string]string{
		"coast.txt": "Al-Quillan’s lens turned all night. Brannock's boat sailed at dawn.\n",
	})
	e := testEngine(t, dir)
	for _, q := range []string{"What did Al-Quillan turn?", "What did Brannock sail?"} {
		a, err := e.Answer(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if a.DidYouMean != "" || !a.Found {
			t.Errorf("%q: did you mean %q, found %v; want none, found (answer %q)", q, a.DidYouMean, a.Found, a.Text)
		}
	}
}
