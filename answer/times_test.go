package answer

import (
	"context"
	"os"
	"reflect"
	"testing"
)

func TestPeriodsOf(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []period
	}{
		{"In 1066 the Normans came.", []period{{1066, 1066}}},
		{"in the late 1980s", []period{{1980, 1989}}},
		{"in the 1980's", []period{{1980, 1989}}},
		{"in the 1980’s", []period{{1980, 1989}}},
		{"by the 1700s", []period{{1700, 1799}}},
		{"in the 1000's and 1100's", []period{{1000, 1099}, {1100, 1199}}},
		{"in the 18th century", []period{{1700, 1799}}},
		{"in the 10th and 11th centuries", []period{{900, 999}, {1000, 1099}}},
		{"in the final decade of the 11th and first of the 12th century", []period{{1000, 1099}, {1100, 1199}}},
		{"in the 21st century", []period{{2000, 2099}}},
		{"(c. 1455–1536)", []period{{1455, 1455}, {1536, 1536}}},
		// No time: an ordinal of something else, numbers that are no years.
		{"the 10th series of the show", nil},
		{"the 2nd Count de Niebla", nil},
		{"308 points and 24 interceptions", nil},
		{"a 3000-strong army", nil},
		{"the 11th man left. A century later", nil},
	} {
		if got := periodsOf(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("periodsOf(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestNearMissPeriod checks that a question about a time is answered by a
// span that names the time another way, or a time within it, and not by
// one that names another.
func TestNearMissPeriod(t *testing.T) {
	dir := t.TempDir()
	text := "Roughly five thousand weavers had fled Ostmere by the early 18th century.\n\n" +
		"In the late 1980s the guild of Ferrow staged a play titled The Long Winter.\n\n" +
		"The monks of Ostmere copied books of songs in 1081.\n\n" +
		"The third series of the Ferrow pageant brought a new queen of the fair, Maud.\n"
	if err := os.WriteFile(dir+"/ostmere.txt", []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := testEngine(t, dir)
	for _, tt := range []struct {
		q     string
		found bool
	}{
		{"How many weavers fled Ostmere by the 1700s?", true},
		{"How many weavers fled Ostmere by the 1600s?", false},
		{"What play did the guild of Ferrow stage in the 1980's?", true},
		{"What play did the guild of Ferrow stage in 1987?", true},
		{"What play did the guild of Ferrow stage in the 1970's?", false},
		{"What did the monks of Ostmere copy in the 11th century?", true},
		{"What did the monks of Ostmere copy in the 1100s?", false},
		{"Who was the new queen of the fair in the 3rd series of the pageant?", true},
	} {
		a, err := e.Answer(context.Background(), tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Found != tt.found {
			t.Errorf("%q: found %v, want %v (answer %q)", tt.q, a.Found, tt.found, a.Text)
		}
	}
}

// TestMayNamePeriod: a text mayNamePeriod says names no period gives
// periodsOf none.
func TestMayNamePeriod(t *testing.T) {
	for _, tt := range []struct {
		text string
		may  bool
	}{
		{"In 1066 the Normans came.", true},
		{"the 1980's", true},
		{"in the 18th Century", true},
		{"in the 10th and 11th CENTURIES", true},
		{"308 points and 24 interceptions", false},
		{"a 300-strong army of 2,500 men", false},
		{"the 2nd Count", false},
		{"no digits at all", false},
		{"cent", false},
	} {
		if got := mayNamePeriod(tt.text); got != tt.may {
			t.Errorf("mayNamePeriod(%q) = %v, want %v", tt.text, got, tt.may)
		}
		if !tt.may && periodsOf(tt.text) != nil {
			t.Errorf("periodsOf(%q) = %v of a text that may name none", tt.text, periodsOf(tt.text))
		}
	}
}
