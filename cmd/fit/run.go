package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// listwiseL2 and pairwiseL2 are the ranker's L2 penalty for each way of
// fitting it, the defaults of -l2, chosen
// with -try on the validation sets (fairytale-val, xquad, squad2-a, the
// story's paraphrases; -try 1,3,10,30,100): listwise, since FeatBareFirst
// and FeatDocFocus, 15 (-try 10,15,20,30): 10 answers 4 more of xquad's
// but one fewer of the paraphrases, below their floor; 20 one more of
// xquad's and one fewer of fairytale-val's; 30 loses a question of
// story-dev and one of squad2-a's and fairytale-val's. Before those
// features 30 answered the most, 10 one fewer; 1 and 3 reject three of the
// story's near misses fewer. Pairwise, 100 is best on fairytale-val and
// no worse elsewhere.
const (
	listwiseL2 = 15.0
	pairwiseL2 = 100.0
)

// defaultRank is the default of -rank: fitted listwise, the ranker answers
// six questions more of xquad, fairytale-val, squad2-a and the story's
// paraphrases together than fitted pairwise, each at its best penalty
// (xquad eight more, fairytale-val two fewer).
const defaultRank = listwise

// defaultReword is the default of -reword: one training question in
// defaultReword is also asked in other words. One in 2 weighs WordNet
// synonyms three times as much (0.72 against 0.23), but answers two of
// story-dev's 18 questions fewer, three of xquad's and none more of the
// story's paraphrases.
const defaultReword = 4

// defaultVal are the validation sets -try measures on: question sets with
// a corpus/ folder beside them, or, for the story's dev sets, none (the
// embedded story).
const defaultVal = "../shared/eval/story-dev.jsonl,../shared/eval/fairytale-val/questions.jsonl,../shared/eval/xquad/questions.jsonl,../shared/eval/squad2-a/questions.jsonl,answer/testdata/devset/story-paraphrase.jsonl,answer/testdata/devset/story-nearmiss.jsonl"

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	train := fs.String("train", "../shared/eval/fairytale-train", "training set: a folder with questions.jsonl and corpus/")
	out := fs.String("out", "answer", "folder to write the generated files to")
	l2 := fs.Float64("l2", 0, "L2 penalty of the ranker's fit (default 15 listwise, 100 pairwise)")
	rank := fs.String("rank", defaultRank, "how the ranker is fitted: "+listwise+" or "+pairwise)
	reword := fs.Int("reword", defaultReword, "reword one in every N training questions in other words (see answer.Engine.Reworded; 0: none)")
	try := fs.String("try", "", "comma-separated L2 penalties to compare on the validation sets (writes nothing)")
	val := fs.String("val", defaultVal, "comma-separated validation sets for -try")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rank != listwise && *rank != pairwise {
		return fmt.Errorf("-rank %q: want %s or %s", *rank, listwise, pairwise)
	}
	if *l2 == 0 {
		*l2 = listwiseL2
		if *rank == pairwise {
			*l2 = pairwiseL2
		}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	tmp, err := os.MkdirTemp("", "storybot-fit-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	eng, qs, err := openSet(ctx, filepath.Join(*train, "questions.jsonl"), filepath.Join(tmp, "train"), logger)
	if err != nil {
		return err
	}
	defer eng.Close()
	// Questions in other words than their answer's teach the fit what a
	// match through a word relation is worth.
	reworded := eng.Reworded(qs, *reword)
	qs = append(qs, reworded...)
	spans, err := scoreSpans(ctx, eng, qs)
	if err != nil {
		return err
	}
	if *try != "" {
		return tryL2(ctx, stdout, spans, *try, *val, tmp, logger)
	}
	f, err := fitRankBy(*rank, spans, answer.DefaultPairs, *l2)
	if err != nil {
		return err
	}
	path := filepath.Join(*out, "rank_fitted.go")
	if err := os.WriteFile(path, rankSource(f), 0o644); err != nil {
		return fmt.Errorf("write the ranker's weights: %w", err)
	}
	unit := "pairs of spans"
	if f.method == listwise {
		unit = "spans"
	}
	fmt.Fprintf(stdout, "wrote %s: %s fit on %d %s from %d of %d questions (%d reworded), L2 %g\n", path, f.method, f.rows, unit, f.questions, len(qs), len(reworded), f.l2)
	// The answerability model judges the answers of the ranker just
	// fitted, not of the weights committed before.
	fit, err := fitAnswerability(ctx, *train, qs, tmp, answer.Options{Weights: &f.weights}, logger, stdout)
	if err != nil {
		return err
	}
	path = filepath.Join(*out, answerableFile)
	if err := os.WriteFile(path, fit.source(), 0o644); err != nil {
		return fmt.Errorf("write the answerability model: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	return nil
}

// openSet reads the question set at path and opens an engine over the
// corpus/ folder beside it (none: the embedded story), indexed in dataDir.
func openSet(ctx context.Context, path, dataDir string, logger *slog.Logger) (*answer.Engine, []answer.EvalQuestion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	qs, err := answer.ReadQuestions(f)
	f.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	var c *corpus.Corpus
	if dir := filepath.Join(filepath.Dir(path), "corpus"); isDir(dir) {
		c, err = corpus.LoadDir(dir)
	} else {
		c, err = corpus.Default()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load the corpus of %s: %w", path, err)
	}
	eng, err := answer.Open(ctx, c, dataDir, logger, answer.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("open the index of %s: %w", path, err)
	}
	return eng, qs, nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// tryL2 fits the ranker with each L2 penalty of list, listwise and
// pairwise (with answer.DefaultPairs), and measures each fit, and the
// hand-set weights, on the validation sets of val. The share rejected is
// that of the committed answerability model, not of one refitted on each
// ranker.
func tryL2(ctx context.Context, w io.Writer, spans rankSpans, list, val, tmp string, logger *slog.Logger) error {
	type candidate struct {
		name    string
		weights answer.Weights
	}
	cands := []candidate{{"hand", answer.HandWeights()}}
	for _, s := range strings.Split(list, ",") {
		l2, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return fmt.Errorf("-try: %w", err)
		}
		for _, method := range []string{listwise, pairwise} {
			f, err := fitRankBy(method, spans, answer.DefaultPairs, l2)
			if err != nil {
				return err
			}
			cands = append(cands, candidate{fmt.Sprintf("%s,l2=%s", method, s), f.weights})
		}
	}
	for i, path := range strings.Split(val, ",") {
		eng, qs, err := openSet(ctx, path, filepath.Join(tmp, "val"+strconv.Itoa(i)), logger)
		if err != nil {
			return err
		}
		for _, c := range cands {
			r, err := answer.Evaluate(ctx, eng.With(answer.Options{Weights: &c.weights}), qs)
			if err != nil {
				eng.Close()
				return err
			}
			// Answering every question measures the ranking alone, apart
			// from the decision to say "not found".
			all, err := answer.Evaluate(ctx, eng.With(answer.Options{Weights: &c.weights, MinEvidence: -1}), qs)
			if err != nil {
				eng.Close()
				return err
			}
			fmt.Fprintf(w, "%-48s %-18s answer@1 %5.1f%% (%5.1f%% answering all)  cite@1 %5.1f%%  cite@3 %5.1f%%  rejected %5.1f%%\n", path, c.name,
				answer.Pct(r.Answer, r.Questions), answer.Pct(all.Answer, all.Questions), answer.Pct(r.Cite1, r.Questions), answer.Pct(r.Cite3, r.Questions), answer.Pct(r.Rejected, r.Unanswerable))
		}
		eng.Close()
	}
	return nil
}
