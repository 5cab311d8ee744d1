package bot

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// testEngine answers from a tiny corpus the test defines: it picks the
// sentence sharing most words with the question, marks the shared words and
// cites its passage. It counts the questions it is asked.
type testEngine struct {
	c     *corpus.Corpus
	info  answer.Info
	calls atomic.Int64
}

var _ Engine = (*testEngine)(nil)

// storyDocs is the test corpus: a title and its paragraphs per document.
var storyDocs = []struct {
	id, title string
	paras     []string
}{
	{"story", "The Lighthouse Keeper", []string{
		"Mara kept the lighthouse on Gull Rock for forty years. She lived alone with a grey cat named Ash.",
		"Every night she climbed the hundred and twelve steps to light the lamp. The storms never stopped her.",
		"One winter a ship called the Albatross ran aground on the reef. Mara rowed out in the dark and saved all nine sailors.",
		"The sailors gave her a brass compass as thanks. She kept it on the windowsill until the day she died.",
	}},
	{"notes", "Notes on the *Story*", []string{
		"The story was written in 1931 by an unknown author. Some say the author was Mara herself.",
	}},
}

func newTestEngine() *testEngine {
	c := &corpus.Corpus{Name: "test corpus", Fingerprint: "f00d"}
	n := 0
	for _, d := range storyDocs {
		doc := &corpus.Document{ID: d.id, Path: d.id + ".md", Title: d.title}
		for k, p := range d.paras {
			ps := &corpus.Passage{ID: d.id + "#" + string(rune('1'+k)), Doc: doc, Ordinal: k + 1, Text: p}
			doc.Passages = append(doc.Passages, ps)
			n++
		}
		c.Documents = append(c.Documents, doc)
	}
	return &testEngine{c: c, info: answer.Info{
		Corpus: c.Name, Documents: len(c.Documents), Passages: n, Fingerprint: c.Fingerprint,
		Indexed: time.Date(2026, 7, 18, 12, 0, 0, 0, time.UTC),
	}}
}

var stop = map[string]bool{"the": true, "a": true, "an": true, "of": true, "to": true, "in": true, "on": true,
	"who": true, "what": true, "did": true, "does": true, "do": true, "was": true, "is": true, "how": true,
	"many": true, "her": true, "she": true, "and": true, "for": true, "it": true, "by": true, "with": true}

var misspelt = map[string]string{"lighthuose": "lighthouse", "compas": "compass"}

// words returns the content words of s with their byte ranges.
func words(s string) (ws []string, spans []answer.Span) {
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := strings.ToLower(s[start:end])
			if !stop[w] && len(w) > 1 {
				ws = append(ws, strings.TrimSuffix(w, "s"))
				spans = append(spans, answer.Span{Start: start, End: end})
			}
			start = -1
		}
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return ws, spans
}

type scored struct {
	p     *corpus.Passage
	score int
}

