package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Waits between attempts to register the commands: the first wait, doubled
// after each failure up to the longest. A transient failure (a 5xx) is over
// in seconds; a rejected command (a 400) lasts until the commands change, so
// the waits grow to where retrying costs Discord almost nothing.
const (
	registerRetryFirst = 5 * time.Second
	registerRetryMax   = 10 * time.Minute
)

// backoff is a doubling wait, from first to at most max.
type backoff struct {
	first, max time.Duration
}

// after is the wait after the n-th failure (from 1).
func (bo backoff) after(n int) time.Duration {
	d := bo.first
	for i := 1; i < n && d < bo.max; i++ {
		d *= 2
	}
	return min(d, bo.max)
}

// Log keys of registration.
const (
	keyAttempt = "attempt"
	keyRetryIn = "retry_in"
	keyStatus  = "status"
)

// register registers the commands with one bulk overwrite, retrying with
// backoff until Discord takes them or ctx is done. Each failure is logged;
// a rejected command is logged as an error, as it will not pass until the
// commands change. An empty appID is asked of Discord first.
func (b *Bot) register(ctx context.Context, botName, appID string) {
	for attempt := 1; ; attempt++ {
		var cmds []*discordgo.ApplicationCommand
		err := b.lookUpApp(&appID)
		if err == nil {
			rctx, cancel := context.WithTimeout(ctx, sendTimeout)
			cmds, err = b.session.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, b.commands(), discordgo.WithContext(rctx))
			cancel()
		}
		if err == nil {
			b.log.Info("discord bot ready", "bot", botName, "app", appID, keyGuild, b.cfg.GuildID, "commands", len(cmds))
			return
		}
		if ctx.Err() != nil {
			return // asked to stop while registering
		}
		wait := b.retry.after(attempt)
		args := []any{keyGuild, b.cfg.GuildID, keyAttempt, attempt, keyRetryIn, wait.String(), keyErr, err}
		status := 0
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil {
			status = re.Response.StatusCode
			args = append(args, keyStatus, status)
		}
		meanwhile := "mentions and DMs are answered meanwhile"
		if b.httpMode.Load() {
			meanwhile = "commands registered before are answered meanwhile"
		}
		if status >= http.StatusBadRequest && status < http.StatusInternalServerError && status != http.StatusTooManyRequests {
			b.log.Error("register commands: Discord refused them; slash commands are unavailable, "+meanwhile, args...)
		} else {
			b.log.Warn("register commands: failed; "+meanwhile, args...)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// lookUpApp sets an empty application ID to the bot's own application's.
func (b *Bot) lookUpApp(appID *string) error {
	if *appID != "" {
		return nil
	}
	app, err := b.session.Application("@me")
	if err != nil {
		return fmt.Errorf("look up the application: %w", err)
	}
	if app == nil || app.ID == "" {
		return errors.New("look up the application: Discord gave no ID")
	}
	*appID = app.ID
	return nil
}
