package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ellipsis marks where an excerpt was cut.
const Ellipsis = "…"

// clip cuts text to at most limit bytes around the stretch richest in marks,
// at word boundaries, marking each cut with an ellipsis.
func clip(text string, marks []Span, limit int) []Part {
	budget := limit - 2*len(Ellipsis)
	// Choose the window start: the mark from which the most marks fit.
	start := 0
	if len(marks) > 0 {
		bestN := -1
		for i, m := range marks {
			n := 0
			for _, m2 := range marks[i:] {
				if m2.End-m.Start > budget {
					break
				}
				n++
			}
			if n > bestN {
				bestN, start = n, m.Start
			}
		}
		// Give the window some lead-in: back to the clause before, if it fits.
		if lead := clauseStart(text, start); start-lead < budget/3 {
			start = lead
		}
	}
	end := min(len(text), start+budget)
	start, end = wordBounds(text, start, end)
	piece := strings.TrimSpace(text[start:end])
	off := start + strings.Index(text[start:end], piece)
	var b strings.Builder
	shift := -off
	if off > 0 {
		b.WriteString(Ellipsis)
		shift += len(Ellipsis)
	}
	b.WriteString(piece)
	if off+len(piece) < len(text) {
		b.WriteString(Ellipsis)
	}
	var kept []Span
	for _, m := range marks {
		if m.Start >= off && m.End <= off+len(piece) {
			kept = append(kept, Span{m.Start + shift, m.End + shift})
		}
	}
	return []Part{{Text: b.String(), Marks: kept}}
}

// clauseStart is the start of the clause holding byte i: just after the last
// comma, semicolon, colon or dash before it.
func clauseStart(text string, i int) int {
	j := strings.LastIndexAny(text[:i], ",;:—–")
	if j < 0 {
		return 0
	}
	_, size := utf8.DecodeRuneInString(text[j:])
	return j + size
}

// wordBounds narrows [start, end) so that it neither starts nor ends inside
// a word.
func wordBounds(text string, start, end int) (int, int) {
	for start > 0 && start < len(text) && !utf8.RuneStart(text[start]) {
		start--
	}
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:start])
		if !unicode.IsSpace(r) {
			if k := strings.IndexFunc(text[start:], unicode.IsSpace); k >= 0 {
				start += k
			}
		}
	}
	if end < len(text) {
		for end > start && !utf8.RuneStart(text[end]) {
			end--
		}
		if k := strings.LastIndexFunc(text[start:end], unicode.IsSpace); k >= 0 {
			end = start + k
		}
	}
	return start, end
}
