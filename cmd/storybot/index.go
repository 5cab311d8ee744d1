package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/answer/live"
	"github.com/storybot/storybot/corpus"
)

// shell is who a change made by storybot index is recorded as.
var shell = answer.Actor{Name: "shell"}

func runIndex(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("index", stderr)
	var src sourceFlags
	src.register(fs, cfg)
	dry := fs.Bool("dry-run", false, "say what would change, and change nothing")
	args, err := parse(fs, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if len(args) > 0 {
		return usagef("index: unexpected argument %q", args[0])
	}
	dir, err := dataDir(src)
	if err != nil {
		return err
	}
	progress := newBuildProgress(stderr, logger, time.Now)
	rep, err := live.Rebuild(ctx, live.Config{CorpusDir: src.corpus, DataDir: dir, Logger: logger}, shell, *dry, progress.report)
	progress.finish()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w (the index in use is unchanged)", err)
	}
	if err != nil {
		return err
	}
	return writeChange(stdout, corpus.Locate(src.corpus, dir), rep)
}

// writeChange writes what a change to the corpus in folder ("" for the
// embedded story) did, or would do.
func writeChange(w io.Writer, folder string, rep answer.ChangeReport) error {
	verb := "indexed"
	if rep.DryRun {
		verb = "would index"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s, %s in %s\n", verb, count(rep.Documents, "document"), count(rep.Passages, "passage"), rep.Took.Round(time.Millisecond))
	for _, l := range []struct {
		what string
		ids  []string
	}{{"added", rep.Added}, {"changed", rep.Changed}, {"removed", rep.Removed}} {
		if len(l.ids) > 0 {
			fmt.Fprintf(&b, "%s: %s\n", l.what, strings.Join(l.ids, ", "))
		}
	}
	if rep.Added == nil && rep.Changed == nil && rep.Removed == nil {
		b.WriteString("no document added, changed or removed\n")
	}
	if folder == "" {
		folder = "the embedded story"
	}
	fmt.Fprintf(&b, "corpus: %s\n", folder)
	_, err := io.WriteString(w, b.String())
	return err
}

// count is "1 passage" or "n passages".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
