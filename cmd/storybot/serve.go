package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot"
)

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
	logger.Info("starting", "version", currentVersion(), "mode", modeName(*httpMode))
	ctx, ops, err := startOps(ctx, cfg.HTTPAddr, *httpMode, logger)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// The HTTP server stops after the bot (below) and before the engine
	// closes; an early return stops it here, with what made it fail.
	defer func() { err = errors.Join(err, ops.stop()) }()

	eng, err := openEngine(ctx, src, answer.Options{}, logger)
	if err != nil {
		return err
	}
	defer eng.Close()
	ops.status.setEngine(eng)
	info := eng.Info()
	logger.Info("corpus ready", "corpus", info.Corpus, "documents", info.Documents, "passages", info.Passages)

	session, err := bot.NewSession(cfg.DiscordToken)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	b := bot.New(session, eng, nil, logger, bot.Config{
		GuildID:       cfg.GuildID,
		RateLimit:     cfg.RateLimit,
		RatePer:       cfg.RateWindow,
		MaxConcurrent: cfg.MaxConcurrent,
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
	if err = runBot(ctx); err != nil {
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
