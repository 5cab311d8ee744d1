package answer

import (
	"slices"
	"testing"
)

// Letters whose lower case is longer or shorter than they are: "Ⱥ" (2 bytes,
// "ⱥ" 3), "İ" (2 bytes, "i" 1), the Kelvin sign (3 bytes, "k" 1).
const (
	longerLower  = "Ⱥ"
	shorterLower = "İ"
	kelvin       = "\u212a"
)

func TestVariantsCutTheQuestionWhereTheWordStands(t *testing.T) {
	s := synonyms{{"Kiev", "Kyiv"}}
	for _, tt := range []struct{ q, want string }{
		{"Who went to Kiev?", "Who went to Kyiv?"},
		{longerLower + " Kiev", longerLower + " Kyiv"},
		{longerLower + longerLower + " KIEV " + longerLower, longerLower + longerLower + " Kyiv " + longerLower},
		{shorterLower + shorterLower + " Kiev?", shorterLower + shorterLower + " Kyiv?"},
		{"To " + kelvin + "iev", "To Kyiv"},
	} {
		t.Run(tt.q, func(t *testing.T) {
			got := s.variants(tt.q)
			if want := []string{tt.q, tt.want}; !slices.Equal(got, want) {
				t.Errorf("variants %q, want %q", got, want)
			}
		})
	}
}

func TestAfterPositionIsAnOffsetOfTheQuestion(t *testing.T) {
	for _, tt := range []struct{ before, after string }{
		{"What happened ", "after the storm?"},
		{longerLower + longerLower + longerLower + " happened ", "after the storm?"},
		{shorterLower + shorterLower + shorterLower + " happened ", "AFTER the storm?"},
		{kelvin + kelvin + " ", "After the storm"},
	} {
		q := tt.before + tt.after
		t.Run(q, func(t *testing.T) {
			if got := afterPosition(q); got != len(tt.before) {
				t.Errorf("afterPosition = %d, want %d", got, len(tt.before))
			}
		})
	}
}
