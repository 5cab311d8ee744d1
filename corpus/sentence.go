package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitSentences cuts text into sentences and returns them in order, each
// trimmed of surrounding white space, with offsets such that
// text[s.Start:s.End] == s.Text. Text holding no sentence (empty or white
// space) gives none.
//
// A sentence ends at ".", "!", "?" or an ellipsis ("…", "..."), together with
// any closing quotes or brackets right after it, when white space and the
// start of a new sentence follow. So:
//   - nothing ends before a lower-case word: "etc. and", "… and then",
//     “Come here!” he said;
//   - nothing ends inside a word or number: 3.5, U.S.A., example.com;
//   - a closing quote stays with its sentence: He said “Stop.” | Then he left.
//   - after a title (Mr., Mrs., Dr., Prof. …) nothing ends; after an initial
//     (J. R. R. Tolkien), a dotted abbreviation (U.S., e.g.) or another
//     ambiguous one (St., Jr., Inc., etc.) a sentence ends only if a word
//     that commonly starts sentences follows ("the U.S. The …" but not
//     "U.S. Secretary of State");
//   - a blank line (two line breaks) always ends a sentence;
//   - the last sentence needs no full stop.
func SplitSentences(text string) []Sentence {
	var out []Sentence
	emit := func(s, e int) {
		s, e = trimSpan(text, s, e)
		if s < e {
			out = append(out, Sentence{Start: s, End: e, Text: text[s:e]})
		}
	}
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case isTerminal(r):
			end, ok := sentenceEnd(text, start, i)
			if ok {
				emit(start, end)
				start = end
			}
			i = end
			continue
		case r == '\n' || r == '\r':
			if end, breaks := lineBreaks(text, i); breaks >= 2 {
				emit(start, i)
				start = end
				i = end
				continue
			}
		}
		i += size
	}
	emit(start, len(text))
	return out
}

// sentenceEnd looks at the run of terminal punctuation at text[i:] in the
// sentence that began at start. It returns the offset just past the run and
// any closing quotes or brackets after it, and whether the sentence ends
// there.
func sentenceEnd(text string, start, i int) (end int, ok bool) {
	j, dotOnly, hard := i, true, false
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !isTerminal(r) {
			break
		}
		if r != '.' {
			dotOnly = false
		}
		if r == '。' || r == '！' || r == '？' {
			hard = true
		}
		j += size
	}
	k := j
	for k < len(text) {
		r, size := utf8.DecodeRuneInString(text[k:])
		if !isCloser(r) {
			break
		}
		k += size
	}
	if k == len(text) {
		return k, true
	}
	if r, _ := utf8.DecodeRuneInString(text[k:]); !unicode.IsSpace(r) {
		// "3.5", "U.S.A.", "example.com"; full-width stops need no space.
		return k, hard || missingSpace(text, i, k)
	}
	n := skipSpace(text, k)
	if n == len(text) {
		return k, true
	}
	// The next word, past any opening quotes or brackets.
	m := n
	for m < len(text) {
		r, size := utf8.DecodeRuneInString(text[m:])
		if !isOpener(r) {
			break
		}
		m += size
	}
	if m == len(text) {
		return k, true
	}
	c, _ := utf8.DecodeRuneInString(text[m:])
	switch {
	case unicode.IsLower(c):
		return k, false
	case unicode.IsLetter(c) || unicode.IsDigit(c) || m > n:
	default:
		// Punctuation: ". . .", a dash, a stray symbol.
		return k, false
	}
	if !dotOnly || k > j || j-i != 1 {
		// "!", "?", an ellipsis, or a full stop with a closing quote.
		return k, true
	}

	tok := tokenBefore(text, i)
	low := strings.ToLower(tok)
	next := wordAt(text, m)
	switch {
	case tok == "":
		return k, true
	case titles[low]:
		return k, false
	case numberAbbrevs[low] && unicode.IsDigit(c):
		return k, false
	case isNumber(tok) && len(tok) <= 3 && strings.TrimSpace(text[start:i]) == tok:
		// A list number: "1. Preheat the oven."
		return k, false
	case isInitial(tok):
		if isInitialAt(text, m) {
			return k, false // "J. R. R. Tolkien"
		}
		return k, starters[next]
	case ambiguousAbbrevs[low] || isDottedAbbrev(tok):
		return k, starters[next]
	}
	return k, true
}

// missingSpace reports whether the full stop at text[i] is a typo for ". ":
// "the Summer.The Autumn", a lower-case word, the stop, then a word that
// commonly starts sentences and a space.
func missingSpace(text string, i, k int) bool {
	if k != i+1 || text[i] != '.' {
		return false
	}
	a, size := utf8.DecodeLastRuneInString(text[:i])
	b, _ := utf8.DecodeLastRuneInString(text[:i-size])
	if !unicode.IsLower(a) || !unicode.IsLetter(b) {
		return false
	}
	w := wordAt(text, k)
	if len(w) < 2 || !starters[w] {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[k+len(w):])
	return unicode.IsSpace(r)
}

