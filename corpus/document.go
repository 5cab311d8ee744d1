package corpus

import (
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseDocument builds the document held in text, found at path (relative to
// the corpus root, with forward slashes): its text, its title, its ID (the
// slug of path, which Load may suffix to keep IDs unique) and its passages.
// A UTF-8 byte order mark at the start of text is dropped. Text that is not
// valid UTF-8 gives passages that are not valid UTF-8 either; Load never
// passes it.
//
// The document's Text is the file's text, except that a Project Gutenberg
// book is only the book (the text between its "*** START OF THE PROJECT
// GUTENBERG EBOOK" and "*** END OF …" lines), and that a Markdown (.md)
// file is its plain text: without YAML front matter, heading marks, list
// markers, emphasis markers, code span backticks, escapes and link syntax.
//
// Paragraphs are separated by blank lines, their lines joined with single
// spaces; a text with no blank line between two lines of text has one
// paragraph a line. The first level-1 heading ("# Title", or in Markdown a
// line underlined with "===") is the title line and belongs to no passage;
// the title is the front matter's "title:", else the book's "Title:", else
// that heading, else the file name made readable. Other headings belong to
// the paragraph that follows them when only blank lines stand between: the
// passage starts with the heading's text, each heading a line and a
// sentence of its own. A list item ("- ", "* ", "+ ", "• ", and in Markdown
// files "1. ") starts a paragraph, without its marker. Lines with no letter
// or digit ("* * *", "----") separate paragraphs and are no part of any.
func ParseDocument(path, text string) *Document {
	text = strings.TrimPrefix(text, bom)
	d := &Document{Path: path, source: text}
	md := isMarkdown(path)
	var layout []string
	if md {
		layout = append(layout, "markdown")
		if body, title, ok := frontMatter(text); ok {
			text, d.Title = text[body:], title
		}
	}
	if start, end, title, ok := gutenberg(text); ok {
		layout = append(layout, "gutenberg")
		text = text[start:end]
		d.textStart = start
		if d.Title == "" {
			d.Title = title
		}
	}
	lines := splitLines(text, md)
	if md {
		markSetext(text, lines)
		text, lines = render(text, lines)
	}
	d.Text = text
	title := -1
	d.titleStart, d.titleEnd = -1, -1
	for i, l := range lines {
		if l.kind == heading && l.level == 1 {
			title = i
			d.titleStart, d.titleEnd = l.start, l.end
			if d.Title == "" {
				d.Title = text[l.cs:l.ce]
			}
			break
		}
	}
	if d.Title == "" {
		d.Title = titleFromPath(path)
	}
	paras, joined := paragraphs(text, lines, title)
	if joined && !md {
		layout = append(layout, "headings")
	}
	for _, p := range paras {
		d.addPassages(p)
	}
	d.layout = strings.Join(layout, " ")
	d.setID(slug(path))
	d.hash = d.computeHash()
	return d
}

const bom = "\uFEFF"

func isMarkdown(p string) bool {
	return strings.EqualFold(path.Ext(p), ".md")
}

// setID gives the document and its passages their IDs.
func (d *Document) setID(id string) {
	d.ID = id
	for _, p := range d.Passages {
		p.ID = id + "#" + strconv.Itoa(p.Ordinal)
	}
}

type lineKind int

const (
	blank   lineKind = iota // nothing but white space
	rule                    // no letter or digit: "* * *", "----", "#"
	heading                 // a Markdown ATX heading: "## Title"
	textual                 // anything else
)

// A line of a document. start and end bound it without its line break; cs
// and ce bound its content, without surrounding white space, the "#" marks
// of a heading or the marker of a list item.
type line struct {
	start, end int
	cs, ce     int
	kind       lineKind
	level      int  // heading level
	item       bool // starts with a list marker
	drop       bool // a setext heading's underline
}

// splitLines cuts text into lines at "\n", "\r\n" or a lone "\r" and
// classifies them.
func splitLines(text string, md bool) []line {
	var lines []line
	for start := 0; start <= len(text); {
		end, next := nextLine(text, start)
		lines = append(lines, classify(text, start, end, md))
		start = next
	}
	return lines
}

func classify(text string, start, end int, md bool) line {
	l := line{start: start, end: end}
	l.cs, l.ce = trimSpan(text, start, end)
	s := text[l.cs:l.ce]
	switch {
	case s == "":
		l.kind = blank
		return l
	case !hasWordChar(s):
		l.kind = rule
		return l
	}
	l.kind = textual
	if level, cs, ce, ok := atxHeading(text, start, end); ok {
		l.kind, l.level, l.cs, l.ce = heading, level, cs, ce
		if !hasWordChar(text[cs:ce]) {
			l.kind = rule
		}
		return l
	}
	if n := listMarker(s, md); n > 0 {
		l.item = true
		l.cs = skipSpace(text, l.cs+n)
	}
	return l
}

// atxHeading recognises a Markdown heading: up to three spaces, one to six
// "#", then white space or nothing. It returns the bounds of the heading's
// text, without a closing run of "#".
func atxHeading(text string, start, end int) (level, cs, ce int, ok bool) {
	i := start
	for i < end && i-start < 3 && text[i] == ' ' {
		i++
	}
	h := i
	for i < end && text[i] == '#' {
		i++
	}
	level = i - h
	if level < 1 || level > 6 {
		return 0, 0, 0, false
	}
	if i < end && text[i] != ' ' && text[i] != '\t' {
		return 0, 0, 0, false
	}
	cs, ce = trimSpan(text, i, end)
	// A closing sequence: " ##" at the end.
	if t := strings.TrimRight(text[cs:ce], "#"); len(t) < ce-cs && (t == "" || strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\t")) {
		cs, ce = trimSpan(text, cs, cs+len(t))
	}
	return level, cs, ce, true
}

// listMarker returns the length of the list marker s starts with ("- ",
// "• ", and in Markdown "12. " or "3) "), without the white space after it,
// or 0.
func listMarker(s string, md bool) int {
	r, size := utf8.DecodeRuneInString(s)
	switch r {
	case '-', '*', '+', '•', '‣', '◦', '▪':
		if rest := s[size:]; rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			return size
		}
		return 0
	}
	if !md {
		return 0
	}
	n := 0
	for n < len(s) && n < 4 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || n > 3 || n+1 >= len(s) || (s[n] != '.' && s[n] != ')') || (s[n+1] != ' ' && s[n+1] != '\t') {
		return 0
	}
	return n + 1
}

func hasWordChar(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// A paragraph is the content of one or more consecutive lines, after the
// headings that lead it, if any; its text is the headings' text, each
// followed by a line break, then the lines' content joined with single
// spaces.
type paragraph struct {
	text  string
	segs  []segment
	heads []Sentence // the headings, a sentence each
}

// segment maps a line's content in a paragraph's text to the document.
type segment struct {
	at         int // offset in the paragraph's text
	start, end int // offsets in the document
}

// paragraphs groups lines into paragraphs, leaving out line skip (the
// title), and says whether a heading was joined to a paragraph.
func paragraphs(text string, lines []line, skip int) (out []paragraph, joined bool) {
	// One paragraph a line, unless a blank line stands between two lines of
	// text (or headings other than the title) somewhere. Chunk version 1 did
	// not count headings: say when that changes the outcome.
	blankMode, textOnly := false, false
	prev, gap := blank, false
	for i, l := range lines {
		if i == skip {
			prev, gap = rule, false
			continue
		}
		switch l.kind {
		case blank:
			gap = true
			continue
		case textual, heading:
			if gap && (prev == textual || prev == heading) {
				blankMode = true
				textOnly = textOnly || prev == textual && l.kind == textual
			}
		}
		prev, gap = l.kind, false
	}
	joined = blankMode != textOnly

	var cur, heads []line
	leads := func(next line) bool {
		return len(heads) > 0 && onlySpace(text[heads[len(heads)-1].ce:next.cs])
	}
	emitHeads := func() {
		if len(heads) > 0 {
			out = append(out, newParagraph(text, heads, nil))
			heads = nil
		}
	}
	flush := func() {
		if len(cur) == 0 {
			return
		}
		if leads(cur[0]) {
			out = append(out, newParagraph(text, heads, cur))
			heads, joined = nil, true
		} else {
			emitHeads()
			out = append(out, newParagraph(text, nil, cur))
		}
		cur = nil
	}
	for i, l := range lines {
		switch {
		case i == skip || l.kind == blank || l.kind == rule:
			flush()
		case l.kind == heading:
			flush()
			if !leads(l) {
				emitHeads()
			}
			heads = append(heads, l)
		case !blankMode:
			flush()
			cur = append(cur, l)
			flush()
		default:
			if l.item {
				flush()
			}
			cur = append(cur, l)
		}
	}
	flush()
	emitHeads()
	return out, joined
}

func newParagraph(text string, heads, lines []line) paragraph {
	var p paragraph
	if len(heads) == 0 && len(lines) == 1 {
		// The usual case for one-line paragraphs: no copy.
		l := lines[0]
		return paragraph{text: text[l.cs:l.ce], segs: []segment{{at: 0, start: l.cs, end: l.ce}}}
	}
	var b strings.Builder
	for i, l := range heads {
		if i > 0 {
			b.WriteByte('\n')
		}
		at := b.Len()
		p.segs = append(p.segs, segment{at: at, start: l.cs, end: l.ce})
		b.WriteString(text[l.cs:l.ce])
		p.heads = append(p.heads, Sentence{Start: at, End: b.Len(), Text: text[l.cs:l.ce]})
	}
	for i, l := range lines {
		switch {
		case i > 0:
			b.WriteByte(' ')
		case len(heads) > 0:
			b.WriteByte('\n')
		}
		p.segs = append(p.segs, segment{at: b.Len(), start: l.cs, end: l.ce})
		b.WriteString(text[l.cs:l.ce])
	}
	p.text = b.String()
	return p
}

// sentences cuts the paragraph's text into sentences: each heading one,
// then the sentences of the rest.
func (p paragraph) sentences() []Sentence {
	if len(p.heads) == 0 {
		return SplitSentences(p.text)
	}
	out := append([]Sentence(nil), p.heads...)
	body := p.heads[len(p.heads)-1].End
	for _, s := range SplitSentences(p.text[body:]) {
		out = append(out, Sentence{Start: body + s.Start, End: body + s.End, Text: s.Text})
	}
	return out
}

// startAt maps an offset in the paragraph's text where something begins to
// the document.
func (p paragraph) startAt(off int) int {
	// The first segment that ends after off.
	i := sort.Search(len(p.segs), func(i int) bool {
		s := p.segs[i]
		return s.at+(s.end-s.start) > off
	})
	if i == len(p.segs) {
		return p.segs[i-1].end
	}
	s := p.segs[i]
	return s.start + max(off-s.at, 0)
}

// endAt maps an offset in the paragraph's text where something ends to the
// document.
func (p paragraph) endAt(off int) int {
	// The first segment that ends at or after off.
	i := sort.Search(len(p.segs), func(i int) bool {
		s := p.segs[i]
		return s.at+(s.end-s.start) >= off
	})
	if i == len(p.segs) {
		return p.segs[i-1].end
	}
	s := p.segs[i]
	return s.start + max(off-s.at, 0)
}

// addPassages appends the passages of p to d: p itself if it is short
// enough, else windows of its sentences.
func (d *Document) addPassages(p paragraph) {
	sents := p.sentences()
	if len(p.text) <= MaxPassageLen {
		d.addPassage(p, 0, len(p.text), sents)
		return
	}
	units := cutLong(p.text, sents)
	for i := 0; i < len(units); {
		j := i + 1
		for j < len(units) && units[j].End-units[i].Start <= MaxPassageLen {
			j++
		}
		start, end := units[i].Start, units[j-1].End
		win := make([]Sentence, j-i)
		for k, s := range units[i:j] {
			win[k] = Sentence{Start: s.Start - start, End: s.End - start, Text: s.Text}
		}
		d.addPassage(p, start, end, win)
		i = j
	}
}

func (d *Document) addPassage(p paragraph, start, end int, sents []Sentence) {
	d.addPieces(p, start, end)
	d.Passages = append(d.Passages, &Passage{
		Doc:       d,
		Ordinal:   len(d.Passages) + 1,
		Start:     p.startAt(start),
		End:       p.endAt(end),
		Text:      p.text[start:end],
		Sentences: sents,
	})
}

// addPieces records, for the passage p.text[start:end], the spans of
// d.Text it is made of and the byte that joins each to the one before (see
// Document.pieces).
func (d *Document) addPieces(p paragraph, start, end int) {
	at := len(d.pieces)
	d.pieces = append(d.pieces, 0)
	n := int32(0)
	for _, s := range p.segs {
		lo, hi := max(s.at, start), min(s.at+s.end-s.start, end)
		if lo >= hi {
			continue
		}
		sep := int32(0)
		if n > 0 {
			sep = int32(p.text[s.at-1])
		}
		d.pieces = append(d.pieces, int32(s.start+lo-s.at), int32(s.start+hi-s.at), sep)
		n++
	}
	d.pieces[at] = n
}

// cutLong cuts every sentence longer than MaxPassageLen into pieces of at
// most that many bytes, at white space where there is some, else between
// runes.
func cutLong(text string, sents []Sentence) []Sentence {
	var out []Sentence
	for _, s := range sents {
		for s.End-s.Start > MaxPassageLen {
			t := text[s.Start:s.End]
			cut := MaxPassageLen
			for cut > 0 && !utf8.RuneStart(t[cut]) {
				cut--
			}
			if cut == 0 {
				cut = MaxPassageLen // not UTF-8: any cut will do
			}
			pe, rs := cut, cut
			if sp := lastSpace(t[:cut]); sp > 0 {
				pe, rs = sp, sp
			}
			ps, pe := trimSpan(text, s.Start, s.Start+pe)
			out = append(out, Sentence{Start: ps, End: pe, Text: text[ps:pe]})
			s.Start, _ = trimSpan(text, s.Start+rs, s.End)
			s.Text = text[s.Start:s.End]
		}
		out = append(out, s)
	}
	return out
}

// lastSpace returns the offset of the last white space in s, or -1.
func lastSpace(s string) int {
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		if unicode.IsSpace(r) {
			return i
		}
	}
	return -1
}

// titleFromPath makes a file name readable: "the-king-of-the-ants.txt" →
// "The King of the Ants".
func titleFromPath(p string) string {
	base := path.Base(p)
	base = strings.TrimSuffix(base, path.Ext(base))
	words := strings.FieldsFunc(base, func(r rune) bool {
		return r == '-' || r == '_' || r == '.' || unicode.IsSpace(r)
	})
	if len(words) == 0 {
		if p == "" {
			return "Untitled"
		}
		return p
	}
	for i, w := range words {
		if i > 0 && smallWords[w] {
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToTitle(r)) + w[size:]
	}
	return strings.Join(words, " ")
}

// smallWords stay lower case in a title made from a file name, unless first.
var smallWords = set(
	"a", "an", "the", "and", "but", "or", "nor", "of", "in", "on", "at", "to",
	"by", "for", "from", "with", "as", "into", "onto", "upon", "over", "vs",
)

// slug makes a document ID from a path: the path without its extension,
// lower case, each run of other characters than [a-z0-9] in a path element
// turned into one "-". Latin letters lose their accents; letters of other
// scripts become their hex code point, so that names in any script keep
// distinct IDs.
func slug(p string) string {
	p = strings.TrimSuffix(p, path.Ext(p))
	var elems []string
	for _, e := range strings.Split(p, "/") {
		var b strings.Builder
		dash := false
		word := func(w string) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteString(w)
		}
		for _, r := range strings.ToLower(e) {
			switch {
			case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				word(string(r))
			case foldLatin(r) != "":
				word(foldLatin(r))
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				dash = true
				word(strconv.FormatInt(int64(r), 16))
				dash = true
			default:
				dash = true
			}
		}
		if b.Len() > 0 {
			elems = append(elems, b.String())
		}
	}
	if len(elems) == 0 {
		return "doc"
	}
	return strings.Join(elems, "/")
}

