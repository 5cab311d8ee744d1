// Command fit fits the engine's answerability model on a training set of
// questions and writes it into the answer package as Go source:
//
//	go run ./cmd/fit [-train ../shared/eval/fairytale-train] [-answer answer]
//
// It runs from the repository's root. The training set is a folder holding
// questions.jsonl and corpus/; the same set gives the same files, byte for
// byte.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		os.Exit(1)
	}
}
