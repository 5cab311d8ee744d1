package index

import (
	"slices"
	"testing"
)

func TestCuesOf(t *testing.T) {
	for _, tt := range []struct {
		text                   string
		numbers, names, places []string
	}{
		{"In 1887 the keeper sailed from Paris to the Azores with Quill.", []string{"1887"},
			[]string{"paris", "azores", "quill"}, []string{"paris", "azores"}},
		{"I met Ünal at 4:51, the 10th of May.", []string{"4", "51", "10th"}, []string{"ünal", "may"}, nil},
		{"Nothing here holds a cue.", nil, nil, nil},
	} {
		c := CuesOf(tt.text)
		if !slices.Equal(c.Numbers, tt.numbers) || !slices.Equal(c.Names, tt.names) || !slices.Equal(c.Places, tt.places) {
			t.Errorf("CuesOf(%q) = %+v, want numbers %q names %q places %q", tt.text, c, tt.numbers, tt.names, tt.places)
		}
	}
}

func TestSentenceWords(t *testing.T) {
	got := SentenceWords("The keeper's café, the KEEPER's door — and the end-")
	want := []string{"and", "café", "door", "end", "keeper's", "the"}
	if !slices.Equal(got, want) {
		t.Errorf("SentenceWords = %q, want %q", got, want)
	}
}
