package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// questionFile writes rows, one a line, to a question set in a temporary
// folder with no corpus/ beside it: eval then uses the embedded story.
func questionFile(t *testing.T, rows ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "questions.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const (
	storyRow         = `{"q": "Who signed a security agreement with North Korea?", "keys": ["Russia signed a security"]}`
	offTopicRow      = `{"q": "What is the capital of Korea?", "unanswerable": true}`
	storyRowsRejects = "rejected 100.0% (1/1)"
)

func TestEvalMinEvidence(t *testing.T) {
	set := questionFile(t, storyRow, offTopicRow)
	for _, tt := range []struct {
		value string
		code  int
		out   string // the output holds this (exit 0) or stderr (else)
	}{
		{"2", 2, "--min-evidence must be from 0 to 1, not 2"},
		{"-0.5", 2, "--min-evidence must be from 0 to 1, not -0.5"},
		{"NaN", 2, "--min-evidence must be from 0 to 1, not NaN"},
		{"abc", 2, "invalid value"},
		{"0.3", 0, storyRowsRejects},
		// 0 needs no evidence at all: the off-topic question is answered.
		{"0", 0, "rejected 0.0% (0/1)"},
	} {
		t.Run(tt.value, func(t *testing.T) {
			out, errs, code := runCmd(t, "", "eval", "--min-evidence", tt.value, set)
			got := errs
			if code == 0 {
				got = strings.Join(strings.Fields(out), " ")
			}
			if code != tt.code || !strings.Contains(got, tt.out) {
				t.Errorf("exit %d, %q; want %d and %q", code, got, tt.code, tt.out)
			}
		})
	}
}

func TestEvalBadSets(t *testing.T) {
	for _, tt := range []struct {
		name string
		rows []string
		msg  string
	}{
		{"empty", []string{"", "  "}, "no questions"},
		{"wrong field names", []string{storyRow, `{"question": "Who signed?", "answers": ["Russia"]}`},
			`line 2: unknown field "question"`},
		{"no question", []string{`{"keys": ["Russia"]}`}, `line 1: no "q"`},
		{"blank question", []string{storyRow, "", `{"q": " ", "keys": ["Russia"]}`}, `line 3: empty "q"`},
		{"no keys", []string{offTopicRow, `{"q": "Who signed the pact?"}`}, `line 2: question "Who signed the pact?" has no "keys"`},
		{"blank keys", []string{`{"q": "Who signed the pact?", "keys": [" "], "gold": ["Russia signed"]}`}, `line 1: question "Who signed the pact?" has no "keys"`},
		{"not JSON", []string{storyRow, `q: Who?`}, "line 2: invalid character"},
		{"two values", []string{storyRow + " " + storyRow}, "line 1: more than one JSON value"},
		{"a question the engine refuses", []string{storyRow, `{"q": "???", "keys": ["x"]}`}, `line 2: question "???"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := runCmd(t, "", "eval", questionFile(t, tt.rows...))
			if code != 1 || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errs, tt.msg)
			}
		})
	}
}

func TestEvalNamesItsCorpus(t *testing.T) {
	set := questionFile(t, storyRow, offTopicRow)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "corpus embedded story (1 document, "},
		{[]string{"--corpus", testCorpus}, "corpus " + testCorpus + " (3 documents, 10 passages)"},
	} {
		out, errs, code := runCmd(t, "", append(append([]string{"eval"}, tt.args...), set)...)
		if flat := strings.Join(strings.Fields(out), " "); code != 0 || !strings.Contains(flat, tt.want) {
			t.Errorf("eval %q: exit %d, %s%s; want %q", tt.args, code, out, errs, tt.want)
		}
	}
}

// TestEvalVerboseFeatures checks that eval -v shows, for a question missed,
// the features of the answer given and of the best span that holds the
// answer, each with its part of the score.
func TestEvalVerboseFeatures(t *testing.T) {
	set := filepath.Join(t.TempDir(), "set.jsonl")
	// The gold passage is one sentence: the answer given, two, is wrong.
	row := `{"q": "Who sent bread and oil to the keeper?", "keys": ["Dunmere"], "gold": ["The fishing village of Dunmere sent her bread and oil by rowing boat every Sunday."]}` + "\n"
	if err := os.WriteFile(set, []byte(row), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runCmd(t, "", "eval", "-v", "--corpus", testCorpus, set)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	first := regexp.MustCompile(`(?m)^  first:  lighthouse#4 -?[0-9.]+ "The fishing village of Dunmere sent her bread and oil by rowing boat every Sunday\. The boatman[^"]*"\n +exact=[0-9.]+\(\+[0-9.]+\) `)
	right := regexp.MustCompile(`(?m)^  right:  lighthouse#4 -?[0-9.]+ "The fishing village of Dunmere sent her bread and oil by rowing boat every Sunday\."\n +exact=`)
	if !first.MatchString(out) || !right.MatchString(out) {
		t.Errorf("output lacks the features of the answer and of the right span:\n%s", out)
	}
}

// TestEvalVerboseVerdict checks that eval -v says why each miss was
// answered or turned down: the answerability model's probability against
// the threshold, and the near-miss rule that turned it down.
func TestEvalVerboseVerdict(t *testing.T) {
	nearMiss := `{"q": "What did Zorbakov sign with North Korea?", "keys": ["security pact"]}`
	set := questionFile(t, nearMiss, offTopicRow)
	for _, tt := range []struct {
		minEvidence string
		want        []string // patterns the output holds
	}{
		{"0.03", []string{
			`(?m)^MISS "What did Zorbakov sign with North Korea\?"\n  said not found\n(.*\n)*?  evidence: [0-9.]+ (<|>=) 0\.0300; a near miss: it names "Zorbakov", which the corpus never mentions$`,
		}},
		// With a low threshold the off-topic question is answered, and
		// its evidence is shown to clear it.
		{"0.001", []string{
			`(?m)^MISS "What is the capital of Korea\?"\n  unanswerable, but answered\n(.*\n)*?  evidence: [0-9.]+ >= 0\.0010$`,
		}},
	} {
		t.Run(tt.minEvidence, func(t *testing.T) {
			out, errs, code := runCmd(t, "", "eval", "-v", "--min-evidence", tt.minEvidence, set)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, p := range tt.want {
				if !regexp.MustCompile(p).MatchString(out) {
					t.Errorf("output does not match %s:\n%s", p, out)
				}
			}
		})
	}
}
