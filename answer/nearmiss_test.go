package answer

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storybot/storybot/corpus"
)

// openTestOpts opens an engine over c with opts.
func openTestOpts(t *testing.T, c *corpus.Corpus, opts Options) *Engine {
	t.Helper()
	e, err := Open(context.Background(), c, t.TempDir(), slog.New(slog.DiscardHandler), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestNearMiss checks that questions about what a corpus never mentions,
// though they share words with it, are not found, and that their answerable
// neighbours still are.
func TestNearMiss(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	for _, tt := range []struct {
		q     string
		found bool
	}{
		// A name the corpus never uses.
		{"When did Elsie become keeper of the lighthouse?", false},
		{"What did the Brest lighthouse keeper patch with sailcloth?", false},
		// A figure no passage holds.
		{"How much did the lens cost?", false},
		{"How many apples did the children gather?", false},
		{"In what year did Hobb cut the trees down?", false},
		// Their answerable neighbours.
		{"When did Mara Quill become keeper of the lighthouse?", true},
		{"What did Mara patch with sailcloth?", true},
		{"How many crates did the lens come in?", true},
		{"How long did Mara keep the light burning?", true},
		{"In what year did the storm break the panes?", true},
		{"What did the children of the valley gather?", true},
		// A misspelt name, a demonym of a name the corpus uses, a name
		// the corpus's synonyms reword.
		{"When did Mara Quil become keeper?", true},
		{"What did the Parisian lens turn?", true},
		{"What was Toby?", true},
		// A name whose last word the corpus uses, a name in capitals.
		{"What did Tobias Penhallow bring?", true},
		{"What did Skipper Tobias Penhallow bring?", true},
		{"What did the RNL send to Dunmere?", true},
		{"What did NATO send to Dunmere?", false},
		{"What did the Gullrock keeper patch with sailcloth?", true},
		{"Who kept the Gull-Rock light?", true},
	} {
		a, err := e.Answer(context.Background(), tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Found != tt.found {
			t.Errorf("%q: found %v, want %v (answer %q)", tt.q, a.Found, tt.found, a.Text)
		}
	}
}

// TestNearMissStory checks near misses about the built-in story, and that
// a negative MinEvidence still answers them.
func TestNearMissStory(t *testing.T) {
	e := storyEngine(t)
	for _, q := range []string{
		"What did Biden say about the pact between Russia and North Korea?",
		"What did Zelensky say about South Korea's offer?",
		"How many artillery shells did North Korea send to Russia?",
		"When will South Korea start sending weapons to Ukraine?",
	} {
		a, err := e.Answer(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Found {
			t.Errorf("%q: answered %q", q, a.Text)
		}
	}
	for _, q := range []string{
		"How long had it been since a Russian leader visited North Korea?",
		"When did Jang Ho-jin speak to reporters?",
		"Who is the North Korean leader?",
	} {
		a, err := e.Answer(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Found {
			t.Errorf("%q: not found", q)
		}
	}
	always := openTestOpts(t, e.c, Options{MinEvidence: -1})
	a, err := always.Answer(context.Background(), "What did Biden say about the pact between Russia and North Korea?")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found {
		t.Error("a negative MinEvidence rejected a near miss")
	}
}

// TestDevSet holds the engine to its figures on the repository's own
// question sets about the built-in story.
func TestDevSet(t *testing.T) {
	e := storyEngine(t)
	for _, tt := range []struct {
		set              string
		answer, rejected float64 // minimum answer@1 and rejected, in %
	}{
		{"testdata/devset/story-paraphrase.jsonl", 84, 0},
		{"testdata/devset/story-nearmiss.jsonl", 0, 94},
	} {
		t.Run(tt.set, func(t *testing.T) {
			r := evaluateFile(t, e, tt.set)
			if got := Pct(r.Answer, r.Questions); r.Questions > 0 && got < tt.answer {
				t.Errorf("answer@1 %.1f%%, want at least %.0f%%", got, tt.answer)
			}
			if got := Pct(r.Rejected, r.Unanswerable); r.Unanswerable > 0 && got < tt.rejected {
				t.Errorf("rejected %.1f%%, want at least %.0f%%", got, tt.rejected)
			}
		})
	}
}

func TestFigureAsked(t *testing.T) {
	for q, want := range map[string]asked{
		"How many crates were there?":     askedFigure,
		"how much did it cost?":           askedFigure,
		"What percentage voted?":          askedFigure,
		"How long did the storm last?":    askedDuration,
		"In what year did it open?":       askedYear,
		"When did she leave?":             askedDate,
		"On which day was the market?":    askedDate,
		"Who sent the bread?":             askedNothing,
		"Whenever is not when, is it?":    askedNothing,
		"When year was the pier built?":   askedDate,
		"When the storm broke, who ran?":  askedNothing,
		"When the tide turns it is?":      askedNothing,
		"What did the long storm break?":  askedNothing,
		"Somehow many things went wrong.": askedNothing,
	} {
		if got := figureAsked(q); got != want {
			t.Errorf("figureAsked(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestHoldsFigure(t *testing.T) {
	for _, tt := range []struct {
		want asked
		text string
		ok   bool
	}{
		{askedFigure, "The lens came in forty crates.", true},
		{askedFigure, "It cost 300 francs.", true},
		{askedFigure, "She was one of the keepers.", false},
		{askedFigure, "The six-time winner sang.", true},
		{askedFigure, "Many lineages were lost.", true},
		{askedFigure, "It came on Thursday.", false},
		{askedDuration, "It burned for nine nights.", true},
		{askedDuration, "It burned for weeks.", true},
		{askedDuration, "It came on Thursday.", false},
		{askedDuration, "The two keepers signed the log.", false},
		{askedDuration, "The road runs 1,230 km.", true},
		{askedDuration, "They wandered for a long time.", true},
		{askedYear, "It opened in 1887.", true},
		{askedYear, "It opened in March.", false},
		{askedDate, "It opened in March.", true},
		{askedDate, "They may march on the town.", false},
		{askedDate, "It opened on a Sunday in May.", true},
	} {
		st := sentenceTerms{words: wordsOf(tt.text), cues: cuesOf(tt.text)}
		if got := holdsFigure(tt.want, st, tt.text); got != tt.ok {
			t.Errorf("holdsFigure(%v, %q) = %v, want %v", tt.want, tt.text, got, tt.ok)
		}
	}
}

// TestNearWordsEdits: nearWords finds a word when it is at most k
// insertions, deletions, substitutions or swaps of two neighbouring runes
// from the one sought, as nearName asks.
func TestNearWordsEdits(t *testing.T) {
	within := func(a, b string, k int) bool {
		found := false
		nearWords([]string{b}, utf8.RuneCountInString(b), []rune(a), k, func(string, int) { found = true })
		return found
	}
	for _, tt := range []struct {
		a, b string
		k    int
		ok   bool
	}{
		{"quil", "quill", 1, true},
		{"penhalow", "penhallow", 1, true},
		{"zelensky", "zelenskyy", 1, true},
		{"china", "chain", 1, false},
		{"china", "chain", 2, true},
		{"korea", "korea", 0, true},
		{"", "ab", 1, false},
		{"ghandi", "gandhi", 2, true},
		{"geegen", "gegeen", 1, true},
		{"ab", "abcd", 1, false},
		// Long ones, and runes of many bytes.
		{strings.Repeat("lighthouse", 5) + "keeper", strings.Repeat("lighthouse", 5) + "keepr", 1, true},
		{strings.Repeat("lighthouse", 5) + "keeper", strings.Repeat("lighthouse", 5) + "kpr", 2, false},
		{"ünal", "unal", 1, true},
		{"çağrı", "cagri", 2, false},
		{"çağrı", "çağri", 1, true},
	} {
		if got := within(tt.a, tt.b, tt.k); got != tt.ok {
			t.Errorf("within(%q, %q, %d) = %v", tt.a, tt.b, tt.k, got)
		}
	}
}

// TestNearMissCentury checks that a question about another century than
// its best passage's is not found.
func TestNearMissCentury(t *testing.T) {
	dir := t.TempDir()
	text := "The Normans crossed the sea in the 11th century and conquered England.\n\n" +
		"In the 12th century their kings built stone castles along the Welsh border.\n"
	if err := os.WriteFile(dir+"/normans.txt", []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := testEngine(t, dir)
	for q, found := range map[string]bool{
		"Who conquered England in the 11th century?":    true,
		"Who conquered England in the 10th century?":    false,
		"What did the kings build in the 12th century?": true,
		"What did the kings build in the 14th century?": false,
		"What did the kings build?":                     true,
	} {
		a, err := e.Answer(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Found != found {
			t.Errorf("%q: found %v, want %v (answer %q)", q, a.Found, found, a.Text)
		}
	}
}

// TestNearMissTimeOfSpan checks that a question pairing what one sentence
// of a passage tells with a year or a century that a sentence too far from
// it to join its span gives is not found: the span that answers it speaks
// of another time.
// TestNearMissWhenClause checks that a question whose "when" opens a
// clause of its own, not asking when, is answered by a passage that gives
// no time at all, and that one asking when is still not.
func TestNearMissWhenClause(t *testing.T) {
	dir := t.TempDir()
	text := "When the storm broke the panes, the keeper Odo mended them with sailcloth. The gulls nested on the gallery.\n\n" +
		"The fishermen of Dunmere mended their nets on the shingle every winter.\n"
	if err := os.WriteFile(dir+"/storm.txt", []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := testEngine(t, dir)
	for _, tt := range []struct {
		q     string
		found bool
	}{
		{"When the storm broke the panes, who mended them?", true},
		{"When the storm broke the panes, what did Odo mend them with?", true},
		{"When the storm broke the panes Odo mended them with?", true},
		{"When did the storm break the panes?", false},
	} {
		a, err := e.Answer(context.Background(), tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Found != tt.found {
			t.Errorf("%q: found %v, want %v (answer %q)", tt.q, a.Found, tt.found, a.Text)
		}
	}
}

func TestNearMissTimeOfSpan(t *testing.T) {
	dir := t.TempDir()
	text := "In 1066 the Normans crossed the sea and conquered England. Their ships were small and fast. " +
		"The sailors rowed through the night. Their kings built stone castles along the Welsh border in the 12th century.\n\n" +
		"The fishermen of Dunmere mended their nets on the shingle every winter.\n"
	if err := os.WriteFile(dir+"/normans.txt", []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := testEngine(t, dir)
	for _, tt := range []struct {
		q     string
		found bool
	}{
		{"Who conquered England in 1066?", true},
		{"Who conquered England in the 12th century?", false},
		{"What did the kings build in the 12th century?", true},
		{"What did the kings build in 1066?", false},
		{"Who conquered England?", true},
	} {
		a, err := e.Answer(context.Background(), tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Found != tt.found {
			t.Errorf("%q: found %v, want %v (answer %q)", tt.q, a.Found, tt.found, a.Text)
		}
	}
}

// TestNearMissUntimedPassage checks that a question giving a year is
// found by a passage that speaks of no time in numbers at all, its
// document naming the year in another passage, and not found by one
// whose other sentences give another year.
func TestNearMissUntimedPassage(t *testing.T) {
	dir := t.TempDir()
	text := "The harbour of Dunmere was rebuilt for the fleet in 1871.\n\n" +
		"The keeper Odo painted the lighthouse red. The gulls nested on its gallery.\n\n" +
		"The fishermen mended their nets on the shingle. In 1902 a storm broke the old pier.\n"
	if err := os.WriteFile(dir+"/dunmere.txt", []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := testEngine(t, dir)
	for _, tt := range []struct {
		q     string
		found bool
	}{
		{"Who painted the lighthouse red in 1871?", true},
		{"Who mended their nets on the shingle in 1871?", false},
		{"Who mended their nets on the shingle?", true},
	} {
		a, err := e.Answer(context.Background(), tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Found != tt.found {
			t.Errorf("%q: found %v, want %v (answer %q)", tt.q, a.Found, tt.found, a.Text)
		}
	}
}
