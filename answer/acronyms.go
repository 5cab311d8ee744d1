package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// Bounds on the acronyms a corpus defines.
const (
	// minAcronym and maxAcronym bound how many capitals an acronym has.
	minAcronym, maxAcronym = 2, 8
	// acronymReach is how many words before an acronym its name may
	// span, the small words between its capitalised ones included.
	acronymReach = 3 * maxAcronym
	// maxNameWord is how many bytes a word of an acronym's name takes at
	// most, its space included, as far as the search for it goes.
	maxNameWord = 16
)

// acronymsOf finds the acronyms corpus c defines, as a text names
// something and then gives its acronym in parentheses ("the Guild of
// Lamp Keepers and Net Menders (GLKNM)"): by acronym,
// lower-cased, the name it stands for. A question asking about the
// acronym is asked about the name too, which the corpus's other sentences
// may use instead. An acronym given two names keeps the first. The
// acronyms are kept as the corpus writes them: "ARTS" is no name for the
// word "arts".
func acronymsOf(c *corpus.Corpus) map[string]string {
	var out map[string]string
	for _, p := range c.Passages() {
		text := p.Text
		for {
			open := strings.IndexByte(text, '(')
			if open < 0 {
				break
			}
			rest := text[open+1:]
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				break
			}
			acronym := rest[:end]
			if name := acronymName(text[:open], acronym); name != "" {
				if out == nil {
					out = map[string]string{}
				}
				if out[acronym] == "" {
					out[acronym] = name
				}
			}
			text = rest
		}
	}
	return out
}

// acronymName is the name that text, read back from its end, gives for
// acronym, "" when it gives none: the capitals of acronym, in order, are
// the initials of the capitalised words (and of the capitalised parts of
// hyphenated ones, "Harbour-Watch") that end text, with only function words
// ("of", "on", "and") between them.
func acronymName(text, acronym string) string {
	caps := capitalsOf(acronym)
	if len(caps) < minAcronym || len(caps) > maxAcronym {
		return ""
	}
	// The name stands within the last words of text: only they are cut
	// into words, from a space on.
	if cut := len(text) - acronymReach*maxNameWord; cut > 0 {
		if sp := strings.IndexByte(text[cut:], ' '); sp >= 0 {
			text = text[cut+sp:]
		}
	}
	type word struct {
		w          string
		start, end int
	}
	var words []word
	eachWord(text, func(w string, start, end int) { words = append(words, word{w, start, end}) })
	// Only the words just before the parenthesis can name it: the text
	// between the last of them and it may hold spaces alone.
	if len(words) == 0 || strings.TrimSpace(text[words[len(words)-1].end:]) != "" {
		return ""
	}
	need := len(caps)
	for i := len(words) - 1; i >= 0 && i >= len(words)-acronymReach; i-- {
		w := words[i].w
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			if !functionWords[strings.ToLower(w)] || need == len(caps) {
				return ""
			}
			continue
		}
		initials := initialsOf(w)
		if len(initials) > need || string(caps[need-len(initials):need]) != string(initials) {
			return ""
		}
		need -= len(initials)
		if need == 0 {
			return text[words[i].start:words[len(words)-1].end]
		}
	}
	return ""
}

// capitalsOf are the capital letters of an acronym, nil when it is not
// one: letters only, the first a capital.
func capitalsOf(acronym string) []rune {
	var caps []rune
	for i, r := range acronym {
		switch {
		case !unicode.IsLetter(r):
			return nil
		case unicode.IsUpper(r):
			caps = append(caps, r)
		case i == 0:
			return nil
		}
	}
	return caps
}

// initialsOf are the first letters of the capitalised parts of hyphenated
// word w ("Harbour-Watch": H, W).
func initialsOf(w string) []rune {
	var out []rune
	for part := range strings.SplitSeq(w, "-") {
		if r, _ := utf8.DecodeRuneInString(part); unicode.IsUpper(r) {
			out = append(out, r)
		}
	}
	return out
}

// newAcronymTerms analyses the names of acronyms, once for the engine's
// life.
func newAcronymTerms(ix Index, acronyms map[string]string) map[string][]string {
	if len(acronyms) == 0 {
		return nil
	}
	out := make(map[string][]string, len(acronyms))
	for a, name := range acronyms {
		var terms []string
		for _, t := range ix.Analyze(name) {
			if !contains(terms, t.Term) {
				terms = append(terms, t.Term)
			}
		}
		out[a] = terms
	}
	return out
}

// acronymForms adds to syn, the synonyms of question q's terms by their
// position (see synonymForms), the names of the acronyms the corpus
// defines that q asks about, analysed as toks: a name counts as the
// acronym does, as a synonym of many words. The question writes the
// acronym as the corpus does.
func (e *Engine) acronymForms(q string, toks []index.Token, syn map[int][][]string) map[int][][]string {
	acronyms := e.acronyms()
	if len(acronyms) == 0 {
		return syn
	}
	for _, t := range toks {
		name, ok := acronyms[q[t.Start:t.End]]
		if !ok || len(name) == 0 {
			continue
		}
		if syn == nil {
			syn = map[int][][]string{}
		}
		syn[t.Position] = append(syn[t.Position], name)
	}
	return syn
}
