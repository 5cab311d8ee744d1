// Package relations holds relations between English words, taken from
// WordNet 3.0 (see WORDNET.LICENSE): synonyms, derivationally related forms,
// pertainyms, part holonyms, hypernyms and antonyms, between single
// lower-case words. The data is embedded and read once, on first use.
//
// relations.txt is made by gen (go run ./answer/relations/gen); it holds
// one line a word and kind: the word, the kind's letter, the related words.
// It is kept as text, not compressed: unzipping it was a third of the
// time it takes to read, and reading it is most of an engine's start.
package relations

import (
	_ "embed"
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

//go:embed relations.txt
var relationsText string

// tables are the embedded data read: each word's relations, and the
// inverse, each a map from a word to a run of one flat slice.
type tables struct {
	// own maps each word to the words related to it, in the file's order.
	own map[string][]Relation
	// named maps each word to the words whose relations name it, with
	// the kind of each, in the order of the words' entries.
	named map[string][]Relation
}

var table = sync.OnceValue(load)

// load reads the embedded data. The file's lines are sorted by word, so a
// word's own relations are one run of the lines, and the inverse, filled
// in the file's order, lists the words naming a word in the order of their
// entries. Every word is a substring of the one string the data is read
// into, looked up in a map once where it stands, and every relation an
// element of one of two slices: a start costs a few allocations, not one a
// relation.
func load() tables {
	text := relationsText
	// First pass: check the lines, number the related words, count how
	// often each is named.
	type line struct {
		word  string
		kind  Kind
		first int // index in refs of its first related word
	}
	lines := make([]line, 0, strings.Count(text, "\n")+1)
	ids := make(map[string]int32, 96<<10)
	var words []string // by ID
	var count []int32  // by ID
	var refs []int32   // the related words of every line, in order
	for rest := text; len(rest) > 0; {
		l, next, _ := strings.Cut(rest, "\n")
		rest = next
		w, tail, ok1 := strings.Cut(l, " ")
		letter, related, ok2 := strings.Cut(tail, " ")
		if !ok1 || !ok2 || w == "" || len(letter) != 1 || kindOf(letter[0]) == 0 || strings.TrimSpace(related) == "" {
			panic("relations: embedded data: bad line " + l)
		}
		lines = append(lines, line{w, kindOf(letter[0]), len(refs)})
		for r := range strings.FieldsSeq(related) {
			id, ok := ids[r]
			if !ok {
				id = int32(len(words))
				ids[r] = id
				words = append(words, r)
				count = append(count, 0)
			}
			count[id]++
			refs = append(refs, id)
		}
	}
	// The inverse's runs, in the order the words are first named.
	next := make([]int32, len(words))
	off := int32(0)
	for id := range words {
		next[id] = off
		off += count[id]
	}
	named := make([]Relation, len(refs))
	own := make([]Relation, len(refs))
	t := tables{own: make(map[string][]Relation, len(lines)), named: make(map[string][]Relation, len(words))}
	for i := 0; i < len(lines); {
		w, from := lines[i].word, lines[i].first
		for ; i < len(lines) && lines[i].word == w; i++ {
			end := len(refs)
			if i+1 < len(lines) {
				end = lines[i+1].first
			}
			for k := lines[i].first; k < end; k++ {
				id := refs[k]
				own[k] = Relation{Word: words[id], Kind: lines[i].kind}
				named[next[id]] = Relation{Word: w, Kind: lines[i].kind}
				next[id]++
			}
		}
		if _, dup := t.own[w]; dup {
			panic("relations: embedded data: the lines of " + w + " are not together")
		}
		to := len(refs)
		if i < len(lines) {
			to = lines[i].first
		}
		t.own[w] = own[from:to:to]
	}
	// Each run is full now: next is where it ends.
	for id, w := range words {
		end := next[id]
		t.named[w] = named[end-count[id] : end : end]
	}
	return t
}

// Lookup returns the words related to word (lower-case), with how each is
// related to it; nil for a word it does not know. Callers must not modify
// the slice.
func Lookup(word string) []Relation {
	return table().own[word]
}

// Related reports how a is related to b: the closest kind (in the order of
// the Kind constants) relating a to b or b to a, hypernyms and holonyms
// either way round.
func Related(a, b string) (Kind, bool) {
	t := table().own
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

// Either returns the words related to word either way round: those its
// own entry names (Lookup), then those whose entries name it, as Related
// reads relations. Callers must not modify the slices.
func Either(word string) (own, named []Relation) {
	t := table()
	return t.own[word], t.named[word]
}
