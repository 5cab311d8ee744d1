package answer

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestOnlyASCIILowersToASCII: of every rune, only ASCII letters, İ and the
// Kelvin sign lower-case to ASCII letters, which holdsFoldedASCII relies
// on.
func TestOnlyASCIILowersToASCII(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, b := range []byte(strings.ToLower(string(r))) {
			if b < utf8.RuneSelf && unicode.IsLetter(rune(b)) && b != 'i' && b != 'k' {
				t.Errorf("%U lower-cases to %q", r, strings.ToLower(string(r)))
			}
		}
	}
}

// TestAfterPosition: "after" is found in any case, and a question without
// it is told apart without lower-casing it.
func TestAfterPosition(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want int
	}{
		{"What happened after the storm?", 14},
		{"What happened AFTER the storm?", 14},
		{"What happened AfTeR the storm?", 14},
		{"What happened after?", -1},
		{"After the storm, what?", -1},
		{"What happened afterwards?", -1},
		{"Qué pasó after la tormenta?", 11},
		{"What happened before the storm?", -1},
		{"What happened ÀFTER the storm?", -1},
	} {
		if got := afterPosition(tt.q); got != tt.want {
			t.Errorf("afterPosition(%q) = %d, want %d", tt.q, got, tt.want)
		}
		if !holdsFoldedASCII(tt.q, "after") && strings.Contains(strings.ToLower(tt.q), "after") {
			t.Errorf("holdsFoldedASCII(%q, after) = false; it holds it", tt.q)
		}
	}
}
