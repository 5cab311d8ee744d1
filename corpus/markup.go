package corpus

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// nextLine returns the end of the line starting at start (before its line
// break) and the start of the next line (len(text)+1 after the last one).
func nextLine(text string, start int) (end, next int) {
	i := strings.IndexAny(text[start:], "\r\n")
	if i < 0 {
		return len(text), len(text) + 1
	}
	end = start + i
	if strings.HasPrefix(text[end:], "\r\n") {
		return end, end + 2
	}
	return end, end + 1
}

// frontMatter finds YAML front matter at the start of a Markdown text: a
// "---" line, then anything up to a "---" or "..." line. It returns where
// the text after it starts and the value of its top-level "title:" key.
func frontMatter(text string) (body int, title string, ok bool) {
	end, next := nextLine(text, 0)
	if strings.TrimRight(text[:end], " \t") != "---" {
		return 0, "", false
	}
	for start := next; start <= len(text); start = next {
		end, next = nextLine(text, start)
		line := text[start:end]
		switch strings.TrimRight(line, " \t") {
		case "---", "...":
			return min(next, len(text)), title, true
		}
		if k, v, found := strings.Cut(line, ":"); found && title == "" && strings.EqualFold(k, "title") {
			title = yamlScalar(v)
		}
	}
	return 0, "", false
}

