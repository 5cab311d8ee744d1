package answer

import (
	"strings"

	"github.com/storybot/storybot/answer/relations"
)

// WordNet's relations are between lemmas ("caution", "travel"), and a
// question writes words inflected ("cautioned", "travelling"). lemmas
// undoes the inflection by WordNet's own rules of detachment (those of its
// morphy), keeping the forms WordNet knows.

// detachments are the suffixes an inflected English word may end in, each
// with what replaces it in the lemma: nouns' plurals, verbs' third person,
// past and present participle, adjectives' comparative and superlative.
var detachments = [...][2]string{
	{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"},
	{"men", "man"}, {"ies", "y"},
	{"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""},
	{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"},
}

// minLemma is the length, in bytes, below which a lemma undone from an
// inflection is not taken ("be" from "bed", "s" from "ses").
const minLemma = 3

// lemmas returns the words WordNet knows that word w (lower case) may be
// an inflection of, other than w itself, in the order of detachments, each
// once: a doubled consonant before a suffix is also tried single
// ("travelling", "travel").
func lemmas(w string) []string {
	var out []string
	add := func(l string) {
		if len(l) >= minLemma && l != w && !contains(out, l) && known(l) {
			out = append(out, l)
		}
	}
	for _, d := range detachments {
		stem, ok := strings.CutSuffix(w, d[0])
		if !ok {
			continue
		}
		add(stem + d[1])
		if n := len(stem); d[1] == "" && n >= 2 && stem[n-1] == stem[n-2] && !strings.ContainsRune("aeiou", rune(stem[n-1])) {
			add(stem[:n-1])
		}
	}
	return out
}

// known reports whether WordNet relates word w to any other.
func known(w string) bool {
	own, named := relations.Either(w)
	return len(own) > 0 || len(named) > 0
}

// eitherOfLemmas are the relations of word w either way round (see
// relations.Either), then those of each of its lemmas.
func eitherOfLemmas(w string) [][]relations.Relation {
	own, named := relations.Either(w)
	out := [][]relations.Relation{own, named}
	for _, l := range lemmas(w) {
		own, named := relations.Either(l)
		out = append(out, own, named)
	}
	return out
}