// rank scores every passage by the question words it holds.
func (e *testEngine) rank(q []string) []scored {
	var out []scored
	for _, d := range e.c.Documents {
		for _, p := range d.Passages {
			pw, _ := words(p.Text)
			n := 0
			for _, w := range q {
				if slices.Contains(pw, w) {
					n++
				}
			}
			if n > 0 {
				out = append(out, scored{p, n})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int { return b.score - a.score })
	return out
}

func marksFor(text string, q []string) []answer.Span {
	ws, spans := words(text)
	var m []answer.Span
	for i, w := range ws {
		if slices.Contains(q, w) {
			m = append(m, spans[i])
		}
	}
	return m
}

func (e *testEngine) Answer(ctx context.Context, question string) (answer.Answer, error) {
	e.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return answer.Answer{}, err
	}
	a := answer.Answer{Question: question}
	q, _ := words(question)
	for i, w := range q {
		if fix, ok := misspelt[w]; ok {
			q[i] = fix
			a.DidYouMean = strings.ReplaceAll(strings.ToLower(question), w, fix)
		}
	}
	ranked := e.rank(q)
	cite := func(p *corpus.Passage, score int) answer.Citation {
		return answer.Citation{N: len(a.Citations) + 1, Doc: p.Doc.ID, Title: p.Doc.Title, Passage: p.ID,
			Text: p.Text, Score: float64(score), Marks: marksFor(p.Text, q)}
	}
	if len(ranked) == 0 || ranked[0].score < min(2, len(q)) {
		a.Text = answer.NotFoundText
		for _, r := range ranked[:min(len(ranked), 4)] {
			a.Citations = append(a.Citations, cite(r.p, r.score))
		}
		return a, nil
	}
	for _, r := range ranked[:min(len(ranked), 2)] {
		if r.score < ranked[0].score {
			break
		}
		c := cite(r.p, r.score)
		a.Citations = append(a.Citations, c)
		// The best sentence of the passage (sentences end at ". ").
		best, bestN := "", -1
		for _, s := range strings.SplitAfter(r.p.Text, ". ") {
			s = strings.TrimSpace(s)
			if n := len(marksFor(s, q)); n > bestN {
				best, bestN = s, n
			}
		}
		a.Parts = append(a.Parts, answer.Part{Text: best, Citation: c.N, Marks: marksFor(best, q)})
	}
	a.Found = true
	var texts []string
	for _, p := range a.Parts {
		texts = append(texts, p.Text)
	}
	a.Text = strings.Join(texts, " ")
	return a, nil
}

func (e *testEngine) Search(ctx context.Context, query string, from, size int) (answer.Results, error) {
	if err := ctx.Err(); err != nil {
		return answer.Results{}, err
	}
	q, _ := words(query)
	ranked := e.rank(q)
	res := answer.Results{Total: len(ranked)}
	for i := from; i < min(from+size, len(ranked)); i++ {
		p := ranked[i].p
		res.Hits = append(res.Hits, answer.Citation{N: i + 1, Doc: p.Doc.ID, Title: p.Doc.Title, Passage: p.ID,
			Text: p.Text, Score: float64(ranked[i].score), Marks: marksFor(p.Text, q)})
	}
	return res, nil
}

func (e *testEngine) Window(id string) (answer.Window, bool) {
	for _, d := range e.c.Documents {
		for k, p := range d.Passages {
			if p.ID != id {
				continue
			}
			w := answer.Window{Title: d.Title, Doc: d.ID, Passage: p}
			if k > 0 {
				w.Before = d.Passages[k-1]
			}
			if k+1 < len(d.Passages) {
				w.After = d.Passages[k+1]
			}
			return w, true
		}
	}
	return answer.Window{}, false
}

func (e *testEngine) Complete(prefix string, max int) []answer.Choice {
	prefix = strings.ToLower(prefix)
	var out []answer.Choice
	for _, d := range e.c.Documents {
		for _, p := range d.Passages {
			name := p.ID + " · " + d.Title
			if strings.HasPrefix(p.ID, prefix) || strings.Contains(strings.ToLower(d.Title), prefix) {
				out = append(out, answer.Choice{Name: name, Value: p.ID})
			}
		}
	}
	return out[:min(len(out), max)]
}

func (e *testEngine) Info() answer.Info { return e.info }

// panicEngine panics on every question and search.
type panicEngine struct{ *testEngine }

func (panicEngine) Answer(context.Context, string) (answer.Answer, error) {
	panic("engine exploded")
}

func (panicEngine) Search(context.Context, string, int, int) (answer.Results, error) {
	panic("search exploded")
}

// panicWindowEngine panics when asked for a passage, which the bot does
// before its first response.
type panicWindowEngine struct{ *testEngine }

func (panicWindowEngine) Window(string) (answer.Window, bool) { panic("window exploded") }

// slowEngine blocks every question until release is closed or the question's
// context ends. started receives each question as its work begins.
type slowEngine struct {
	*testEngine
	started chan string
	release chan struct{}
	once    sync.Once
}

func newSlowEngine() *slowEngine {
	return &slowEngine{testEngine: newTestEngine(), started: make(chan string, 16), release: make(chan struct{})}
}

func (e *slowEngine) Answer(ctx context.Context, q string) (answer.Answer, error) {
	e.started <- q
	select {
	case <-e.release:
		return e.testEngine.Answer(ctx, q)
	case <-ctx.Done():
		return answer.Answer{}, ctx.Err()
	}
}

func (e *slowEngine) Release() { e.once.Do(func() { close(e.release) }) }

// hostileEngine answers with long excerpts full of Markdown and mentions.
type hostileEngine struct{ *testEngine }

// hostileText is about 1,000 bytes of corpus text built to break a layout
// and ping people.
var hostileText = strings.Repeat("**Bold** @everyone __under__ <@123456789012345678> ||spoiler|| `code` ", 6) +
	"> quote <@&223456789012345678> # heading <#323456789012345678> @here ~~strike~~ [link](https://example.com). " +
	strings.Repeat("The sea_was *wild* and ~grey~ that night. ", 8)

func (e hostileEngine) Answer(ctx context.Context, q string) (answer.Answer, error) {
	a := answer.Answer{Question: q, Found: true, DidYouMean: "did @everyone **mean** this"}
	for n := 1; n <= 6; n++ {
		a.Citations = append(a.Citations, answer.Citation{
			N: n, Doc: "evil", Title: "Evil @here *Title* " + strings.Repeat("long ", 40), Passage: "evil#" + string(rune('0'+n)),
			Text: hostileText, Marks: []answer.Span{{Start: 2, End: 6}, {Start: 9, End: 18}, {Start: 500, End: 700}},
		})
		a.Parts = append(a.Parts, answer.Part{Text: hostileText[:300], Citation: n, Marks: []answer.Span{{Start: 0, End: 8}}})
	}
	a.Text = hostileText
	return a, nil
}