// foldLatin returns a lower-case Latin letter with its accents taken off, as
// ASCII, or "".
func foldLatin(r rune) string {
	if r >= 0xdf && r <= 0xff {
		s := latin1[r-0xdf]
		if s != "_" {
			return s
		}
		return ""
	}
	switch r {
	case 'ā', 'ă', 'ą':
		return "a"
	case 'ć', 'ĉ', 'ċ', 'č':
		return "c"
	case 'ď', 'đ':
		return "d"
	case 'ē', 'ĕ', 'ė', 'ę', 'ě':
		return "e"
	case 'ğ', 'ġ', 'ģ':
		return "g"
	case 'ī', 'ĭ', 'į', 'ı':
		return "i"
	case 'ł', 'ľ', 'ĺ', 'ļ':
		return "l"
	case 'ń', 'ņ', 'ň':
		return "n"
	case 'ō', 'ŏ', 'ő':
		return "o"
	case 'œ':
		return "oe"
	case 'ŕ', 'ř':
		return "r"
	case 'ś', 'ŝ', 'ş', 'š':
		return "s"
	case 'ţ', 'ť':
		return "t"
	case 'ū', 'ŭ', 'ů', 'ű', 'ų':
		return "u"
	case 'ź', 'ż', 'ž':
		return "z"
	}
	return ""
}

// latin1 folds U+00DF "ß" to U+00FF "ÿ"; "_" marks "÷", not a letter.
var latin1 = [...]string{
	"ss",                                    // ß
	"a", "a", "a", "a", "a", "a", "ae", "c", // à á â ã ä å æ ç
	"e", "e", "e", "e", "i", "i", "i", "i", // è é ê ë ì í î ï
	"d", "n", "o", "o", "o", "o", "o", "_", // ð ñ ò ó ô õ ö ÷
	"o", "u", "u", "u", "u", "y", "th", "y", // ø ù ú û ü ý þ ÿ
}
