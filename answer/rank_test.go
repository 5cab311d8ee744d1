package answer

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenQuestions are the questions of testdata/rank/questions.txt, one a
// line, without blank lines and comments (lines that start with #).
func goldenQuestions(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/rank/questions.txt")
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			qs = append(qs, l)
		}
	}
	return qs
}

// TestRankGolden answers a fixed list of questions over the test corpus
// and compares the answers and the passages they cite, in order, with a
// golden file. A ranking change that moves any of them shows as a diff;
// run with -update to accept it.
func TestRankGolden(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	var b strings.Builder
	for _, q := range goldenQuestions(t) {
		a, err := e.Answer(context.Background(), q)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		fmt.Fprintf(&b, "Q: %s\n", q)
		if a.DidYouMean != "" {
			fmt.Fprintf(&b, "   did you mean: %s\n", a.DidYouMean)
		}
		if a.Found {
			fmt.Fprintf(&b, "   answer: %s\n", a.Text)
		} else {
			b.WriteString("   not found\n")
		}
		for _, c := range a.Citations {
			fmt.Fprintf(&b, "   [%d] %s\n", c.N, c.Passage)
		}
	}
	golden := "testdata/rank/rank.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("ranking changed (run with -update if it is better):\n%s", lineDiff(string(want), got))
	}
}

// lineDiff lists the lines of want and got that differ, by position.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
