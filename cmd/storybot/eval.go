package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/storybot/storybot/answer"
)

func runEval(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs, cfg)
	verbose := fs.Bool("v", false, "list the questions missed")
	minEvidence := fs.Float64("min-evidence", answer.DefaultMinEvidence, "least probability the answerability model must give an answer, from 0 (never say not found) to 1")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: storybot eval [--corpus DIR] [--data-dir DIR] [--min-evidence X] [-v] QUESTIONS.jsonl")
		fmt.Fprintln(stderr, "Without --corpus, uses the corpus/ folder beside QUESTIONS.jsonl if there is one.")
		fs.PrintDefaults()
	}
	args, err := parse(fs, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if len(args) != 1 {
		fs.Usage()
		return usagef("eval: want one question set, got %d arguments", len(args))
	}
	// NaN fails both comparisons, and so is refused too.
	if !(*minEvidence >= 0 && *minEvidence <= 1) {
		return usagef("eval: --min-evidence must be from 0 to 1, not %v", *minEvidence)
	}
	opts := answer.Options{MinEvidence: *minEvidence}
	if opts.MinEvidence == 0 {
		// Options take 0 for their default; the threshold 0 is theirs
		// for "never say not found".
		opts.MinEvidence = -1
	}
	path := args[0]
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	qs, err := answer.ReadQuestions(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("eval: read %s: %w", path, err)
	}
	if src.corpus == "" {
		beside := filepath.Join(filepath.Dir(path), "corpus")
		if fi, err := os.Stat(beside); err == nil && fi.IsDir() {
			src.corpus = beside
		}
	}
	eng, err := openEngine(ctx, src, opts, logger)
	if err != nil {
		return err
	}
	defer eng.Close()
	from := src.corpus
	if from == "" {
		from = "embedded story"
	}

	start := time.Now()
	r, err := answer.Evaluate(ctx, eng, qs)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	took := time.Since(start)
	if *verbose {
		for i, m := range r.Misses {
			x, err := eng.Explain(ctx, m.Question)
			if err != nil {
				return fmt.Errorf("eval: %w", err)
			}
			r.Misses[i].Explanation = &x
		}
	}
	return writeReport(stdout, path, from, eng.Info(), r, took, *verbose)
}

// missReason says where an answer went wrong.
func missReason(m answer.Miss) string {
	switch {
	case m.Verdict.Cite1 && !m.Answer.Found:
		return "said not found, though the first citation holds the answer"
	case m.Verdict.Cite1:
		return "the first citation holds the answer, but another span of it was chosen"
	case m.Verdict.Cite3:
		return "a lower citation holds the answer; another passage ranked first"
	case !m.Answer.Found && len(m.Answer.Citations) == 0:
		return "nothing matched the question"
	default:
		return "no cited passage holds the answer: the passage that does was not found or ranked below 3"
	}
}

// writeReport prints the figures of an evaluation of the set at path
// against the corpus from (its folder, or "embedded story"), and with
// verbose the misses.
func writeReport(w io.Writer, path, from string, info answer.Info, r answer.Report, took time.Duration, verbose bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "set\t%s\n", path)
	fmt.Fprintf(tw, "corpus\t%s\t(%s, %s)\n", from, evalPlural(info.Documents, "document"), evalPlural(info.Passages, "passage"))
	fmt.Fprintf(tw, "questions\t%d answerable, %d unanswerable\n", r.Questions, r.Unanswerable)
	if r.Questions > 0 {
		fmt.Fprintf(tw, "answer@1\t%.1f%%\t(%d/%d)\n", answer.Pct(r.Answer, r.Questions), r.Answer, r.Questions)
		fmt.Fprintf(tw, "cite@1\t%.1f%%\t(%d/%d)\n", answer.Pct(r.Cite1, r.Questions), r.Cite1, r.Questions)
		fmt.Fprintf(tw, "cite@3\t%.1f%%\t(%d/%d)\n", answer.Pct(r.Cite3, r.Questions), r.Cite3, r.Questions)
	}
	if r.Unanswerable > 0 {
		fmt.Fprintf(tw, "rejected\t%.1f%%\t(%d/%d)\n", answer.Pct(r.Rejected, r.Unanswerable), r.Rejected, r.Unanswerable)
	}
	n := r.Questions + r.Unanswerable
	if n > 0 {
		fmt.Fprintf(tw, "time\t%s\t(%.0f µs a question)\n", took.Round(time.Millisecond), float64(took.Microseconds())/float64(n))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !verbose {
		return nil
	}
	var b strings.Builder
	for _, m := range r.Misses {
		fmt.Fprintf(&b, "\nMISS %q\n", m.Question.Q)
		switch {
		case m.Question.Unanswerable:
			b.WriteString("  unanswerable, but answered\n")
		case !m.Answer.Found:
			b.WriteString("  said not found\n")
		}
		if len(m.Question.Keys) > 0 {
			fmt.Fprintf(&b, "  want:   %q\n", m.Question.Keys)
		}
		if m.Answer.DidYouMean != "" {
			fmt.Fprintf(&b, "  asked:  %q\n", m.Answer.DidYouMean)
		}
		if m.Answer.Found {
			fmt.Fprintf(&b, "  got:    %q\n", m.Answer.Text)
		}
		for _, c := range m.Answer.Citations {
			fmt.Fprintf(&b, "  [%d] %s (%.3f)\n", c.N, c.Passage, c.Score)
		}
		if !m.Question.Unanswerable {
			fmt.Fprintf(&b, "  why:    %s\n", missReason(m))
		}
		if x := m.Explanation; x != nil {
			writeVerdict(&b, x)
			writeSpan(&b, "first", x.Given, &x.Weights)
			if !m.Question.Unanswerable {
				writeSpan(&b, "right", x.Right, &x.Weights)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeVerdict prints why the answer was given or turned down: the
// answerability model's probability against its threshold, and the
// near-miss rule that turns it down whatever the model says.
func writeVerdict(b *strings.Builder, x *answer.Explanation) {
	if x.MinEvidence < 0 {
		return // every answer is given
	}
	cmp := ">="
	if x.Evidence < x.MinEvidence {
		cmp = "<"
	}
	fmt.Fprintf(b, "  evidence: %.4f %s %.4f", x.Evidence, cmp, x.MinEvidence)
	if x.NearMiss != "" {
		fmt.Fprintf(b, "; a near miss: %s", x.NearMiss)
	}
	b.WriteString("\n")
}

// writeSpan prints a span the ranker scored and its features, each as
// name=value(its part of the score).
func writeSpan(b *strings.Builder, label string, s *answer.ScoredSpan, w *answer.Weights) {
	if s == nil {
		fmt.Fprintf(b, "  %s:  no span ranked holds the answer\n", label)
		return
	}
	fmt.Fprintf(b, "  %s:  %s %.3f %q\n", label, s.Passage, s.Score, s.Text)
	fmt.Fprintf(b, "          %s\n", s.Features.Format(w))
}

// evalPlural is "1 document", "2 documents".
func evalPlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
