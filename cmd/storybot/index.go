package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/storybot/storybot/index"
)

func runIndex(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("index", stderr)
	var src sourceFlags
	src.register(fs, cfg)
	args, err := parse(fs, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if len(args) > 0 {
		return usagef("index: unexpected argument %q", args[0])
	}
	c, err := loadCorpus(src, logger)
	if err != nil {
		return err
	}
	dir, err := dataDir(src)
	if err != nil {
		return err
	}
	start := time.Now()
	progress := newBuildProgress(stderr, logger, time.Now)
	ix, err := index.Build(ctx, dir, c, logger, index.Options{Progress: progress.report})
	progress.finish()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("build index: %w (the index in use is unchanged)", err)
	}
	if err != nil {
		return fmt.Errorf("build index: %w", err)
	}
	took := time.Since(start)
	st := ix.Stats()
	if err := ix.Close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "indexed %s, %s in %s\nindex: %s\n",
		count(st.Documents, "document"), count(st.Passages, "passage"), took.Round(time.Millisecond), st.Dir)
	return err
}

// count is "1 passage" or "n passages".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