// yamlScalar reads a one-line YAML scalar: quoted, or plain with an
// optional comment. Block scalars ("|", ">") give "".
func yamlScalar(v string) string {
	v = strings.TrimSpace(v)
	switch {
	case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
		if s, err := strconv.Unquote(v); err == nil {
			return strings.TrimSpace(s)
		}
		return strings.TrimSpace(v[1 : len(v)-1])
	case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
		return strings.TrimSpace(strings.ReplaceAll(v[1:len(v)-1], "''", "'"))
	case strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">"):
		return ""
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// The lines that frame a Project Gutenberg book, in their variants:
// "*** START OF THE PROJECT GUTENBERG EBOOK ALICE ***", "***START OF THIS
// PROJECT GUTENBERG EBOOK", "*** END OF PROJECT GUTENBERG …".
var (
	gutenbergStart = regexp.MustCompile(`(?im)^[ \t]*\*+[ \t]*START[ \t]+OF[ \t]+(?:(?:THE|THIS)[ \t]+)?PROJECT[ \t]+GUTENBERG\b[^\r\n]*`)
	gutenbergEnd   = regexp.MustCompile(`(?im)^[ \t]*\*+[ \t]*END[ \t]+OF[ \t]+(?:(?:THE|THIS)[ \t]+)?PROJECT[ \t]+GUTENBERG\b[^\r\n]*`)
	// The closing line of the book itself, before the end marker: "End of
	// the Project Gutenberg EBook of …", "End of Project Gutenberg's …".
	gutenbergLast  = regexp.MustCompile(`(?i)^[ \t]*End[ \t]+of[ \t]+(?:the[ \t]+)?Project[ \t]+Gutenberg`)
	gutenbergTitle = regexp.MustCompile(`(?im)^[ \t]*Title:[ \t]*([^\r\n]*)`)
)

// gutenberg finds the book in a Project Gutenberg file: the text between
// the line that starts it and the line that ends it (or the end of the
// file), without the book's own "End of the Project Gutenberg EBook" line,
// and the title from the header's "Title:" line and the indented lines that
// continue it.
func gutenberg(text string) (start, end int, title string, ok bool) {
	// The word, looked for first, spares most files the slow regexp.
	if !containsFoldASCII(text, "gutenberg") {
		return 0, 0, "", false
	}
	m := gutenbergStart.FindStringIndex(text)
	if m == nil {
		return 0, 0, "", false
	}
	_, start = nextLine(text, m[1])
	start = min(start, len(text))
	end = len(text)
	if e := gutenbergEnd.FindStringIndex(text[start:]); e != nil {
		end = start + e[0]
	}
	body := strings.TrimRight(text[start:end], " \t\r\n")
	last := strings.LastIndexAny(body, "\r\n") + 1
	if gutenbergLast.MatchString(body[last:]) {
		end = start + last
	}
	header := text[:m[0]]
	if t := gutenbergTitle.FindStringSubmatchIndex(header); t != nil {
		parts := []string{strings.TrimSpace(header[t[2]:t[3]])}
		_, next := nextLine(header, t[1])
		for next <= len(header) {
			lend, lnext := nextLine(header, next)
			line := header[next:lend]
			if strings.TrimSpace(line) == "" || (line[0] != ' ' && line[0] != '\t') {
				break
			}
			parts = append(parts, strings.TrimSpace(line))
			next = lnext
		}
		title = strings.Join(parts, " ")
	}
	return start, end, title, true
}

// containsFoldASCII reports whether s holds word, a lower-case ASCII word
// none of whose letters folds to a non-ASCII one (as k and s do), in any
// case.
func containsFoldASCII(s, word string) bool {
	first := word[0]
	for i := 0; i+len(word) <= len(s); {
		j := strings.IndexAny(s[i:len(s)-len(word)+1], string([]byte{first, first - 'a' + 'A'}))
		if j < 0 {
			return false
		}
		i += j
		if strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
		i++
	}
	return false
}

// markSetext finds Markdown setext headings: a line of text alone (after a
// blank line or at the start) underlined by a line of "=" (level 1) or "-"
// (level 2). The underline is marked to be dropped.
func markSetext(text string, lines []line) {
	for i := 1; i < len(lines); i++ {
		u, h := &lines[i], &lines[i-1]
		if u.kind != rule || h.kind != textual || h.item || (i >= 2 && lines[i-2].kind == textual) {
			continue
		}
		switch s := text[u.cs:u.ce]; {
		case strings.Trim(s, "=") == "":
			h.level = 1
		case strings.Trim(s, "-") == "":
			h.level = 2
		default:
			continue
		}
		h.kind, u.drop = heading, true
	}
}

// span is a range of bytes of a text.
type span struct{ start, end int }

// render turns a Markdown text into its plain text: without heading marks
// and setext underlines, list markers, emphasis markers ("*", "_", "**" …
// that pair up), code span backticks, the backslash of an escape, and the
// syntax of inline links and images ("[text](url)" is "text"). Lines keep
// their kinds and their line breaks; their offsets are moved into the new
// text.
func render(text string, lines []line) (string, []line) {
	var cuts []span
	cut := func(s, e int) {
		if s < e {
			cuts = append(cuts, span{s, e})
		}
	}
	var block []span // the content of the lines of one paragraph so far
	inline := func() {
		cuts = append(cuts, inlineCuts(text, block)...)
		block = block[:0]
	}
	for _, l := range lines {
		switch {
		case l.drop:
			inline()
			cut(l.start, l.end)
		case l.kind == heading:
			inline()
			cut(l.start, l.cs)
			block = append(block, span{l.cs, l.ce})
			inline()
			cut(l.ce, l.end)
		case l.kind == textual:
			if l.item {
				inline()
				cut(l.start, l.cs)
			}
			block = append(block, span{l.cs, l.ce})
		default:
			inline()
		}
	}
	inline()
	if len(cuts) == 0 {
		return text, lines
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].start < cuts[j].start })

	var b strings.Builder
	b.Grow(len(text))
	removed := make([]int, len(cuts)+1) // bytes removed before cuts[i]
	last := 0
	for i, c := range cuts {
		c.start = max(c.start, last)
		c.end = max(c.end, c.start)
		cuts[i] = c
		b.WriteString(text[last:c.start])
		removed[i+1] = removed[i] + c.end - c.start
		last = c.end
	}
	b.WriteString(text[last:])
	out := b.String()
	at := func(x int) int {
		i := sort.Search(len(cuts), func(i int) bool { return cuts[i].end > x })
		n := removed[i]
		if i < len(cuts) && cuts[i].start < x {
			n += x - cuts[i].start
		}
		return x - n
	}
	for i := range lines {
		l := &lines[i]
		l.start, l.end, l.cs, l.ce = at(l.start), at(l.end), at(l.cs), at(l.ce)
		if l.kind == textual || l.kind == heading {
			l.cs, l.ce = trimSpan(out, l.cs, l.ce)
			switch s := out[l.cs:l.ce]; {
			case s == "":
				l.kind = blank
			case !hasWordChar(s):
				l.kind = rule
			}
		}
	}
	return out, lines
}

// A run of "*" or "_" that may open or close emphasis.
type delimiter struct {
	pos, n      int
	left        int // characters not yet paired
	c           byte
	open, close bool
}

