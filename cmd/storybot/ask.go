package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/storybot/storybot/answer"
)

func runAsk(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs, cfg)
	asJSON := fs.Bool("json", false, "print one JSON object a line")
	top := fs.Int("top", 3, "how many citations to show (more when the answer quotes more passages)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: storybot ask [--json] [--top N] [--corpus DIR] [--data-dir DIR] [QUESTION...]")
		fmt.Fprintln(stderr, "With no QUESTION, reads one question a line from standard input.")
		fs.PrintDefaults()
	}
	args, err := parse(fs, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if *top < 1 || *top > 10 {
		return usagef("ask: --top must be between 1 and 10, not %d", *top)
	}
	var questions func(yield func(string) bool) error
	if len(args) > 0 {
		q := strings.TrimSpace(strings.Join(args, " "))
		if q == "" {
			return usagef(`ask: empty question; try: storybot ask "Who signed the security pact?"`)
		}
		questions = func(yield func(string) bool) error { yield(q); return nil }
	} else {
		questions = func(yield func(string) bool) error {
			sc := bufio.NewScanner(stdin)
			sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
			for sc.Scan() {
				if q := strings.TrimSpace(sc.Text()); q != "" && !yield(q) {
					return nil
				}
			}
			if err := sc.Err(); err != nil {
				return fmt.Errorf("read questions: %w", err)
			}
			return nil
		}
	}

	eng, err := openEngine(ctx, src, answer.Options{Citations: *top}, logger)
	if err != nil {
		return err
	}
	defer eng.Close()

	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	color := isTerminal(stdout)
	// A question that cannot be asked is reported and skipped, so that one
	// bad line of a batch loses none of the others; the exit status says so.
	asked, refused := 0, 0
	var askErr, lastRefusal error
	err = questions(func(q string) bool {
		asked++
		a, err := eng.Answer(ctx, q)
		var refusal error
		switch {
		case errors.Is(err, answer.ErrEmptyQuestion):
			refusal = usagef("ask: question %q has no words to look for", q)
		case errors.Is(err, answer.ErrLongQuestion), errors.Is(err, answer.ErrInvalidQuestion):
			refusal = usagef("ask: question %d: %v", asked, err)
		case err != nil:
			askErr = err
			return false
		}
		if refusal != nil {
			refused++
			lastRefusal = refusal
			fmt.Fprintln(stderr, "storybot:", refusal)
			return true
		}
		if *asJSON {
			askErr = enc.Encode(toJSON(a))
		} else {
			askErr = renderText(out, a, color, asked > 1)
		}
		if askErr == nil && !*asJSON {
			askErr = out.Flush()
		}
		return askErr == nil
	})
	if err != nil {
		return err
	}
	if askErr != nil {
		return askErr
	}
	switch {
	case asked == 0:
		return usagef(`ask: no question given; try: storybot ask "Who signed the security pact?"`)
	case refused == 1 && asked == 1:
		return lastRefusal
	case refused > 0:
		return usagef("ask: %d of %d questions refused", refused, asked)
	}
	return nil
}

func ignoreHelp(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// jsonAnswer is the shape of one line of `ask --json`.
type jsonAnswer struct {
	Question  string         `json:"question"`
	Found     bool           `json:"found"`
	Answer    string         `json:"answer"`
	Citations []jsonCitation `json:"citations"`
}

type jsonCitation struct {
	N       int     `json:"n"`
	Doc     string  `json:"doc"`
	Title   string  `json:"title"`
	Passage string  `json:"passage"`
	Text    string  `json:"text"`
	Score   float64 `json:"score"`
}

func toJSON(a answer.Answer) jsonAnswer {
	j := jsonAnswer{Question: a.Question, Found: a.Found, Answer: a.Text, Citations: []jsonCitation{}}
	for _, c := range a.Citations {
		j.Citations = append(j.Citations, jsonCitation{c.N, c.Doc, c.Title, c.Passage, c.Text, c.Score})
	}
	return j
}

// renderText writes an answer for a person at a terminal: the answer with
// its matched words marked, then the numbered citations.
func renderText(w io.Writer, a answer.Answer, color, separate bool) error {
	var b strings.Builder
	if separate {
		b.WriteString("\n")
	}
	if a.DidYouMean != "" {
		fmt.Fprintf(&b, "(did you mean: %s)\n", a.DidYouMean)
	}
	if a.Found {
		for i, p := range a.Parts {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(mark(p.Text, p.Marks, color))
			fmt.Fprintf(&b, " [%d]", p.Citation)
		}
		b.WriteString("\n")
	} else {
		b.WriteString(a.Text)
		if len(a.Citations) > 0 {
			b.WriteString(" The closest passages:")
		}
		b.WriteString("\n")
	}
	for _, c := range a.Citations {
		fmt.Fprintf(&b, "\n[%d] %s · %s\n", c.N, c.Title, c.Passage)
		b.WriteString(indent(mark(c.Text, c.Marks, color), "    "))
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mark highlights spans of text: bold on a terminal, *stars* elsewhere.
func mark(text string, spans []answer.Span, color bool) string {
	open, close := "*", "*"
	if color {
		open, close = "\x1b[1m", "\x1b[0m"
	}
	var b strings.Builder
	last := 0
	for _, s := range spans {
		if s.Start < last || s.End > len(text) {
			continue
		}
		b.WriteString(text[last:s.Start])
		b.WriteString(open)
		b.WriteString(text[s.Start:s.End])
		b.WriteString(close)
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String()
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("NO_COLOR") == ""
}
