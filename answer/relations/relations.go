// Package relations holds relations between English words, taken from
// WordNet 3.0 (see WORDNET.LICENSE): synonyms, derivationally related forms,
// pertainyms, part holonyms, hypernyms and antonyms, between single
// lower-case words. The data is embedded and read once, on first use.
//
// relations.txt.gz is made by gen (go run ./answer/relations/gen); it holds
// one line a word and kind: the word, the kind's letter, the related words.
package relations

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"slices"
	"strings"
	"sync"
)

// Kind is how two words are related.
type Kind uint8

// The kinds of relation, as WordNet's pointers give them.
const (
	// Synonym: the words share a sense (help, assist).
	Synonym Kind = iota + 1
	// Derivation: one word is made from the other (rule, ruler).
	Derivation
	// Pertainym: an adjective or adverb pertains to the word (french →
	// france, quickly → quick).
	Pertainym
	// Holonym: the word is a whole the other is part of (paris → france).
	Holonym
	// Hypernym: the word is a broader kind of the other (newspaper →
	// press, paris → capital), one level up.
	Hypernym
	// Antonym: the words mean the opposite (good, bad).
	Antonym
)

var kindNames = [...]string{"", "synonym", "derivation", "pertainym", "holonym", "hypernym", "antonym"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// kindOf maps the file's letters to kinds.
func kindOf(letter byte) Kind {
	switch letter {
	case 's':
		return Synonym
	case 'd':
		return Derivation
	case 'p':
		return Pertainym
	case 'h':
		return Holonym
	case 'y':
		return Hypernym
	case 'a':
		return Antonym
	}
	return 0
}

// Relation is one word related to another, and how.
type Relation struct {
	Word string
	Kind Kind
}

//go:embed relations.txt.gz
var relationsGz []byte

// table maps each word to the words related to it, in the file's order.
var table = sync.OnceValue(load)

// load reads the embedded data.
func load() map[string][]Relation {
	zr, err := gzip.NewReader(bytes.NewReader(relationsGz))
	if err != nil {
		panic("relations: embedded data: " + err.Error())
	}
	m := make(map[string][]Relation, 64<<10)
	// Words are interned: each related word's string is the one its own
	// entry uses, so the table holds each spelling once.
	intern := map[string]string{}
	in := func(w string) string {
		if s, ok := intern[w]; ok {
			return s
		}
		s := strings.Clone(w)
		intern[s] = s
		return s
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || len(f[1]) != 1 || kindOf(f[1][0]) == 0 {
			panic("relations: embedded data: bad line " + sc.Text())
		}
		w, k := in(f[0]), kindOf(f[1][0])
		for _, r := range f[2:] {
			m[w] = append(m[w], Relation{Word: in(r), Kind: k})
		}
	}
	if err := sc.Err(); err != nil {
		panic("relations: embedded data: " + err.Error())
	}
	return m
}

// Lookup returns the words related to word (lower-case), with how each is
// related to it; nil for a word it does not know. Callers must not modify
// the slice.
func Lookup(word string) []Relation {
	return table()[word]
}

// Related reports how a is related to b: the closest kind (in the order of
// the Kind constants) relating a to b or b to a, hypernyms and holonyms
// either way round.
func Related(a, b string) (Kind, bool) {
	t := table()
	var best Kind
	for _, pair := range [2][2]string{{a, b}, {b, a}} {
		for _, r := range t[pair[0]] {
			if r.Word == pair[1] && (best == 0 || r.Kind < best) {
				best = r.Kind
			}
		}
	}
	return best, best != 0
}

// inverse maps each word to the words whose relations name it, with the
// kind of each, in the order of the words' entries.
var inverse = sync.OnceValue(func() map[string][]Relation {
	t := table()
	words := make([]string, 0, len(t))
	for w := range t {
		words = append(words, w)
	}
	slices.Sort(words)
	m := make(map[string][]Relation, len(t))
	for _, w := range words {
		for _, r := range t[w] {
			m[r.Word] = append(m[r.Word], Relation{Word: w, Kind: r.Kind})
		}
	}
	return m
})

// Either returns the words related to word either way round: those its
// own entry names (Lookup), then those whose entries name it, as Related
// reads relations. Callers must not modify the slices.
func Either(word string) (own, named []Relation) {
	return table()[word], inverse()[word]
}
