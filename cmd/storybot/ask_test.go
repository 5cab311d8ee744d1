package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAskLongLine(t *testing.T) {
	huge := strings.Repeat("lighthouse ", 1<<20) // 11 MiB on one line
	for _, tt := range []struct {
		name, stdin string
	}{
		{"between questions", "When did Mara Quill become keeper?\n" + huge + "\nWhat was the miller called?\n"},
		{"last, without a newline", "When did Mara Quill become keeper?\nWhat was the miller called?\n" + huge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := runCmd(t, tt.stdin, "ask", "--json", "--corpus", testCorpus)
			if code != 2 || !strings.Contains(errs, "longer than 2000 characters") || !strings.Contains(errs, "1 of 3 questions refused") {
				t.Errorf("exit %d, stderr %q", code, errs)
			}
			line := "line 2:"
			if strings.HasPrefix(tt.name, "last") {
				line = "line 3:"
			}
			if !strings.Contains(errs, line) {
				t.Errorf("stderr %q does not name %q", errs, line)
			}
			if n := strings.Count(out, `"found":true`); n != 2 {
				t.Errorf("%d answers, want both questions answered:\n%.2000s", n, out)
			}
		})
	}
}

// TestAskJSONAnswersAsReady feeds ask one question at a time, as a program
// using it as a coprocess does, and reads each answer before sending the
// next question or closing standard input.
func TestAskJSONAnswersAsReady(t *testing.T) {
	t.Setenv("STORYBOT_DATA_DIR", t.TempDir())
	t.Setenv("STORYBOT_LOG_LEVEL", "warn")
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(context.Background(), []string{"ask", "--json", "--corpus", testCorpus}, inR, outW, io.Discard)
		outW.Close()
		done <- err
	}()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	defer func() {
		inW.Close()
		for range lines {
		}
	}()
	const deadline = 30 * time.Second
	for _, q := range []string{"When did Mara Quill become keeper?", "What was the miller called?"} {
		if _, err := io.WriteString(inW, q+"\n"); err != nil {
			t.Fatal(err)
		}
		select {
		case line := <-lines:
			var a jsonAnswer
			if err := json.Unmarshal([]byte(line), &a); err != nil || a.Question != q || !a.Found {
				t.Errorf("answer to %q: %s (%v)", q, line, err)
			}
		case <-time.After(deadline):
			t.Fatalf("no answer to %q within %s while standard input stays open", q, deadline)
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Errorf("ask: %v", err)
	}
}

func TestAskJSONDidYouMean(t *testing.T) {
	out, errs, code := runCmd(t, "", "ask", "--json", "--corpus", testCorpus, "When did Mara Quill become kepeer?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a jsonAnswer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.DidYouMean != "When did Mara Quill become keeper?" || !strings.Contains(out, `"did_you_mean":`) {
		t.Errorf("did_you_mean %q in %s", a.DidYouMean, out)
	}
}

func TestAskBatchText(t *testing.T) {
	out, errs, code := runCmd(t, "When did Mara Quill become keeper?\n\nWhat was the miller called?\n", "ask", "--corpus", testCorpus)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	first, second, ok := strings.Cut(out, "\n\nQ: What was the miller called?\n")
	if !ok || !strings.HasPrefix(first, "Q: When did Mara Quill become keeper?\n*Mara* *Quill*") || !strings.Contains(first, "1887") {
		t.Fatalf("want each answer under its question, a blank line between:\n%s", out)
	}
	const miller = "The *miller*, a stern man *called* Hobb"
	if !strings.Contains(second, miller) || strings.Contains(second, "Q: ") {
		t.Errorf("second answer:\n%s", second)
	}
	// One question on the command line is answered alone, without a header.
	out, _, _ = runCmd(t, "", "ask", "--corpus", testCorpus, "What was the miller called?")
	if !strings.Contains(out, miller) || strings.HasPrefix(out, "Q: ") {
		t.Errorf("single answer:\n%s", out)
	}
}

// hidden finds the characters a terminal would obey rather than show.
func hidden(s string) []rune {
	var bad []rune
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			bad = append(bad, r)
		}
	}
	return bad
}

func TestAskShowsNoControlCharacters(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"beacon.md": "# The Beacon\x1b]0;owned\x07\n\nThe keeper\x1b[2J lit the lamp every night \u202eat the rock\u009b, and the bell\r rang.\n",
		// No heading: the title comes from the file name.
		"\x1b]0;owned\x07tower\x1b[2J.txt": "The tower keeper lit the lamp\x08\x08 each dusk\x7f.\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, stdin := range []string{"", "Who lit the lamp\x1b[2J?\n"} {
		args := []string{"ask", "--corpus", dir}
		if stdin == "" {
			args = append(args, "Who lit the lamp?")
		}
		out, errs, code := runCmd(t, stdin, args...)
		if code != 0 || strings.Count(out, "*lit* the *lamp*") < 2 {
			t.Fatalf("exit %d, %s\n%s", code, errs, out)
		}
		if bad := hidden(out); len(bad) > 0 {
			t.Errorf("output holds control characters %q:\n%s", bad, out)
		}
	}
}

func TestAskRefusalSaidOnce(t *testing.T) {
	_, errs, code := runCmd(t, "", "ask", "--corpus", testCorpus, "???")
	if want := `storybot: ask: question "???" has no words to look for` + "\n"; code != 2 || errs != want {
		t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, want)
	}
}

// TestAskReusesCorpusLayout checks that ask, once an index is built, cuts
// the corpus's plain text files as the index recorded rather than parsing
// them (the Markdown file is parsed every time), and answers the same.
func TestAskReusesCorpusLayout(t *testing.T) {
	env := map[string]string{"STORYBOT_DATA_DIR": t.TempDir(), "STORYBOT_LOG_LEVEL": "debug"}
	q := "What was the miller called?"
	first, errs, code := runCmdEnv(t, env, "", "ask", "--json", "--corpus", testCorpus, q)
	if code != 0 || !strings.Contains(errs, "reused=0") {
		t.Fatalf("first ask: exit %d, stderr %q", code, errs)
	}
	again, errs, code := runCmdEnv(t, env, "", "ask", "--json", "--corpus", testCorpus, q)
	if code != 0 || !strings.Contains(errs, "documents=3 reused=2") {
		t.Fatalf("second ask: exit %d, stderr %q", code, errs)
	}
	if again != first || !strings.Contains(again, `"found":true`) {
		t.Errorf("answers differ:\n%s\n%s", first, again)
	}
}
