package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// TestIndexProgressBarOnTerminal checks that `storybot index` draws its
// progress bar on a terminal, redrawn in place, and ends its line before
// the report on standard output.
func TestIndexProgressBarOnTerminal(t *testing.T) {
	t.Setenv("STORYBOT_LOG_LEVEL", "warn")
	tty, keyboard := openPTY(t)
	shown := make(chan string, 1)
	go func() { // ends when the terminal is closed below
		b, _ := io.ReadAll(keyboard) // EIO once closed: what was shown is read
		shown <- string(b)
	}()
	var out bytes.Buffer
	err := run(context.Background(), []string{"index", "--corpus", testCorpus, "--data-dir", t.TempDir()}, strings.NewReader(""), &out, tty)
	if err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var screen string
	select {
	case screen = <-shown:
	case <-time.After(childDeadline):
		t.Fatal("the terminal's output was not read")
	}
	if !strings.HasPrefix(screen, "\rindexing [") || !strings.Contains(screen, " 100%  3/3 documents") {
		t.Errorf("terminal shows %q, want a progress bar drawn in place up to 100%%", screen)
	}
	if !strings.HasSuffix(screen, "\r\n") {
		t.Errorf("terminal shows %q, want the bar's line ended", screen)
	}
	if !strings.HasPrefix(out.String(), "indexed 3 documents") {
		t.Errorf("stdout %q, want the report", out.String())
	}
}
