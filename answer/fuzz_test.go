package answer

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// FuzzAnswer holds the engine to its contract for any question: no panic,
// a clear error or an answer whose every text is corpus text, with marks
// inside the texts they mark.
//
// An answer to a long question takes milliseconds, and the fuzzer minimises
// every input that finds new code, a run per byte or more: cap that to keep
// fuzzing, as in
//
//	go test ./answer/ -run '^$' -fuzz FuzzAnswer -fuzztime 20s -fuzzminimizetime 100x
func FuzzAnswer(f *testing.F) {
	// Seeds are short: the fuzzer minimises every input that finds new
	// code, and long seeds make it spend its time doing that.
	for _, q := range []string{
		"Toby?",
		"Wich markt",
		"after lamp",
		// Letters whose lower case has another length in bytes, around
		// synonyms ("Toby", "lamp") and "after".
		"Ⱥ Toby",
		"İ lamp",
		"\u212a after lamp",
		"@everyone <@&1>",
		"+a -\"b\" t:c~2 ?*",
		"\u200b\u200d",
		"",
		"1887 9th",
		"who who",
	} {
		f.Add(q)
	}
	e := testEngine(f, "testdata/corpus")
	f.Fuzz(func(t *testing.T, q string) {
		a, err := e.Answer(context.Background(), q)
		if err != nil {
			if !errors.Is(err, ErrEmptyQuestion) && !errors.Is(err, ErrLongQuestion) && !errors.Is(err, ErrInvalidQuestion) {
				t.Fatalf("Answer(%q): %v", q, err)
			}
			return
		}
		if !a.Found {
			if a.Text != NotFoundText || len(a.Parts) != 0 {
				t.Fatalf("not found, but text %q and %d parts", a.Text, len(a.Parts))
			}
		} else if len(a.Parts) == 0 || len(a.Text) > MaxAnswerLen+len(Ellipsis)*2+1 {
			t.Fatalf("found answer of %d parts, %d bytes", len(a.Parts), len(a.Text))
		}
		for _, p := range a.Parts {
			if p.Citation < 1 || p.Citation > len(a.Citations) {
				t.Fatalf("part cites %d of %d", p.Citation, len(a.Citations))
			}
			src := e.c.Passage(a.Citations[p.Citation-1].Passage)
			for _, frag := range fragments(p.Text) {
				if !strings.Contains(src.Text, strings.TrimSpace(frag)) {
					t.Fatalf("part %q is not in passage %s", frag, src.ID)
				}
			}
			checkMarks(t, p.Text, p.Marks)
		}
		for i, c := range a.Citations {
			p := e.c.Passage(c.Passage)
			if c.N != i+1 || p == nil || p.Text != c.Text {
				t.Fatalf("citation %d: %+v", i, c)
			}
			checkMarks(t, c.Text, c.Marks)
		}
	})
}

func checkMarks(t *testing.T, text string, marks []Span) {
	t.Helper()
	last := 0
	for _, m := range marks {
		if m.Start < last || m.End > len(text) || m.Start >= m.End {
			t.Fatalf("mark %+v out of order or outside %q", m, text)
		}
		last = m.End
	}
}
