// Command storybot answers questions about a story with verbatim, cited
// excerpts, in a terminal or on Discord.
//
// Usage:
//
//	storybot ask [--json] [--top N] [--corpus DIR] [--data-dir DIR] [QUESTION...]
//	storybot index [--dry-run] [--corpus DIR] [--data-dir DIR]
//	storybot eval [-v] [--min-evidence X] [--corpus DIR] [--data-dir DIR] QUESTIONS.jsonl
//	storybot serve [--http] [--corpus DIR] [--data-dir DIR]
//	storybot healthcheck [--addr ADDR]
//	storybot version
//	storybot help
//
// With no question arguments, ask reads one question a line from standard
// input. index rebuilds the index and says which documents changed,
// showing its progress on a terminal (a bar, documents and passages done,
// the rate, the time left) and logging it now and then otherwise;
// interrupted (Ctrl-C), it stops and the index in use stays. SIGHUP to a
// running serve rebuilds the same way, and serve swaps in an index another
// process built. Without --corpus, every command reads the corpus folder a
// change from Discord made in the data folder, else the embedded story.
// serve runs the Discord bot over the gateway, or with --http (or
// STORYBOT_MODE=http) takes Discord's interactions at /interactions on the
// HTTP server of STORYBOT_HTTP_ADDR, which serves /healthz, /readyz and
// /metrics in either mode; healthcheck asks a running serve's /healthz.
//
// Configuration comes from the environment (STORYBOT_*, see "storybot
// help"), checked at start whatever the command; flags override it. The
// exit status is 0 on success, 2 for a usage error (a bad command,
// flag, argument or environment value, or a refused question) and 1 for any
// other failure.
package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		printError(os.Stderr, err)
	}
	os.Exit(exitCode(err))
}

func exitCode(err error) int {
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u):
		return 2
	default:
		return 1
	}
}
