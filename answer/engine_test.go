package answer

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/storybot/storybot/corpus"
)

// testEngine builds a real on-disk index of dir in a temporary folder.
func testEngine(t testing.TB, dir string) *Engine {
	t.Helper()
	c, err := corpus.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return openTest(t, c)
}

// storyEngine is an engine over the embedded story.
func storyEngine(t testing.TB) *Engine {
	t.Helper()
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	return openTest(t, c)
}

func openTest(t testing.TB, c *corpus.Corpus) *Engine {
	t.Helper()
	e, err := Open(context.Background(), c, t.TempDir(), slog.New(slog.DiscardHandler), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func TestAnswer(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	tests := []struct {
		q       string
		passage string // the first citation
		holds   string // the answer holds this
	}{
		{"When did Mara Quill become keeper?", "lighthouse#1", "in 1887"},
		{"Where did the lens come from?", "lighthouse#2", "from Paris"},
		{"How many panes did the storm break?", "lighthouse#3", "three panes"},
		{"Who sent bread and oil to the keeper?", "lighthouse#4", "Dunmere sent her bread and oil"},
		{"What did the children plant along the wall?", "orchard#3", "pear seedlings"},
		{"Why did Hobb want to cut down the trees?", "orchard#2", "orchard was cursed"},
		{"What was the miller called?", "orchard#1", "called Hobb"},
		{"Wich day were kettles sold at the markt?", "notes#1", "on Thursdays"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a, err := e.Answer(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Found {
				t.Fatalf("not found; citations %+v", a.Citations)
			}
			if a.Citations[0].Passage != tt.passage {
				t.Errorf("first citation %s, want %s", a.Citations[0].Passage, tt.passage)
			}
			if !strings.Contains(a.Text, tt.holds) {
				t.Errorf("answer %q does not hold %q", a.Text, tt.holds)
			}
			checkVerbatim(t, e, a)
		})
	}
}

// checkVerbatim asserts that every text of a is corpus text.
func checkVerbatim(t *testing.T, e *Engine, a Answer) {
	t.Helper()
	for _, p := range a.Parts {
		src := e.c.Passage(a.Citations[p.Citation-1].Passage).Text
		for _, frag := range fragments(p.Text) {
			if !strings.Contains(src, strings.TrimSpace(frag)) {
				t.Errorf("answer part %q is not in passage %q", frag, src)
			}
		}
		for _, m := range p.Marks {
			if m.Start < 0 || m.End > len(p.Text) || m.Start >= m.End {
				t.Errorf("mark %+v outside %q", m, p.Text)
			}
		}
	}
	for _, c := range a.Citations {
		if p := e.c.Passage(c.Passage); p == nil || p.Text != c.Text {
			t.Errorf("citation %d text is not passage %s", c.N, c.Passage)
		}
	}
}

func TestAnswerShowsWhoForPronouns(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	a, err := e.Answer(context.Background(), "Who said the light never went out?")
	if err != nil {
		t.Fatal(err)
	}
	// The sentence opens a passage of its own with "He": the sentence
	// before it, from the passage before, says who.
	want := "The boatman, Tobias Penhallow, was the only visitor she saw for months. He also said"
	if !a.Found || !strings.HasPrefix(a.Text, want) || len(a.Parts) != 2 {
		t.Fatalf("answer %q in %d parts, want it to open with %q", a.Text, len(a.Parts), want)
	}
	if a.Parts[0].Citation != 2 || a.Parts[1].Citation != 1 || a.Citations[0].Passage != "lighthouse#5" || a.Citations[1].Passage != "lighthouse#4" {
		t.Errorf("parts cite %d and %d; citations %+v", a.Parts[0].Citation, a.Parts[1].Citation, a.Citations)
	}
	checkVerbatim(t, e, a)
}

func TestAnswerCorrectsSpelling(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	a, err := e.Answer(context.Background(), "Waht did the childern plant along the wal?")
	if err != nil {
		t.Fatal(err)
	}
	if a.DidYouMean != "What did the children plant along the wall?" {
		t.Errorf("DidYouMean = %q", a.DidYouMean)
	}
	if !a.Found || !strings.Contains(a.Text, "pear seedlings") {
		t.Errorf("answer %q", a.Text)
	}
}

func TestAnswerNotFound(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	for _, q := range []string{
		"What is the capital of France?",
		"How do I bake sourdough bread?",
		"Who won the football match?",
	} {
		t.Run(q, func(t *testing.T) {
			a, err := e.Answer(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Found || a.Text != NotFoundText {
				t.Errorf("found %q", a.Text)
			}
		})
	}
}

func TestAnswerBadQuestions(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	for _, tt := range []struct {
		q    string
		want error
	}{
		{"", ErrEmptyQuestion},
		{"   \t\n ", ErrEmptyQuestion},
		{"?!… \u200b\u200d", ErrEmptyQuestion},
		{strings.Repeat("keeper ", 1000), ErrLongQuestion},
	} {
		if _, err := e.Answer(context.Background(), tt.q); !errors.Is(err, tt.want) {
			t.Errorf("Answer(%.20q) error = %v, want %v", tt.q, err, tt.want)
		}
	}
	// Query syntax and Markdown are words like any other.
	a, err := e.Answer(context.Background(), `+keeper -"lighthouse" title:Gull~2 **@everyone**`)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Citations) == 0 || !strings.HasPrefix(a.Citations[0].Passage, "lighthouse#") {
		t.Errorf("citations %+v", a.Citations)
	}
}

func TestSearchPages(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	first, err := e.Search(context.Background(), "Dunmere", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.Search(context.Background(), "Dunmere", 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Total != 2 || len(first.Hits) != 1 || len(second.Hits) != 1 {
		t.Fatalf("pages %+v %+v", first, second)
	}
	if first.Hits[0].Passage == second.Hits[0].Passage || second.Hits[0].N != 2 {
		t.Errorf("pages overlap: %+v %+v", first.Hits, second.Hits)
	}
}

func TestWindowAndComplete(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	w, ok := e.Window("lighthouse#2")
	if !ok || w.Before == nil || w.Before.ID != "lighthouse#1" || w.After.ID != "lighthouse#3" || w.Title != "The Keeper of Gull Rock" {
		t.Fatalf("Window = %+v, %v", w, ok)
	}
	if _, ok := e.Window("nope#1"); ok {
		t.Error("Window of an unknown passage")
	}
	got := e.Complete("orch", 25)
	if len(got) != 3 || got[0].Value != "orchard#1" {
		t.Errorf("Complete(orch) = %+v", got)
	}
	got = e.Complete("gull", 2)
	if len(got) != 2 || got[0].Value != "lighthouse#1" {
		t.Errorf("Complete(gull) = %+v", got)
	}
	for _, c := range e.Complete("", 25) {
		if n := len([]rune(c.Name)); n > 100 {
			t.Errorf("choice name of %d runes", n)
		}
	}
}

func TestAnswerUsesSynonyms(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	a, err := e.Answer(context.Background(), "Who was Toby?")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || a.Citations[0].Passage != "lighthouse#4" || !strings.Contains(a.Text, "Tobias Penhallow") {
		t.Errorf("answer %q, citations %+v", a.Text, a.Citations)
	}
	if a.DidYouMean != "" {
		t.Errorf("DidYouMean = %q for a synonym", a.DidYouMean)
	}
}

func TestVariants(t *testing.T) {
	s := synonyms{{"Kiev", "Kyiv"}, {"US", "United States"}}
	got := s.variants("Did the US arm kiev?")
	want := []string{"Did the US arm kiev?", "Did the US arm Kyiv?", "Did the United States arm kiev?"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("variants = %q, want %q", got, want)
	}
	if got := s.variants("Does the bus run?"); len(got) != 1 {
		t.Errorf("variants matched inside a word: %q", got)
	}
}

func TestAnswerWhatCameAfter(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	tests := []struct {
		q, holds string
		passages []string // cited first, in order
	}{
		// The next sentence of the same passage.
		{"What did Mara do after the storm broke the panes?", "Mara patched them with sailcloth", []string{"lighthouse#3"}},
		// The first sentence of the next passage.
		{"What happened after Hobb said the orchard was cursed?", "But the children planted a row of pear seedlings", []string{"orchard#2", "orchard#3"}},
		// A sentence that only restates the question: what was done is next.
		{"What did the keeper do when a storm broke three panes of the lantern room?", "Mara patched them with sailcloth", []string{"lighthouse#3"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a, err := e.Answer(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Found || !strings.Contains(a.Text, tt.holds) {
				t.Fatalf("answer %q does not hold %q", a.Text, tt.holds)
			}
			for i, p := range tt.passages {
				if i >= len(a.Citations) || a.Citations[i].Passage != p {
					t.Errorf("citation %d is not %s: %+v", i+1, p, a.Citations)
				}
			}
			checkVerbatim(t, e, a)
		})
	}
}

// TestCompleteKinds: what Complete suggests for a passage ID, a title and
// words of a passage's text, typed in part.
func TestCompleteKinds(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	for _, tt := range []struct {
		typed string
		max   int
		want  []string
	}{
		{"lighthouse#", 3, []string{"lighthouse#1", "lighthouse#2", "lighthouse#3"}},
		{"LightHouse#4", 25, []string{"lighthouse#4"}},
		{"no", 2, []string{"notes#1", "notes#2"}},
		// A title: "The Keeper of Gull Rock".
		{"of gull", 1, []string{"lighthouse#1"}},
		// Words of a passage, the last one typed in part.
		{"patched them with sailc", 25, []string{"lighthouse#3"}},
		{"Copper kett", 25, []string{"notes#1"}},
		{"sailclo", 25, []string{"lighthouse#3"}},
		{"millpond", 25, []string{"orchard#3"}},
		{"zebra", 25, nil},
	} {
		var got []string
		for _, c := range e.Complete(tt.typed, tt.max) {
			got = append(got, c.Value)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Complete(%q) = %v, want %v", tt.typed, got, tt.want)
		}
	}
}
