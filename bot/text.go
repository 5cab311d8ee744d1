package bot

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/storybot/storybot/answer"
)

// Discord's limits, in characters. Lengths are counted in UTF-16 code units
// (textLen), which is never less than the number of code points Discord counts.
const (
	maxContent     = 2000
	maxTitle       = 256
	maxDescription = 4096
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFields      = 25
	maxFooter      = 2048
	maxEmbedTotal  = 6000
	maxCustomID    = 100
	maxButtonLabel = 80
	maxChoices     = 25
	maxChoiceName  = 100
	maxChoiceValue = 100
)

const (
	ellipsis = "…"
	// zwsp is inserted after every '@' so that no text the bot quotes can
	// form @everyone, @here or a user or role mention.
	zwsp = "\u200b"
)

// textLen is the length of s as Discord counts it, conservatively: UTF-16
// code units, so a character outside the BMP counts twice.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
		if r == utf8.RuneError {
			n++ // invalid byte: counted as U+FFFD, be generous
		}
	}
	return n
}

// isInvisible reports characters that take no room on screen and may be used
// to hide text, as the answer engine sees them (answer.Invisible).
func isInvisible(r rune) bool { return answer.Invisible(r) }

// normalize replaces each run of white space and control characters with one
// space (leading and trailing runs too) and drops invisible characters and
// invalid UTF-8.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError || isInvisible(r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// escapeMarkdown escapes s for Discord Markdown so that it shows as typed:
// Markdown punctuation gets a backslash, line-start constructs (lists,
// headings, quotes) are defused, and every '@' is followed by a zero-width
// space so that nothing can mention anyone. lineStart says whether s begins a
// line. s should be normalized (one line).
func escapeMarkdown(s string, lineStart bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	prev := rune(0)
	for _, r := range s {
		if r == '#' && prev == '<' {
			// "<#123>" would be a channel mention, were '<' not escaped.
			b.WriteByte('\\')
		}
		prev = r
		switch r {
		case '\\', '*', '_', '~', '`', '|', '[', ']', '<':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '@':
			b.WriteString("@" + zwsp)
		case '-', '+', '>', '#':
			if lineStart {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '.':
			// "1. " at the start of a line would become a numbered list.
			if lineStart {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '\n':
			b.WriteRune(r)
			lineStart = true
			continue
		default:
			b.WriteRune(r)
		}
		if !(r >= '0' && r <= '9') && r != ' ' {
			lineStart = false
		}
	}
	return b.String()
}

// plainText makes text safe where Discord shows it without Markdown (embed
// footers, button labels, autocomplete choices): normalized, and with no
// '@' or '<' that could form a mention.
func plainText(s string) string {
	s = normalize(s)
	s = strings.ReplaceAll(s, "@", "@"+zwsp)
	return strings.ReplaceAll(s, "<", "<"+zwsp)
}

// unescapeMarkdown reverses escapeMarkdown, for logging what a user saw.
func unescapeMarkdown(s string) string {
	s = strings.ReplaceAll(s, "@"+zwsp, "@")
	var b strings.Builder
	esc := false
	for _, r := range s {
		if r == '\\' && !esc {
			esc = true
			continue
		}
		esc = false
		b.WriteRune(r)
	}
	return b.String()
}

// cutPlain returns the longest prefix of s that fits max characters together
// with the ellipsis to append, preferring to end at a sentence boundary, else
// at a word boundary; a single word longer than max is cut at a character.
// cut is false (and the prefix is s) when s fits.
func cutPlain(s string, max int, sentences bool) (prefix string, cut bool) {
	if textLen(s) <= max {
		return s, false
	}
	if max <= 1 {
		return "", true
	}
	budget := max - textLen(ellipsis) - 1 // room for " …"
	var (
		lastSentence  = -1 // byte offset just after a sentence end
		lastWord      = -1 // byte offset of a space ending a word
		lastRune      = 0  // byte offset of the last rune that fits
		n             = 0
		inSentenceEnd bool
	)
	for i, r := range s {
		if unicode.IsSpace(r) {
			if n <= budget+1 {
				lastWord = i
			}
			if inSentenceEnd && n <= budget {
				lastSentence = i
			}
		}
		switch {
		case r == '.' || r == '!' || r == '?' || r == '…':
			inSentenceEnd = true
		case inSentenceEnd && strings.ContainsRune("\"'’”)]»", r):
			// closing punctuation after the full stop: still the end
		default:
			inSentenceEnd = false
		}
		n += utf16.RuneLen(r)
		if r == utf8.RuneError {
			n++
		}
		if n > budget+1 {
			break
		}
		lastRune = i + utf8.RuneLen(r)
	}
	switch {
	case sentences && lastSentence > 0 && textLen(s[:lastSentence]) >= budget/2:
		return strings.TrimRightFunc(s[:lastSentence], unicode.IsSpace) + " ", true
	case lastWord > 0 && strings.TrimRightFunc(s[:lastWord], unicode.IsSpace) != "":
		return strings.TrimRightFunc(s[:lastWord], unicode.IsSpace), true
	default:
		// One word longer than the room: cut between characters.
		end := lastRune
		for end > 0 && textLen(s[:end]) > budget+1 {
			_, size := utf8.DecodeLastRuneInString(s[:end])
			end -= size
		}
		return s[:end], true
	}
}

// marked renders text for Discord: the byte ranges marks in bold, everything
// escaped, cut at a sentence (else word) boundary with "…" so that the result
// fits max characters. Cutting happens on the plain text, so an escape
// sequence or bold marker is never split.
func marked(text string, marks []answer.Span, max int) string {
	if max <= 0 {
		return ""
	}
	spans := cleanSpans(text, marks)
	budget := max
	for {
		prefix, cut := cutPlain(text, budget, true)
		out := renderSpans(prefix, spans)
		if cut {
			out = strings.TrimRight(out, " ")
			if strings.HasSuffix(prefix, " ") {
				out += " "
			}
			out += ellipsis
		}
		over := textLen(out) - max
		if over <= 0 {
			return out
		}
		if budget <= 2 {
			return ""
		}
		budget -= over
		if budget < 2 {
			budget = 2
		}
	}
}

// cleanSpans clips marks to text, moves them to character boundaries, sorts
// them and merges overlapping or touching ones.
func cleanSpans(text string, marks []answer.Span) []answer.Span {
	var out []answer.Span
	for _, m := range marks {
		s, e := max(m.Start, 0), min(m.End, len(text))
		for s < e && !utf8.RuneStart(text[s]) {
			s++
		}
		for e < len(text) && e > s && !utf8.RuneStart(text[e]) {
			e--
		}
		if s < e {
			out = append(out, answer.Span{Start: s, End: e})
		}
	}
	slices.SortFunc(out, func(a, b answer.Span) int { return a.Start - b.Start })
	merged := out[:0]
	for _, m := range out {
		if n := len(merged); n > 0 && m.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, m.End)
			continue
		}
		merged = append(merged, m)
	}
	return merged
}

