package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot"
)

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
	eng, err := openEngine(ctx, src, answer.Options{}, logger)
	if err != nil {
		return err
	}
	defer eng.Close()
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
	})
	if err := b.Run(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
