// Package relations holds relations between English words, taken from
// WordNet 3.0 (see WORDNET.LICENSE): synonyms, derivationally related forms
// (and an adjective saying its noun is lacking, made from the noun:
// senseless, sense), pertainyms, part holonyms, hypernyms and antonyms,
// between single lower-case words. The data is embedded; its lines are found on first
// use, and a word's lines read each time it is looked up.
//
// relations.txt and named.txt are made by gen (go run
// ./answer/relations/gen). relations.txt holds one line a word and kind:
// the word, the kind's letter, the related words. named.txt is its
// inverse, so that no start builds it: one line a word, the words whose
// lines name it, each with its kind's letter before it. Both are sorted by
// word, so a word's lines are found by binary search. They are kept as
// text, not compressed: unzipping was a third of the time it took to read
// them whole, and that reading was most of an engine's start.
package relations

import (
	_ "embed"
	"sort"
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

//go:embed named.txt
var namedText string

// tables are the embedded files, each with its lines found.
type tables struct {
	// own has each word's relations: one line a word and kind, sorted by
	// word, the related words in the file's order.
	own lines
	// named has the inverse: one line a word, sorted, of the words whose
	// lines in own name it, each with its kind's letter before it, in the
	// order of those lines.
	named lines
}

var table = sync.OnceValue(load)

// load finds the embedded files' lines. A word's relations are read from
// them when asked for, so a start costs a pass over the text for its line
// breaks, not a map of every word.
func load() tables {
	return tables{own: findLines("relations.txt", relationsText), named: findLines("named.txt", namedText)}
}

// lines is a text of lines, each ending in a line break, and where each
// starts.
type lines struct {
	text string
	// starts holds each line's first byte, then the text's length.
	starts []int32
}

func findLines(name, text string) lines {
	if text == "" || text[len(text)-1] != '\n' {
		panic("relations: embedded data: " + name + " does not end in a line break")
	}
	starts := make([]int32, 0, strings.Count(text, "\n")+1)
	for i := 0; i < len(text); {
		starts = append(starts, int32(i))
		i += strings.IndexByte(text[i:], '\n') + 1
	}
	return lines{text: text, starts: append(starts, int32(len(text)))}
}

func (l lines) len() int { return len(l.starts) - 1 }

// line returns line i without its line break.
func (l lines) line(i int) string { return l.text[l.starts[i] : l.starts[i+1]-1] }

// word returns the word line i is about, its first field.
func (l lines) word(i int) string {
	w, _, _ := strings.Cut(l.line(i), " ")
	return w
}

// find returns the first line about word and the end of its run of lines.
func (l lines) find(word string) (from, to int) {
	from = sort.Search(l.len(), func(i int) bool { return l.word(i) >= word })
	for to = from; to < l.len() && l.word(to) == word; to++ {
	}
	return from, to
}

// Lookup returns the words related to word (lower-case), with how each is
// related to it; nil for a word it does not know. Callers must not modify
// the slice.
func Lookup(word string) []Relation {
	return table().own.relations(word)
}

// relations parses the lines of word in the relations file: the word, the
// kind's letter, the related words.
func (l lines) relations(word string) []Relation {
	from, to := l.find(word)
	if from == to {
		return nil
	}
	n := 0
	for i := from; i < to; i++ {
		n += strings.Count(l.line(i), " ")
	}
	out := make([]Relation, 0, n)
	for i := from; i < to; i++ {
		line := l.line(i)
		_, tail, _ := strings.Cut(line, " ")
		letter, related, _ := strings.Cut(tail, " ")
		if len(letter) != 1 || kindOf(letter[0]) == 0 || strings.TrimSpace(related) == "" {
			panic("relations: embedded data: bad line " + line)
		}
		for r := range strings.FieldsSeq(related) {
			out = append(out, Relation{Word: r, Kind: kindOf(letter[0])})
		}
	}
	return out[:len(out):len(out)]
}

// inverse parses the line of word in the inverse: the word, then each word
// naming it with its kind's letter before it.
func (l lines) inverse(word string) []Relation {
	from, to := l.find(word)
	if from == to {
		return nil
	}
	if to-from > 1 {
		panic("relations: embedded data: named.txt has more than one line for " + word)
	}
	line := l.line(from)
	_, named, _ := strings.Cut(line, " ")
	out := make([]Relation, 0, strings.Count(named, " ")+1)
	for r := range strings.FieldsSeq(named) {
		if len(r) < 2 || kindOf(r[0]) == 0 {
			panic("relations: embedded data: bad line " + line)
		}
		out = append(out, Relation{Word: r[1:], Kind: kindOf(r[0])})
	}
	if len(out) == 0 {
		panic("relations: embedded data: bad line " + line)
	}
	return out[:len(out):len(out)]
}

// Related reports how a is related to b: the closest kind (in the order of
// the Kind constants) relating a to b or b to a, hypernyms and holonyms
// either way round.
func Related(a, b string) (Kind, bool) {
	var best Kind
	for _, pair := range [2][2]string{{a, b}, {b, a}} {
		for _, r := range Lookup(pair[0]) {
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
	return t.own.relations(word), t.named.inverse(word)
}
