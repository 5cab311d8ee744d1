package answer

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestFirstWordsAreFields: a sentence's first words are the first of the
// fields strings.FieldsFunc cuts it into, letters and apostrophes making
// words.
func TestFirstWordsAreFields(t *testing.T) {
	for _, s := range []string{
		"", " ", "He said so.", "But he also said it.", "  — And then, they left!",
		"O'Brien's dog's bone", "Zoë naïve café", "one", "a b", "a b c d e",
		"x\xffy z", "1984 was 2 years ago", "¿Qué? ¡Sí!",
	} {
		fields := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
		for n := 1; n <= 4; n++ {
			want := fields[:min(n, len(fields))]
			if got := firstWords(nil, s, n); !slices.Equal(got, want) {
				t.Errorf("firstWords(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

// FuzzFirstWordsAreFields: firstWords agrees with strings.FieldsFunc on
// any text.
func FuzzFirstWordsAreFields(f *testing.F) {
	f.Add("But he also said it.", 3)
	f.Add("x\xffy z", 2)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = 1 + int(uint(n)%5)
		fields := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
		if got, want := firstWords(nil, s, n), fields[:min(n, len(fields))]; !slices.Equal(got, want) {
			t.Errorf("firstWords(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}

// TestOpeningWords checks that every pronoun and conjunction that
// opensWithPronoun looks for fits its lower-casing, and that sentences
// opening with them, in any case, are told from others.
func TestOpeningWords(t *testing.T) {
	for w := range pronouns {
		if len(w) > maxOpeningWord {
			t.Errorf("pronoun %q is longer than maxOpeningWord", w)
		}
	}
	for w := range openingConjunctions {
		if len(w) > maxOpeningWord {
			t.Errorf("conjunction %q is longer than maxOpeningWord", w)
		}
	}
	for s, want := range map[string]bool{
		"He left.": true, "HOWEVER, THEY stayed.": true, "But then she wept.": true, "And so then it ended.": false,
		"The keeper left.": false, "Hence he left.": false, "Ｈe left.": false, "Thereafter they left.": false, "": false,
	} {
		if got := opensWithPronoun(s); got != want {
			t.Errorf("opensWithPronoun(%q) = %v, want %v", s, got, want)
		}
	}
}
