package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal and returns its two ends: what a program
// reads as its terminal, and the keyboard side that types into it.
func openPTY(t *testing.T) (tty, keyboard *os.File) {
	t.Helper()
	keyboard, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { keyboard.Close() })
	fd := int(keyboard.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("name the pseudo-terminal: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty, keyboard
}

func TestAskHintsOnTerminal(t *testing.T) {
	t.Setenv("STORYBOT_DATA_DIR", t.TempDir())
	t.Setenv("STORYBOT_LOG_LEVEL", "warn")
	ask := func(stdin *os.File) (stdout, stderr string) {
		var out, errb bytes.Buffer
		if err := run(context.Background(), []string{"ask", "--corpus", testCorpus}, stdin, &out, &errb); err != nil {
			t.Fatalf("ask: %v\n%s", err, errb.String())
		}
		return out.String(), errb.String()
	}

	tty, keyboard := openPTY(t)
	// A question, then Ctrl-D: the terminal's end of input.
	if _, err := keyboard.WriteString("What was the miller called?\n\x04"); err != nil {
		t.Fatal(err)
	}
	out, errs := ask(tty)
	if errs != terminalHint+"\n" || !strings.Contains(out, "Hobb") {
		t.Errorf("on a terminal: stderr %q, stdout %q", errs, out)
	}

	// A file, even a character device such as /dev/null, is not a terminal.
	f, err := os.CreateTemp(t.TempDir(), "questions")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("What was the miller called?\n")
	f.Seek(0, 0)
	if _, errs := ask(f); errs != "" {
		t.Errorf("from a file: stderr %q", errs)
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	var errb bytes.Buffer
	run(context.Background(), []string{"ask", "--corpus", testCorpus}, null, &bytes.Buffer{}, &errb)
	if strings.Contains(errb.String(), terminalHint) {
		t.Errorf("from %s: stderr %q", os.DevNull, errb.String())
	}
}
