// Command fit fits the answer engine's models on a training question set
// and writes them as generated Go source: the ranker's weights to
// answer/rank_fitted.go, then the answerability model, fitted on the
// answers of the ranker just fitted, to answer/answerable_fitted.go. The
// fit is deterministic: the same training set gives the same files, byte
// for byte.
//
// From the repository's root:
//
//	go run ./cmd/fit [-train DIR] [-out DIR] [-l2 X] [-reword N] [-try X,Y,...]
//
// DIR holds questions.jsonl and its corpus/ (default
// ../shared/eval/fairytale-train). One in every N of its questions (default
// 4) is also asked in other words, a word of its answer replaced by one
// WordNet relates to it that the corpus never uses (answer.Engine.Reworded):
// the training set's questions mostly reuse their answers' words, and these
// teach both models what a match through a relation is worth. With -try, fit fits the ranker once for
// each L2 penalty listed and prints answer@1 and cite@3 on the validation
// sets (-val) for each, writing nothing: how the default -l2 was chosen.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		os.Exit(1)
	}
}
