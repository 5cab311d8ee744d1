package answer

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A period is a stretch of years a text names: a year (1066), a decade
// (the 1980s, the 1980's), the hundreds of a century (the 1700s) or a
// century by its ordinal (the 18th century), from its first year to its
// last.
type period struct{ from, to int }

// within reports whether p lies inside o.
func (p period) within(o period) bool { return o.from <= p.from && p.to <= o.to }

// periodsOf are the periods text names, in order. A year is a number of
// four digits from 1000 to 2999; one with "s" or "'s" after it is a decade,
// or the hundreds of a century when it ends in 00; an ordinal is a
// century only before "century" or "centuries", perhaps after other
// ordinals and the words of a century's parts (centuryJoins: "the 10th
// and 11th centuries", "the last decade of the 11th"): "the 10th series"
// names no time. A century is taken as its hundreds, as readers speak of it (the
// 11th century, the 1000s), not as the calendar counts it (1001 to 1100).
func periodsOf(text string) []period { return appendPeriods(nil, text) }

// appendPeriods appends to out the periods text names (see periodsOf).
func appendPeriods(out []period, text string) []period {
	if !mayNamePeriod(text) {
		return out // most questions and sentences: no year, no century
	}
	var buf [4]int
	ordinals := buf[:0] // ordinals waiting for "century"
	periodWords(text, func(w string) {
		// A word that does not start with a digit tells a period only
		// after an ordinal (as "century", or a word between): most
		// words of a text that holds numbers.
		if len(ordinals) == 0 && (w[0] < '0' || w[0] > '9') {
			return
		}
		lw := strings.ToLower(w)
		switch {
		case lw == "century" || lw == "centuries":
			for _, n := range ordinals {
				out = append(out, period{(n - 1) * 100, (n-1)*100 + 99})
			}
			ordinals = ordinals[:0]
			return
		case centuryJoins[lw]:
			return // "the 10th and 11th centuries", "the last decade of the 11th and first of the 12th century"
		}
		if n, ok := ordinal(lw); ok {
			ordinals = append(ordinals, n)
			return
		}
		ordinals = ordinals[:0]
		digits := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(lw, "s"), "'"), "’")
		if len(digits) != 4 || strings.Trim(digits, "0123456789") != "" || digits[0] != '1' && digits[0] != '2' {
			return
		}
		y, _ := strconv.Atoi(digits)
		switch {
		case digits == lw:
			out = append(out, period{y, y})
		case y%100 == 0:
			out = append(out, period{y, y + 99})
		case y%10 == 0:
			out = append(out, period{y, y + 9})
		default:
			out = append(out, period{y, y}) // "the 1899's": a year
		}
	})
	return out
}

// mayNamePeriod reports whether text may name a period (see periodsOf):
// whether it holds four digits in a row, as a year does, or "century" or
// "centuries" in any case.
func mayNamePeriod(text string) bool {
	digits := 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case '0' <= c && c <= '9':
			if digits++; digits == 4 {
				return true
			}
			continue
		case (c == 'c' || c == 'C') && len(text)-i >= len("centur") && strings.EqualFold(text[i:i+len("centur")], "centur"):
			return true
		}
		digits = 0
	}
	return false
}

// centuryJoins are the words that may stand between an ordinal and the
// "century" it is of: other ordinals' joins and the parts of a century.
var centuryJoins = newWordSet(`and or to the of early late mid middle first second last final half decade decades part end beginning`)

// ordinal is the number of an ordinal in digits ("11th", "21st"), and
// whether w is one.
func ordinal(w string) (int, bool) {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if d, ok := strings.CutSuffix(w, suf); ok && d != "" && len(d) <= 2 && strings.Trim(d, "0123456789") == "" {
			n, _ := strconv.Atoi(d)
			return n, n > 0
		}
	}
	return 0, false
}

// periodWords calls fn with each word of text in turn, words cut at
// anything but letters, digits and an apostrophe between a digit and an
// "s" ("1980's"): substrings of text, none made anew.
func periodWords(text string, fn func(w string)) {
	start := -1
	prev := utf8.RuneError // the rune before r, none at first
	for i, r := range text {
		keep := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !keep && (r == '\'' || r == '’') && unicode.IsDigit(prev) {
			next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
			keep = next == 's'
		}
		prev = r
		switch {
		case keep && start < 0:
			start = i
		case !keep && start >= 0:
			fn(text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		fn(text[start:])
	}
}

// heldPeriod reports whether one of held, the periods a text names, lies
// within p or holds it: "1081" answers "the 11th century", "the late
// 1980s" answers "1989", and "the 1100s" answers nothing of the 11th
// century.
func heldPeriod(p period, held []period) bool {
	for _, h := range held {
		if h.within(p) || p.within(h) {
			return true
		}
	}
	return false
}
