package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A terminal obeys control characters: ESC sequences set its title or clear
// it, CR and backspace overwrite what was written, bidi overrides reorder
// it, and a newline starts what reads as another log record. Corpus text,
// file names and questions may hold any of them, so what storybot shows a
// terminal passes through printable, and what names them in a message
// through escaped.

// layout says which control characters carry a text's layout and are kept.
type layout int

const (
	oneLine    layout = iota // a title, an ID, a question: newlines and tabs become spaces
	paragraphs               // corpus text: newlines and tabs kept
)

// isHidden reports whether r is a control character a terminal may obey (C0
// but for newline and tab, DEL, C1) or a bidi embedding, override or
// isolate, which reorders the text around it.
func isHidden(r rune) bool {
	switch {
	case r < 0x20 && r != '\n' && r != '\t', r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// printable returns s as a terminal may show it: control characters and
// bidi controls dropped, newlines and tabs kept or made spaces as l says,
// invalid UTF-8 shown as U+FFFD.
func printable(s string, l layout) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || isHidden(r) || (l == oneLine && (r == '\n' || r == '\t')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if l == oneLine {
				r = ' '
			}
			b.WriteRune(r)
		case !isHidden(r):
			b.WriteRune(r) // an invalid byte decodes as U+FFFD
		}
	}
	return b.String()
}

// escaped returns s on one line with every control character, newline and
// bidi control written as a Go escape (\n, \x1b, \u202e) and invalid UTF-8
// as \xff: for messages naming things (files, questions) that the reader
// must see exactly, such as an error that ends up among log lines.
func escaped(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case isHidden(r) || r == '\n' || r == '\t':
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// printError writes err to w as storybot's one line about it.
func printError(w io.Writer, err error) {
	fmt.Fprintln(w, "storybot:", escaped(err.Error()))
}

// isTerminal reports whether f (a reader or writer) is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && fileIsTerminal(file)
}