// inlineCuts returns what to cut from the lines of one paragraph (their
// content ranges, in order) to leave their plain text.
func inlineCuts(text string, ranges []span) []span {
	var cuts []span
	var delims []delimiter
	for _, r := range ranges {
		type bracket struct{ pos, n int }
		var brackets []bracket
		for i := r.start; i < r.end; {
			switch c := text[i]; c {
			case '\\':
				if i+1 < r.end && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", text[i+1]) >= 0 {
					cuts = append(cuts, span{i, i + 1})
					i += 2
					continue
				}
			case '`':
				n := runLen(text, i, r.end)
				if j := findRun(text, i+n, r.end, '`', n); j >= 0 {
					cuts = append(cuts, span{i, i + n}, span{j, j + n})
					i = j + n
					continue
				}
				i += n
				continue
			case '*', '_':
				n := runLen(text, i, r.end)
				prev, next := runeBefore(text, r.start, i), runeAfter(text, i+n, r.end)
				left := !unicode.IsSpace(next) && (!isPunct(next) || unicode.IsSpace(prev) || isPunct(prev))
				right := !unicode.IsSpace(prev) && (!isPunct(prev) || unicode.IsSpace(next) || isPunct(next))
				d := delimiter{pos: i, n: n, left: n, c: c, open: left, close: right}
				if c == '_' {
					d.open = left && (!right || isPunct(prev))
					d.close = right && (!left || isPunct(next))
				}
				delims = append(delims, d)
				i += n
				continue
			case '!':
				if i+1 < r.end && text[i+1] == '[' {
					brackets = append(brackets, bracket{i, 2})
					i += 2
					continue
				}
			case '[':
				brackets = append(brackets, bracket{i, 1})
			case ']':
				if len(brackets) > 0 && i+1 < r.end && text[i+1] == '(' {
					if j := closeParen(text, i+2, r.end); j >= 0 {
						o := brackets[len(brackets)-1]
						brackets = brackets[:len(brackets)-1]
						cuts = append(cuts, span{o.pos, o.pos + o.n}, span{i, j + 1})
						i = j + 1
						continue
					}
				}
			}
			i++
		}
	}
	// Pair closers with the nearest opener of the same character.
	var stack []int
	for k := range delims {
		d := &delims[k]
		for d.close && d.left > 0 {
			j := len(stack) - 1
			for j >= 0 && delims[stack[j]].c != d.c {
				j--
			}
			if j < 0 {
				break
			}
			o := &delims[stack[j]]
			n := min(o.left, d.left)
			cuts = append(cuts, span{o.pos + o.left - n, o.pos + o.left}, span{d.pos + d.n - d.left, d.pos + d.n - d.left + n})
			o.left -= n
			d.left -= n
			stack = stack[:j+1]
			if o.left == 0 {
				stack = stack[:j]
			}
		}
		if d.open && d.left > 0 {
			stack = append(stack, k)
		}
	}
	return cuts
}

// runLen returns how many times the byte at i repeats from i, before end.
func runLen(text string, i, end int) int {
	n := 1
	for i+n < end && text[i+n] == text[i] {
		n++
	}
	return n
}

// findRun returns where a run of exactly n bytes c starts in text[from:end],
// or -1.
func findRun(text string, from, end int, c byte, n int) int {
	for i := from; i < end; {
		if text[i] != c {
			i++
			continue
		}
		m := runLen(text, i, end)
		if m == n {
			return i
		}
		i += m
	}
	return -1
}

// closeParen returns the offset of the ")" that closes a link's "(" opened
// before from, or -1.
func closeParen(text string, from, end int) int {
	depth := 0
	for i := from; i < end; i++ {
		switch text[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// runeBefore returns the rune before i, or a space at start.
func runeBefore(text string, start, i int) rune {
	if i <= start {
		return ' '
	}
	r, _ := utf8.DecodeLastRuneInString(text[start:i])
	return r
}

// runeAfter returns the rune at i, or a space at end.
func runeAfter(text string, i, end int) rune {
	if i >= end {
		return ' '
	}
	r, _ := utf8.DecodeRuneInString(text[i:end])
	return r
}

func isPunct(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// onlySpace reports whether s holds nothing but white space.
func onlySpace(s string) bool {
	return strings.TrimSpace(s) == ""
}
