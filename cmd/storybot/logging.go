package main

import (
	"io"
	"log/slog"
)

// Log formats, the values of STORYBOT_LOG_FORMAT.
const (
	logText = "text" // slog's key=value lines, for people
	logJSON = "json" // one JSON object a line, for a log collector
)

// newLogger returns a logger writing records to w in format (logText or
// logJSON), from level up; both were checked by readConfig. Every line the
// process logs goes through its handler: storybot's own, bleve's
// (index.RouteLogs) and discordgo's (the bot routes them through the logger
// it is given).
func newLogger(w io.Writer, level, format string) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: l}
	if format == logJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
