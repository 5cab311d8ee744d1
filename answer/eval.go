package answer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// EvalQuestion is one row of a question set: a question, the acceptable
// answers (keys), the passages that hold the answer (gold), and whether the
// corpus answers it at all.
type EvalQuestion struct {
	Q            string   `json:"q"`
	Keys         []string `json:"keys"`
	Gold         []string `json:"gold"`
	Unanswerable bool     `json:"unanswerable"`
	// Line is the row's line in the set, from 1 (0 when not read from one).
	Line int `json:"-"`
}

// ErrNoQuestions is ReadQuestions' error for a set without a question.
var ErrNoQuestions = errors.New("no questions")

// maxEvalLine bounds a row of a question set, in bytes.
const maxEvalLine = 1 << 24

// ReadQuestions reads a question set, one JSON object a line, blank lines
// skipped. A row with another field than "q", "keys", "gold" and
// "unanswerable", without a question, or answerable without keys to judge
// it by, is an error that names its line; so is a set without a row.
func ReadQuestions(r io.Reader) ([]EvalQuestion, error) {
	var qs []EvalQuestion
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), maxEvalLine)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		q, err := parseQuestion(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		q.Line = n
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	if len(qs) == 0 {
		return nil, ErrNoQuestions
	}
	return qs, nil
}

// evalFields lists a row's fields, for the message about an unknown one.
const evalFields = `a row has "q", "keys", "gold" and "unanswerable"`

// parseQuestion reads and checks one row of a question set.
func parseQuestion(line string) (EvalQuestion, error) {
	var row struct {
		Q            *string  `json:"q"`
		Keys         []string `json:"keys"`
		Gold         []string `json:"gold"`
		Unanswerable bool     `json:"unanswerable"`
	}
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&row); err != nil {
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return EvalQuestion{}, fmt.Errorf("unknown field %s (%s)", f, evalFields)
		}
		return EvalQuestion{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return EvalQuestion{}, errors.New("more than one JSON value")
	}
	q := EvalQuestion{Keys: row.Keys, Gold: row.Gold, Unanswerable: row.Unanswerable}
	switch {
	case row.Q == nil:
		return q, errors.New(`no "q" (the question)`)
	case strings.TrimSpace(*row.Q) == "":
		return q, errors.New(`empty "q" (the question)`)
	}
	q.Q = *row.Q
	if !q.Unanswerable && !slices.ContainsFunc(q.Keys, func(k string) bool { return fold(k) != "" }) {
		return q, fmt.Errorf(`question %q has no "keys" to judge its answer by (for one the corpus does not answer, set "unanswerable": true)`, q.Q)
	}
	return q, nil
}

// Limits the judge applies, as a Discord user would see the texts.
const (
	judgeAnswerLen   = 500
	judgeCitationLen = 1024
)

// Verdict is how one answer was judged.
type Verdict struct {
	Answer  bool // answer@1
	Cite1   bool // cite@1
	Cite3   bool // cite@3
	Reject  bool // an unanswerable question answered "not found"
	Skipped bool // unanswerable: only Reject applies
}

// Judge applies the question set's rules to an answer: the answer (at most
// 500 characters) must hold a key, and every fragment of it of three words
// or more must stand in a gold passage; citations are judged the same way.
func Judge(q EvalQuestion, a Answer) Verdict {
	if q.Unanswerable {
		return Verdict{Skipped: true, Reject: !a.Found}
	}
	var v Verdict
	v.Answer = a.Found && q.holds(a.Text, judgeAnswerLen)
	for i, c := range a.Citations {
		if i == 3 {
			break
		}
		if q.holds(c.Text, judgeCitationLen) {
			v.Cite3 = true
			if i == 0 {
				v.Cite1 = true
			}
		}
	}
	return v
}

func (q EvalQuestion) holds(text string, limit int) bool {
	if utf8.RuneCountInString(text) > limit {
		text = string([]rune(text)[:limit])
	}
	text = stripMarkdown(text)
	ft := fold(text)
	hasKey := false
	for _, k := range q.Keys {
		if fk := fold(stripMarkdown(k)); fk != "" && strings.Contains(ft, fk) {
			hasKey = true
			break
		}
	}
	if !hasKey {
		return false
	}
	if len(q.Gold) == 0 {
		return true
	}
	gold := make([]string, len(q.Gold))
	for i, g := range q.Gold {
		gold[i] = fold(stripMarkdown(g))
	}
	for _, frag := range fragments(text) {
		ff := fold(frag)
		if len(strings.Fields(ff)) < 3 {
			continue
		}
		in := false
		for _, g := range gold {
			if strings.Contains(g, ff) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// fragments cuts a text at ellipses and line breaks: the pieces that must
// each stand verbatim in the corpus.
func fragments(s string) []string {
	return strings.FieldsFunc(strings.ReplaceAll(s, "...", Ellipsis), func(r rune) bool {
		return r == '…' || r == '\n'
	})
}

var markdown = strings.NewReplacer("**", "", "__", "", "~~", "", "||", "", "`", "")

func stripMarkdown(s string) string { return markdown.Replace(s) }

var folds = strings.NewReplacer(
	"‘", "'", "’", "'", "‚", "'", "‛", "'", "′", "'",
	"“", `"`, "”", `"`, "„", `"`, "‟", `"`, "″", `"`,
	"–", "-", "—", "-", "‒", "-", "―", "-", "‐", "-", "‑", "-", "−", "-",
)

// fold lower-cases s, folds typographic quotes and dashes, and collapses
// white space.
func fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(folds.Replace(s))), " ")
}

// Answerer answers a question.
type Answerer interface {
	Answer(ctx context.Context, q string) (Answer, error)
}

// Report sums up an evaluation.
type Report struct {
	Questions    int // answerable questions
	Unanswerable int
	Answer       int // answer@1 hits
	Cite1, Cite3 int
	Rejected     int
	// Misses are the answerable questions whose answer missed, and the
	// unanswerable ones that were answered.
	Misses []Miss
}

// Miss is a question the engine got wrong, with what it said.
type Miss struct {
	Question EvalQuestion
	Answer   Answer
	Verdict  Verdict
	// Explanation, when asked for (Engine.Explain), is what the ranker
	// made of the question.
	Explanation *Explanation
}

// Evaluate answers every question and judges the answers.
func Evaluate(ctx context.Context, a Answerer, qs []EvalQuestion) (Report, error) {
	var r Report
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		ans, err := a.Answer(ctx, q.Q)
		if err != nil && q.Line > 0 {
			return r, fmt.Errorf("line %d: question %q: %w", q.Line, q.Q, err)
		}
		if err != nil {
			return r, fmt.Errorf("question %q: %w", q.Q, err)
		}
		v := Judge(q, ans)
		if q.Unanswerable {
			r.Unanswerable++
			if v.Reject {
				r.Rejected++
			} else {
				r.Misses = append(r.Misses, Miss{Question: q, Answer: ans, Verdict: v})
			}
			continue
		}
		r.Questions++
		if v.Answer {
			r.Answer++
		} else {
			r.Misses = append(r.Misses, Miss{Question: q, Answer: ans, Verdict: v})
		}
		if v.Cite1 {
			r.Cite1++
		}
		if v.Cite3 {
			r.Cite3++
		}
	}
	return r, nil
}

// Pct is n as a percentage of d (0 when d is 0).
func Pct(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return 100 * float64(n) / float64(d)
}
