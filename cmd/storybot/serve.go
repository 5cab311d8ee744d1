package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

func runServe(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stderr io.Writer) error {
	return errors.New("serve: not available yet")
}
