package index

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SentenceWords are the distinct words of sentence s, lower-cased, sorted:
// the words EachWord finds in s once it is lower-cased. The index stores
// the IDs of them for every sentence (see Sentence.WordIDs).
func SentenceWords(s string) []string {
	var ws []string
	EachWord(strings.ToLower(s), func(w string, _, _ int) { ws = append(ws, w) })
	slices.Sort(ws)
	return slices.Compact(ws)
}

// Cues are what a sentence holds that may answer a kind of question: a
// count or a time, a person, a place. The index stores them for every
// sentence (see Sentence.Cues).
type Cues struct {
	// Numbers are the sentence's words that hold digits, lower-cased.
	Numbers []string
	// Names are its capitalised words but the first, lower-cased; Places
	// those that follow a preposition ("in Paris", "at the Louvre").
	Names, Places []string
}

// placePrepositions are the words that, before a name, make it a place.
var placePrepositions = map[string]bool{"in": true, "at": true, "from": true, "near": true,
	"to": true, "on": true, "into": true, "across": true}

// CuesOf finds the cues of sentence s, its words the runs of letters and
// digits.
func CuesOf(s string) Cues {
	var c Cues
	words := strings.FieldsFunc(s, notAlnum)
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsDigit(r) || strings.IndexFunc(w, unicode.IsDigit) >= 0:
			c.Numbers = append(c.Numbers, strings.ToLower(w))
		case unicode.IsUpper(r) && i > 0 && w != "I":
			lw := strings.ToLower(w)
			c.Names = append(c.Names, lw)
			prev := strings.ToLower(words[i-1])
			if placePrepositions[prev] || prev == "the" && i > 1 && placePrepositions[strings.ToLower(words[i-2])] {
				c.Places = append(c.Places, lw)
			}
		}
	}
	return c
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
