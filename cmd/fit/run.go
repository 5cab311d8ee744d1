package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/storybot/storybot/answer"
)

// run fits the models on the training set the flags in args name, and
// writes them; it reports progress to stderr.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	train := fs.String("train", filepath.Join("..", "shared", "eval", "fairytale-train"), "training set: a folder with questions.jsonl and corpus/")
	out := fs.String("answer", "answer", "the answer package's folder, where the fitted files are written")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	tmp, err := os.MkdirTemp("", "storybot-fit-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fit, err := fitAnswerability(ctx, *train, tmp, answer.Options{}, logger, stderr)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*out, answerableFile), fit.source(), 0o644)
}