// lineBreaks counts the line breaks in the run of white space at text[i:] and
// returns the offset past the run.
func lineBreaks(text string, i int) (end, breaks int) {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		switch {
		case r == '\r' && strings.HasPrefix(text[i:], "\r\n"):
			breaks++
			size = 2
		case r == '\n' || r == '\r':
			breaks++
		}
		i += size
	}
	return i, breaks
}

// tokenBefore returns the non-space run that ends at text[i], without the
// quotes or brackets it starts with.
func tokenBefore(text string, i int) string {
	s := i
	for s > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:s])
		if unicode.IsSpace(r) {
			break
		}
		s -= size
	}
	return strings.TrimLeftFunc(text[s:i], func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// wordAt returns the letters at text[i:].
func wordAt(text string, i int) string {
	e := i
	for e < len(text) {
		r, size := utf8.DecodeRuneInString(text[e:])
		if !unicode.IsLetter(r) {
			break
		}
		e += size
	}
	return text[i:e]
}

// isInitial reports whether tok is a single upper-case letter.
func isInitial(tok string) bool {
	r, size := utf8.DecodeRuneInString(tok)
	return size == len(tok) && unicode.IsUpper(r)
}

// isInitialAt reports whether an initial and a full stop stand at text[i:].
func isInitialAt(text string, i int) bool {
	r, size := utf8.DecodeRuneInString(text[i:])
	return unicode.IsUpper(r) && strings.HasPrefix(text[i+size:], ".")
}

// isDottedAbbrev reports whether tok is letters of one or two, separated by
// full stops: "U.S", "e.g", "Ph.D" (the last full stop is not in tok).
func isDottedAbbrev(tok string) bool {
	parts := strings.Split(tok, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		n := 0
		for _, r := range p {
			if !unicode.IsLetter(r) {
				return false
			}
			n++
		}
		if n < 1 || n > 2 {
			return false
		}
	}
	return true
}

func isNumber(tok string) bool {
	for _, r := range tok {
		if r < '0' || r > '9' {
			return false
		}
	}
	return tok != ""
}

func isTerminal(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '‼', '⁇', '⁈', '⁉', '。', '！', '？':
		return true
	}
	return false
}

// isCloser reports whether r may close a quotation or bracket (or Markdown
// emphasis) after the end of a sentence.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '}', '»', '›', '」', '』', '*', '_':
		return true
	}
	return false
}

// isOpener reports whether r may open a quotation or bracket (or Markdown
// emphasis) before a sentence.
func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '„', '‚', '(', '[', '{', '«', '‹', '「', '『', '¿', '¡', '*', '_':
		return true
	}
	return false
}

func skipSpace(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

// trimSpan narrows text[s:e] to leave out white space at either end, in the
// same way as strings.TrimSpace.
func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, size := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += size
	}
	for e > s {
		r, size := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= size
	}
	return s, e
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// titles stand before a name: a sentence never ends after one. Lower case.
var titles = set(
	"mr", "mrs", "ms", "mx", "messrs", "mmes", "mme", "mlle", "dr", "prof",
	"rev", "fr", "hon", "gen", "capt", "col", "lt", "sgt", "cpl", "maj", "adm",
	"cmdr", "gov", "sen", "rep", "pres", "supt", "insp", "rt",
)

// numberAbbrevs stand before a number ("No. 5", "pp. 12"). Lower case.
var numberAbbrevs = set(
	"c", "no", "nos", "nr", "vol", "vols", "p", "pp", "fig", "figs", "art", "ch",
	"chap", "sec", "op", "ed", "eq", "ref",
)

// ambiguousAbbrevs may end a sentence or not ("Main St. The …" but "St.
// Lawrence"). Lower case.
var ambiguousAbbrevs = set(
	"st", "jr", "sr", "esq", "inc", "ltd", "co", "corp", "bros", "llc", "plc",
	"etc", "vs", "al", "approx", "dept", "est", "ave", "blvd", "rd", "mt", "ft",
	"cf", "ca", "viz", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
	"sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs",
	"fri", "sat", "sun",
)

// starters are words that commonly start a sentence: after an initial or an
// ambiguous abbreviation, a sentence ends only if one of them follows.
var starters = set(
	"A", "An", "The", "This", "That", "These", "Those", "There", "Here",
	"I", "You", "He", "She", "It", "We", "They", "His", "Her", "Its", "Our",
	"Their", "My", "Your", "One", "Some", "Many", "Most", "All", "Each",
	"Every", "Both", "Several", "Such", "No", "Not", "Nor", "Yes", "And",
	"But", "Or", "So", "Yet", "Then", "Thus", "Hence", "However", "Still",
	"Also", "Meanwhile", "Later", "Today", "Now", "Once", "In", "On", "At",
	"As", "After", "Before", "When", "While", "If", "Since", "Although",
	"Though", "Because", "For", "From", "With", "By", "To", "Of", "Under",
	"Over", "During", "Despite", "According", "What", "Who", "Whom", "Whose",
	"How", "Why", "Where", "Which", "Let", "Do", "Did", "Is", "Was", "Are",
	"Were",
)
