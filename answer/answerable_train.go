package answer

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/storybot/storybot/corpus"
)

// AnswerabilityRow is one question's answer, described for fitting the
// answerability model.
type AnswerabilityRow struct {
	// Question is the question asked.
	Question string
	// Features are the answer's features, in the order AnswerFeatures names
	// them.
	Features []float64
	// Answerable is true for a question of the set asked of its own
	// corpus, false for one made so that the corpus does not answer it
	// (Made says how).
	Answerable bool
	// Correct is true when the answer given, never "not found", holds a
	// key and stands in a gold passage (Judge).
	Correct bool
	// Made is how an unanswerable question was made: MadeName or
	// MadeOtherHalf; "" for an answerable one.
	Made string
	// NearMiss is true when the question is a near miss, "not found"
	// whatever the model says.
	NearMiss bool
}

// How AnswerabilityRows makes unanswerable questions.
const (
	// MadeName: a name of the question that the corpus uses is swapped for
	// one it does not.
	MadeName = "name"
	// MadeOtherHalf: the question is asked of the half of the corpus that
	// does not hold the document it is about.
	MadeOtherHalf = "other half"
)

// madeUpNames stand in for a question's name to make it unanswerable: names
// written for this purpose, each used only when the corpus uses no word
// close to it.
var madeUpNames = strings.Fields(`Zarbelon Quistrelle Movandir Thessaly-Orn Brunwick Elkadra Vossimer Tandriel Oskibor Prennowyn Galvetti Ysmerada`)

// AnswerabilityRows describes the answers to questions qs of the corpus in
// folder dir, for fitting the answerability model: each answerable
// question as asked; the same question with its first name that the corpus
// uses swapped for a made-up one (MadeName); and the question asked of an
// engine over the half of the corpus that lacks its document (MadeOtherHalf:
// the documents, in path order, are split into those at even and those at
// odd places; a question's document is the one holding its first gold
// passage). Questions without a name, or whose document is not found, give
// fewer rows. Indexes are built under dataDir; opts configure the engines
// (their MinEvidence is ignored: every answer is given). The rows are the
// same for the same input.
func AnswerabilityRows(ctx context.Context, dir string, qs []EvalQuestion, dataDir string, opts Options, logger *slog.Logger) ([]AnswerabilityRow, error) {
	// Every answer is given, so no model is used: the rows do not depend
	// on the one fitted before.
	opts.MinEvidence = -1
	opts.Answerability = &Answerability{Weights: make([]float64, numAnswerFeatures)}
	c, err := corpus.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	all, err := Open(ctx, c, filepath.Join(dataDir, "all"), logger, opts)
	if err != nil {
		return nil, err
	}
	defer all.Close()
	var halves [2]*Engine
	for h := range halves {
		hc, err := corpusHalf(c, dir, filepath.Join(dataDir, fmt.Sprintf("half%d", h)), h)
		if err != nil {
			return nil, err
		}
		if halves[h], err = Open(ctx, hc, filepath.Join(dataDir, fmt.Sprintf("half%d-index", h)), logger, opts); err != nil {
			return nil, err
		}
		defer halves[h].Close()
	}
	place := map[*corpus.Document]int{}
	folded := make([]string, len(c.Documents))
	for i, d := range c.Documents {
		place[d] = i
		folded[i] = fold(d.Text)
	}
	var rows, named, other []AnswerabilityRow
	for _, q := range qs {
		if q.Unanswerable {
			continue
		}
		cq, err := CheckQuestion(q.Q, MaxQuestionLen)
		if err != nil {
			continue
		}
		r, ok, err := all.answerabilityRow(ctx, q, cq)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		r.Answerable = true
		rows = append(rows, r)
		if swapped, ok := all.swapName(cq, len(named)); ok {
			r, ok, err := all.answerabilityRow(ctx, q, swapped)
			if err != nil {
				return nil, err
			}
			if ok {
				r.Made = MadeName
				named = append(named, r)
			}
		}
		if d := docOf(q, folded); d >= 0 {
			r, ok, err := halves[1-d%2].answerabilityRow(ctx, q, cq)
			if err != nil {
				return nil, err
			}
			if ok {
				r.Made = MadeOtherHalf
				other = append(other, r)
			}
		}
	}
	rows = append(rows, named...)
	return append(rows, other...), nil
}

// answerabilityRow describes the answer to question cq (cleaned, and
// perhaps made from q), judged by q; false when nothing matches it.
func (e *Engine) answerabilityRow(ctx context.Context, q EvalQuestion, cq string) (AnswerabilityRow, bool, error) {
	a, err := e.Answer(ctx, cq)
	if err != nil {
		return AnswerabilityRow{}, false, err
	}
	pq, ranked, err := e.retrieve(ctx, cq)
	if err != nil {
		return AnswerabilityRow{}, false, fmt.Errorf("answer %q: %w", cq, err)
	}
	if len(ranked) == 0 {
		return AnswerabilityRow{}, false, nil
	}
	x, err := e.answerFeatures(ctx, cq, pq, ranked)
	if err != nil {
		return AnswerabilityRow{}, false, fmt.Errorf("answer %q: %w", cq, err)
	}
	return AnswerabilityRow{Question: cq, Features: x, Correct: Judge(q, a).Answer, NearMiss: e.nearMiss(cq, pq, ranked[0])}, true, nil
}

// swapName returns question q with its first name that the corpus uses
// swapped for a made-up name the corpus does not use, trying them from the
// n-th on; false when q has no such name.
func (e *Engine) swapName(q string, n int) (string, bool) {
	variants := e.synonyms.variants(q)
	for _, name := range questionNames(q) {
		if !e.usesName(name.word, variants) {
			continue
		}
		end := name.end
		for _, s := range []string{"'s", "’s"} {
			if strings.HasSuffix(q[name.start:end], s) {
				end -= len(s)
			}
		}
		for i := range madeUpNames {
			m := madeUpNames[(n+i)%len(madeUpNames)]
			if !e.usesName(m, []string{m}) {
				return q[:name.start] + m + q[end:], true
			}
		}
		return "", false
	}
	return "", false
}

// docOf is the place of the document whose folded text, among folded,
// holds question q's first gold passage, else -1.
func docOf(q EvalQuestion, folded []string) int {
	if len(q.Gold) == 0 {
		return -1
	}
	g := fold(q.Gold[0])
	// A gold passage's start is enough to find it, and survives a
	// different layout of its end.
	const prefix = 200
	if len(g) > prefix {
		g = strings.ToValidUTF8(g[:prefix], "")
	}
	for i, t := range folded {
		if strings.Contains(t, g) {
			return i
		}
	}
	return -1
}

// corpusHalf copies the documents of c (read from folder dir) at even
// (half 0) or odd (half 1) places into folder to, and loads them.
func corpusHalf(c *corpus.Corpus, dir, to string, half int) (*corpus.Corpus, error) {
	for i, d := range c.Documents {
		if i%2 != half {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(d.Path)))
		if err != nil {
			return nil, fmt.Errorf("copy half %d of the corpus: %w", half, err)
		}
		dst := filepath.Join(to, filepath.FromSlash(d.Path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, fmt.Errorf("copy half %d of the corpus: %w", half, err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return nil, fmt.Errorf("copy half %d of the corpus: %w", half, err)
		}
	}
	return corpus.LoadDir(to)
}
