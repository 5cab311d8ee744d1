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

func runServe(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stderr io.Writer) (err error) {
	fs := newFlagSet("serve", stderr)
	var src sourceFlags
	src.register(fs, cfg)
	httpMode := fs.Bool("http", cfg.Mode == modeHTTP, "take Discord's interactions over HTTP at /interactions (as STORYBOT_MODE=http)")
	args, err = parse(fs, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if len(args) > 0 {
		return usagef("serve: unexpected argument %q", args[0])
	}
	if cfg.DiscordToken == "" {
		return usagef("serve: no Discord token: set STORYBOT_DISCORD_TOKEN (see the README for creating one)")
	}
	if *httpMode {
		if err := checkHTTPMode(cfg); err != nil {
			return err
		}
	}
	// Signals are routed before the slow start, so that a SIGHUP sent
	// meanwhile rebuilds rather than kills.
	reload, stopReload := notifyReload()
	defer stopReload()
	logger.Info("starting", "version", currentVersion(), "mode", modeName(*httpMode))
	ctx, ops, err := startOps(ctx, cfg.HTTPAddr, *httpMode, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// The HTTP server stops after the bot (below) and before the library
	// closes; an early return stops it here, with what made it fail.
	defer func() { err = errors.Join(err, ops.stop()) }()

	dir, err := dataDir(src)
	if err != nil {
		return err
	}
	lib, err := live.Open(ctx, live.Config{
		CorpusDir: src.corpus,
		DataDir:   dir,
		Logger:    logger,
		OnChange:  func(ch answer.Change) { ops.metrics.corpusChanged(ch.Action, ch.OK, ch.Time) },
	})
	if err != nil {
		return err
	}
	defer lib.Close()
	ops.status.setEngine(lib)
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
		Observer:      ops.metrics,
		ShardID:       cfg.ShardID,
		ShardCount:    cfg.ShardCount,
		ApplicationID: cfg.ApplicationID,
	})
	ops.status.setBot(b)
	runBot := b.Run
	if *httpMode {
		key, _ := parsePublicKey(cfg.PublicKey) // checked by readConfig
		ops.interactions.set(b.InteractionsHandler(key))
		runBot = b.RunHTTP
	}
	if err = serve(ctx, lib, logger, reload, runBot); err != nil {
		err = fmt.Errorf("serve: %w", err)
	}
	return errors.Join(err, ops.stop())
}

func modeName(http bool) string {
	if http {
		return modeHTTP
	}
	return modeGateway
}

// checkHTTPMode checks the settings http mode needs.
func checkHTTPMode(cfg Config) error {
	if cfg.HTTPAddr == "" {
		return usagef("serve: http mode needs STORYBOT_HTTP_ADDR, the address Discord's interactions reach, such as :8080")
	}
	if cfg.PublicKey == "" {
		return usagef("serve: http mode needs STORYBOT_PUBLIC_KEY, the application's public key (%d hex digits)", publicKeyHexLen)
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
