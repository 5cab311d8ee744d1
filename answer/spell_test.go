package answer

import (
	"context"
	"testing"
	"unicode/utf8"
)

// TestSpellingCorrectsToContentWords asks the built-in story questions whose
// odd words must not be "corrected" into evidence.
func TestSpellingCorrectsToContentWords(t *testing.T) {
	e := storyEngine(t)
	for _, tt := range []struct {
		q, didYouMean string
		found         bool
	}{
		// "cafe" is one letter from the story's "came": a guess that made
		// an off-topic question look answered.
		{"Who is the cafe owner?", "", false},
		// "abt" is one letter from "at", a word that says nothing.
		{"What did Putin say abt Korea?", "", true},
		{"whos kim?", "who kim?", true},
		{"Wht did Pyongyng sign?", "What did Pyongyang sign?", true},
	} {
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

// TestCorrectedWordsCountForLess: a question the story answers only through
// a corrected word is not found; one answered through words typed right as
// well still is.
func TestCorrectedWordsCountForLess(t *testing.T) {
	e := storyEngine(t)
	for _, tt := range []struct {
		q, didYouMean string
		found         bool
	}{
		{"Who is the Pyongyng owner?", "Who is the Pyongyang owner?", false},
		// "agreement" has synonyms: the rewordings guess as much.
		{"Who is the agreemnt owner?", "Who is the agreement owner?", false},
		{"Who signed the agreemnt?", "Who signed the agreement?", true},
	} {
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
		"wall", "came", "market", "children", "again", "gains", "against", "against"} {
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
		{"xy", false, ""},
	} {
		got, ok := v.nearest(tt.w, tt.opening, notCame)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("nearest(%q) = %q, %v; want %q", tt.w, got, ok, tt.want)
		}
	}
}