// renderSpans escapes text (a prefix of the text spans index) and puts the
// spans in bold. Spans past the end of text are clipped.
func renderSpans(text string, spans []answer.Span) string {
	var b strings.Builder
	pos := 0
	plain := func(s string) {
		b.WriteString(escapeMarkdown(normalize(s), pos == 0))
	}
	for _, m := range spans {
		if m.Start >= len(text) {
			break
		}
		end := min(m.End, len(text))
		plain(text[pos:m.Start])
		word := normalize(text[m.Start:end])
		trimmed := strings.TrimSpace(word)
		if strings.HasPrefix(word, " ") {
			b.WriteByte(' ')
		}
		if trimmed != "" {
			b.WriteString("**" + escapeMarkdown(trimmed, false) + "**")
		}
		if trimmed != "" && strings.HasSuffix(word, " ") {
			b.WriteByte(' ')
		}
		pos = end
	}
	plain(text[pos:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// escaped renders plain text (no marks) within max characters.
func escaped(s string, max int) string { return marked(s, nil, max) }

// plainCut renders text for places without Markdown within max characters.
func plainCut(s string, max int) string {
	s = plainText(s)
	prefix, cut := cutPlain(s, max, false)
	if cut {
		return strings.TrimRight(prefix, " ") + ellipsis
	}
	return prefix
}
