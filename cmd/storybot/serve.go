package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/answer/live"
	"github.com/storybot/storybot/bot"
)

// The library is the bot's engine and its moderator.
var (
	_ bot.Engine    = (*live.Library)(nil)
	_ bot.Moderator = (*live.Library)(nil)
)

// reloadTimeout bounds a rebuild started by SIGHUP: as long as a moderator's
// /reindex may take (an interaction token lasts 15 minutes).
const reloadTimeout = 15 * time.Minute

// sighup is who a rebuild started by the signal is recorded as.
var sighup = answer.Actor{Name: "SIGHUP"}

func runServe(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	var src sourceFlags
	src.register(fs, cfg)
	args, err := parse(fs, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if len(args) > 0 {
		return usagef("serve: unexpected argument %q", args[0])
	}
	if cfg.DiscordToken == "" {
		return usagef("serve: no Discord token: set STORYBOT_DISCORD_TOKEN (see the README for creating one)")
	}
	// Signals are routed before the slow start, so that a SIGHUP sent
	// meanwhile rebuilds rather than kills.
	reload, stop := notifyReload()
	defer stop()
	dir, err := dataDir(src)
	if err != nil {
		return err
	}
	lib, err := live.Open(ctx, live.Config{CorpusDir: src.corpus, DataDir: dir, Logger: logger})
	if err != nil {
		return err
	}
	defer lib.Close()
	info := lib.Info()
	logger.Info("corpus ready", "corpus", info.Corpus, "folder", info.Folder, "documents", info.Documents, "passages", info.Passages)

	session, err := bot.NewSession(cfg.DiscordToken)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	b := bot.New(session, lib, lib, logger, bot.Config{
		GuildID:       cfg.GuildID,
		RateLimit:     cfg.RateLimit,
		RatePer:       cfg.RateWindow,
		MaxConcurrent: cfg.MaxConcurrent,
		ModRoles:      cfg.ModRoles,
	})
	if err := serve(ctx, lib, logger, reload, b.Run); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// notifyReload returns a channel that gets SIGHUP, and a function that
// stops it.
func notifyReload() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}

// serve runs the bot (run) over lib until ctx is done or run returns, while
// lib watches for an index another process switched to, and each signal on
// reload rebuilds the index as /reindex does.
func serve(ctx context.Context, lib *live.Library, logger *slog.Logger, reload <-chan os.Signal, run func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	wg.Add(2)
	go func() {
		defer wg.Done()
		lib.Watch(ctx)
	}()
	go func() {
		defer wg.Done()
		reindexOn(ctx, lib, logger, reload)
	}()
	return run(ctx)
}

// reindexOn rebuilds the index at each signal on reload until ctx is done.
func reindexOn(ctx context.Context, lib *live.Library, logger *slog.Logger, reload <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case sig := <-reload:
			logger.Info("rebuilding the index", "signal", sig.String())
			rctx, cancel := context.WithTimeout(ctx, reloadTimeout)
			_, err := lib.Reindex(rctx, sighup, false, nil)
			cancel()
			if errors.Is(err, answer.ErrChangeRunning) {
				logger.Warn("not rebuilding the index: another change is running", "signal", sig.String())
			}
		}
	}
}
