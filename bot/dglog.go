package bot

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// discordgo logs through discordgo.Logger, a package-level func that serves
// every session in the process and is not told which session is logging
// (without it, discordgo writes "[DG0] wsapi.go:…" lines to the standard
// log). So it is set once, here, to a func that logs through the logger of
// the Bot that started running last, which in a process running one bot is
// that bot's logger.
var (
	discordgoLogOnce sync.Once
	discordgoLog     atomic.Pointer[slog.Logger]
)

// Log keys of discordgo's lines.
const (
	keyLibrary = "lib"
	keySource  = "source"
)

// routeDiscordgoLogs makes discordgo's own log lines go through logger.
func routeDiscordgoLogs(logger *slog.Logger) {
	discordgoLog.Store(logger)
	discordgoLogOnce.Do(func() { discordgo.Logger = logDiscordgo })
}

// logDiscordgo is discordgo.Logger: one line of discordgo's, at its level.
// caller counts the frames from discordgo's logging function to the code
// that logged.
func logDiscordgo(level, caller int, format string, args ...any) {
	logger := discordgoLog.Load()
	if logger == nil {
		return
	}
	l := discordgoLevel(level)
	ctx := context.Background()
	if !logger.Enabled(ctx, l) {
		return
	}
	attrs := []any{keyLibrary, "discordgo"}
	// caller is relative to discordgo's msglog, which calls this func.
	if _, file, line, ok := runtime.Caller(caller + 1); ok {
		attrs = append(attrs, keySource, fmt.Sprintf("%s:%d", filepath.Base(file), line))
	}
	logger.Log(ctx, l, fmt.Sprintf(format, args...), attrs...)
}

// discordgoLevel maps discordgo's log levels to slog's.
func discordgoLevel(level int) slog.Level {
	switch level {
	case discordgo.LogError:
		return slog.LevelError
	case discordgo.LogWarning:
		return slog.LevelWarn
	case discordgo.LogInformational:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
