package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/storybot/storybot/answer"
)

// maxLineBytes bounds a line of standard input as ask reads it: a longer
// line is refused as too long and discarded as it is read, never held whole.
// It is far above answer.MaxQuestionLen, so that a question that is merely
// long is refused by the engine's own check, with the same words.
const maxLineBytes = 64 << 10

// terminalHint is shown on standard error when ask waits for questions typed
// at a terminal.
const terminalHint = "Type a question and press Enter; Ctrl-D to finish."

func runAsk(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("ask", stderr)
	var src sourceFlags
	src.register(fs, cfg)
	asJSON := fs.Bool("json", false, "print one JSON object a line, each as soon as it is ready")
	top := fs.Int("top", 3, "how many citations to show, 1 to 10 (more when the answer quotes more passages)")
	args, err := parse(fs, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if *top < 1 || *top > 10 {
		return usagef("ask: --top must be between 1 and 10, not %d", *top)
	}
	var q string
	batch := len(args) == 0
	if !batch {
		q = strings.TrimSpace(strings.Join(args, " "))
		if q == "" {
			return usagef(`ask: empty question; try: storybot ask "Who signed the security pact?"`)
		}
	}

	eng, err := openEngine(ctx, src, answer.Options{Citations: *top}, logger)
	if err != nil {
		return err
	}
	defer eng.Close()

	a := &asker{
		eng:   eng,
		out:   bufio.NewWriter(stdout),
		json:  *asJSON,
		color: isTerminal(stdout) && os.Getenv("NO_COLOR") == "",
		batch: batch,
	}
	if !batch {
		return a.ask(ctx, 0, q)
	}
	if isTerminal(stdin) {
		fmt.Fprintln(stderr, terminalHint)
	}
	// A line that cannot be asked is reported and skipped, so that one bad
	// line of a batch loses none of the others; the exit status says so.
	asked, refused := 0, 0
	var askErr error
	err = readLines(stdin, func(n int, line string, tooLong bool) bool {
		q := strings.TrimSpace(line)
		if q == "" && !tooLong {
			return true
		}
		asked++
		if tooLong {
			askErr = a.refuse(n, "", fmt.Sprintf("%v (the line holds %d bytes or more; skipped unread)", &answer.RefusedError{Reason: answer.ReasonTooLong, Max: answer.MaxQuestionLen}, maxLineBytes))
		} else {
			askErr = a.ask(ctx, n, q)
		}
		var u usageError
		if errors.As(askErr, &u) {
			refused++
			printError(stderr, askErr)
			askErr = nil
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
	case refused > 0:
		return usagef("ask: %d of %d questions refused", refused, asked)
	}
	return nil
}

// asker answers questions one at a time and writes each answer, flushed, as
// soon as it is ready, so that a program feeding ask one question at a time
// reads each answer before it sends the next.
type asker struct {
	eng   *answer.Engine
	out   *bufio.Writer
	json  bool // one JSON object a line
	color bool // bold marks, for a terminal
	batch bool // questions read from standard input: each answer headed by its question
	n     int  // answers written
}

// ask answers q, from line n of standard input (0 for the command line). A
// refused question is a usageError; other errors end the batch.
func (a *asker) ask(ctx context.Context, n int, q string) error {
	ans, err := a.eng.Answer(ctx, q)
	switch {
	case errors.Is(err, answer.ErrEmptyQuestion):
		return a.refuse(n, q, fmt.Sprintf("question %q has no words to look for", q))
	case errors.Is(err, answer.ErrLongQuestion), errors.Is(err, answer.ErrInvalidQuestion):
		return a.refuse(n, q, err.Error())
	case err != nil:
		return err
	}
	if a.json {
		err = a.writeJSON(toJSON(ans))
	} else {
		err = a.writeText(ans)
	}
	if err != nil {
		return fmt.Errorf("write answer: %w", err)
	}
	return nil
}

// refuse returns the usageError saying why q, from line n (0 for the command
// line), was not asked. In a batch answered in JSON it first writes that as
// the line's answer, with "refused" set, so that each question line gets its
// line of output; q is empty when the line was too long to keep.
func (a *asker) refuse(n int, q, why string) error {
	if a.json && a.batch {
		if err := a.writeJSON(jsonAnswer{Question: q, Citations: []jsonCitation{}, Refused: why}); err != nil {
			return fmt.Errorf("write answer: %w", err)
		}
	}
	if n > 0 {
		return usagef("ask: line %d: %s", n, why)
	}
	return usagef("ask: %s", why)
}

func (a *asker) writeJSON(j jsonAnswer) error {
	enc := json.NewEncoder(a.out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(j); err != nil {
		return err
	}
	return a.out.Flush()
}

func (a *asker) writeText(ans answer.Answer) error {
	if a.batch {
		if a.n > 0 {
			a.out.WriteString("\n")
		}
		a.out.WriteString(header(ans.Question, a.color))
	}
	a.n++
	if err := renderText(a.out, ans, a.color); err != nil {
		return err
	}
	return a.out.Flush()
}

// header is the line naming the question above its answer in a batch.
func header(q string, color bool) string {
	q = "Q: " + printable(q, oneLine)
	if color {
		return "\x1b[1m" + q + "\x1b[0m\n"
	}
	return q + "\n"
}

// readLines calls yield with each line of r, numbered from 1, until yield
// returns false. A line of maxLineBytes or more is discarded as it is read
// and yielded empty, with tooLong set.
func readLines(r io.Reader, yield func(n int, line string, tooLong bool) bool) error {
	br := bufio.NewReaderSize(r, maxLineBytes)
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		tooLong := false
		for errors.Is(err, bufio.ErrBufferFull) {
			tooLong = true
			line, err = br.ReadSlice('\n')
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("read questions: line %d: %w", n, err)
		}
		if err == io.EOF && len(line) == 0 && !tooLong {
			return nil
		}
		text := ""
		if !tooLong {
			text = string(line)
		}
		if !yield(n, text, tooLong) || err == io.EOF {
			return nil
		}
	}
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
	// DidYouMean is the question with its misspelt words corrected, when the
	// answer used the correction.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// Refused says why a question of a batch was not asked.
	Refused string `json:"refused,omitempty"`
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
	j := jsonAnswer{Question: a.Question, Found: a.Found, Answer: a.Text, Citations: []jsonCitation{}, DidYouMean: a.DidYouMean}
	for _, c := range a.Citations {
		j.Citations = append(j.Citations, jsonCitation{c.N, c.Doc, c.Title, c.Passage, c.Text, c.Score})
	}
	return j
}

// renderText writes an answer for a person at a terminal: the answer with
// its matched words marked, then the numbered citations. Corpus text and
// names pass through printable, so that no control character reaches the
// terminal.
func renderText(w io.Writer, a answer.Answer, color bool) error {
	var b strings.Builder
	if a.DidYouMean != "" {
		fmt.Fprintf(&b, "(did you mean: %s)\n", printable(a.DidYouMean, oneLine))
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
		b.WriteString(printable(a.Text, paragraphs))
		if len(a.Citations) > 0 {
			b.WriteString(" The closest passages:")
		}
		b.WriteString("\n")
	}
	for _, c := range a.Citations {
		fmt.Fprintf(&b, "\n[%d] %s · %s\n", c.N, printable(c.Title, oneLine), printable(c.Passage, oneLine))
		b.WriteString(indent(mark(c.Text, c.Marks, color), "    "))
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mark highlights spans of text: bold on a terminal, *stars* elsewhere. The
// text is made printable piece by piece, so that the spans stay true.
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
		b.WriteString(printable(text[last:s.Start], paragraphs))
		b.WriteString(open)
		b.WriteString(printable(text[s.Start:s.End], paragraphs))
		b.WriteString(close)
		last = s.End
	}
	b.WriteString(printable(text[last:], paragraphs))
	return b.String()
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
