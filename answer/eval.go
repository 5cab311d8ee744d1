package answer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
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
}

// ReadQuestions reads a question set, one JSON object a line.
func ReadQuestions(r io.Reader) ([]EvalQuestion, error) {
	var qs []EvalQuestion
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var q EvalQuestion
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return qs, nil
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
		if fk := fold(k); fk != "" && strings.Contains(ft, fk) {
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
		gold[i] = fold(g)
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
}

// Evaluate answers every question and judges the answers.
func Evaluate(ctx context.Context, a Answerer, qs []EvalQuestion) (Report, error) {
	var r Report
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		ans, err := a.Answer(ctx, q.Q)
		if err != nil {
			return r, fmt.Errorf("question %q: %w", q.Q, err)
		}
		v := Judge(q, ans)
		if q.Unanswerable {
			r.Unanswerable++
			if v.Reject {
				r.Rejected++
			} else {
				r.Misses = append(r.Misses, Miss{q, ans, v})
			}
			continue
		}
		r.Questions++
		if v.Answer {
			r.Answer++
		} else {
			r.Misses = append(r.Misses, Miss{q, ans, v})
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
