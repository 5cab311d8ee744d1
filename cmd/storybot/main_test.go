package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer/live"
	"github.com/storybot/storybot/corpus"
)

const testCorpus = "../../answer/testdata/corpus"

// runCmd runs storybot with args and stdin, and returns its output and exit
// status.
func runCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runCmdEnv(t, nil, stdin, args...)
}

// runCmdEnv is runCmd with the variables of env set too.
func runCmdEnv(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Setenv("STORYBOT_DATA_DIR", t.TempDir())
	t.Setenv("STORYBOT_CORPUS", "")
	t.Setenv("STORYBOT_LOG_LEVEL", "warn")
	t.Setenv("STORYBOT_DISCORD_TOKEN", "")
	t.Setenv("DISCORD_TOKEN", "")
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	if err != nil {
		printError(&errb, err)
	}
	return out.String(), errb.String(), exitCode(err)
}

func TestAskEmbeddedStory(t *testing.T) {
	out, errs, code := runCmd(t, "", "ask", "Why might South Korea send weapons to Ukraine?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"[1] Story · story#", "*weapons*", "Ukraine"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAskJSON(t *testing.T) {
	out, errs, code := runCmd(t, "When did Mara Quill become keeper?\n\nWhat is the capital of France?\n",
		"ask", "--json", "--top", "2", "--corpus", testCorpus)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %d:\n%s", len(lines), out)
	}
	// Exactly the documented keys, in order.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(lines[0]), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) != 4 || raw["question"] == nil || raw["found"] == nil || raw["answer"] == nil || raw["citations"] == nil {
		t.Errorf("keys of %s", lines[0])
	}
	var a jsonAnswer
	if err := json.Unmarshal([]byte(lines[0]), &a); err != nil {
		t.Fatal(err)
	}
	if !a.Found || !strings.Contains(a.Answer, "1887") || len(a.Citations) == 0 || len(a.Citations) > 2 {
		t.Errorf("answer %+v", a)
	}
	c := a.Citations[0]
	if c.N != 1 || c.Doc != "lighthouse" || c.Title != "The Keeper of Gull Rock" || c.Passage != "lighthouse#1" || c.Score <= 0 {
		t.Errorf("citation %+v", c)
	}
	var cite map[string]json.RawMessage
	var wrap struct{ Citations []json.RawMessage }
	json.Unmarshal([]byte(lines[0]), &wrap)
	json.Unmarshal(wrap.Citations[0], &cite)
	if len(cite) != 6 {
		t.Errorf("citation keys: %s", wrap.Citations[0])
	}
	var nf jsonAnswer
	if err := json.Unmarshal([]byte(lines[1]), &nf); err != nil {
		t.Fatal(err)
	}
	if nf.Found || nf.Citations == nil {
		t.Errorf("not-found answer %s", lines[1])
	}
}

func TestAskBadInput(t *testing.T) {
	for _, tt := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"empty argument", "", []string{"ask", "  "}, 2, "empty question"},
		{"no words", "", []string{"ask", "?!"}, 2, "no words"},
		{"nothing on stdin", "\n\n", []string{"ask"}, 2, "no question"},
		{"huge question", "", []string{"ask", strings.Repeat("lighthouse ", 500)}, 2, "longer than"},
		{"not UTF-8", "", []string{"ask", "who \xff\xfe"}, 2, "not valid UTF-8"},
		{"bad --top", "", []string{"ask", "--top", "0", "x"}, 2, "--top"},
		{"missing corpus", "", []string{"ask", "--corpus", "/nonexistent/folder", "q"}, 1, "/nonexistent/folder"},
		{"unknown command", "", []string{"frobnicate"}, 2, "unknown command"},
		{"serve without a token", "", []string{"serve"}, 2, "no Discord token"},
		{"no command", "", nil, 2, "no command"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := runCmd(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.msg)
			}
		})
	}
}

func TestIndexCommand(t *testing.T) {
	out, errs, code := runCmd(t, "", "index", "--corpus", testCorpus)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "indexed 3 documents, 10 passages in ") ||
		!strings.HasSuffix(out, "\nadded: lighthouse, notes, orchard\ncorpus: "+testCorpus+"\n") {
		t.Errorf("output %q", out)
	}
}

func TestEvalCommand(t *testing.T) {
	out, errs, code := runCmd(t, "", "eval", "-v", "--corpus", testCorpus, "testdata/questions.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"answer@1 100.0% (2/2)", "cite@1 100.0% (2/2)", "rejected 100.0% (1/1)"} {
		if !strings.Contains(flat, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestFlagsAfterQuestion(t *testing.T) {
	out, errs, code := runCmd(t, "", "ask", "When did Mara Quill become keeper?", "--corpus", testCorpus, "--json")
	if code != 0 || !strings.HasPrefix(out, `{"question":"When did Mara Quill become keeper?"`) {
		t.Errorf("exit %d, %s%s", code, out, errs)
	}
}

func TestAskBatchKeepsGoing(t *testing.T) {
	out, errs, code := runCmd(t, "When did Mara Quill become keeper?\n?!?\nWhat was the miller called?\n",
		"ask", "--json", "--corpus", testCorpus)
	if code != 2 || !strings.Contains(errs, "1 of 3 questions refused") || !strings.Contains(errs, `line 2: question "?!?" has no words`) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if n := strings.Count(out, `"found":true`); n != 2 {
		t.Errorf("%d answers, want the 2 good questions answered:\n%s", n, out)
	}
	// Each question line gets its line of output, so that a program feeding
	// questions one at a time is not left waiting.
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.Contains(lines[1], `"refused":"question \"?!?\" has no words to look for"`) {
		t.Errorf("want 3 lines, the second refused:\n%s", out)
	}
}

// Once a change has seeded the data folder's corpus folder, every command
// run without --corpus reads it.
func TestCommandsReadTheSeededFolder(t *testing.T) {
	data := t.TempDir()
	seeded, err := corpus.Seed(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(seeded, "harbour.txt"), []byte(harbour), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"STORYBOT_DATA_DIR": data}
	out, errs, code := runCmdEnv(t, env, "", "index", "--dry-run")
	if code != 0 || !strings.HasPrefix(out, "would index 2 documents, ") || !strings.HasSuffix(out, "\nadded: harbour, story\ncorpus: "+seeded+"\n") {
		t.Errorf("index --dry-run: exit %d, %s%s", code, out, errs)
	}
	out, errs, code = runCmdEnv(t, env, "", "ask", "Who was the harbour master?")
	if code != 0 || !strings.Contains(out, "Ysolde Brannock") {
		t.Errorf("ask: exit %d, %s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(data, live.ChangeLogFile)); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote the change log: %v", err)
	}
	// ask built the index of what it read: nothing changed since.
	out, errs, code = runCmdEnv(t, env, "", "index")
	if code != 0 || !strings.HasPrefix(out, "indexed 2 documents, ") {
		t.Errorf("index: exit %d, %s%s", code, out, errs)
	}
	out, errs, code = runCmdEnv(t, env, "", "index")
	if code != 0 || !strings.Contains(out, "\nno document added, changed or removed\n") {
		t.Errorf("index again: exit %d, %s%s", code, out, errs)
	}
	b, err := os.ReadFile(filepath.Join(data, live.ChangeLogFile))
	if n := strings.Count(string(b), `"who":{"name":"shell"},"action":"reindex"`); err != nil || n != 2 {
		t.Errorf("change log holds %d reindexes by the shell, want 2: %s %v", n, b, err)
	}
}
