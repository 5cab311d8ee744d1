package index_test

// The performance benchmarks: storybot on the embedded story, the
// evaluation sets of ../shared/eval when present, and generated corpora of
// a million words (and ten million with STORYBOT_BENCH_10M=1), each beside
// plain bleve on the same corpus in the same run. Figures that need a
// process of their own (peak memory of a build, start-up, answers from a
// fresh start) come from the test binary run again as a child (see
// runBenchChild). Run them benchstat-ready with
//
//	go test -run '^$' -bench . -count 6 ./index/ | tee new.txt
//
// Corpora and their indexes are kept between runs under
// os.TempDir()/storybot-bench, keyed by size, seed, fingerprint and
// checkout, and rebuilt when stale. -short leaves the generated corpora
// out.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/corpusgen"
	"github.com/storybot/storybot/index"
)

const (
	// bench10M, set to 1, adds the ten-million-word corpus: slow to make
	// (about a minute the first time) and to serve.
	bench10M = "STORYBOT_BENCH_10M"
	// sharedEval holds the evaluation sets, beside the checkout.
	sharedEval = "../../shared/eval"
	// benchSeed makes the generated corpora.
	benchSeed = 1
	// benchQuestions is how many questions a fresh start answers, and the
	// most any benchmark cycles through: enough for a p99.
	benchQuestions = 300
	// childTimeout bounds a child process: far beyond any step at ten
	// million words.
	childTimeout = 20 * time.Minute
)

// dataset is a corpus and questions about it.
type dataset struct {
	name string
	// corpusDir is the corpus folder; "" is the embedded story.
	corpusDir string
	// questionsFile is the question set; "" asks storyFallback.
	questionsFile string
}

// storyFallback are questions about the embedded story, when the story's
// question set is not beside the checkout.
var storyFallback = []string{
	"Why might South Korea send weapons to Ukraine?",
	"Who disbanded the UN sanctions committee?",
	"What is the capital of France?",
}

// datasets lists what the benchmarks run on: the story, the evaluation
// sets present, the generated corpora.
func datasets(b *testing.B) []dataset {
	sets := []dataset{{name: "story"}}
	if _, err := os.Stat(filepath.Join(sharedEval, "story-dev.jsonl")); err == nil {
		sets[0].questionsFile = filepath.Join(sharedEval, "story-dev.jsonl")
	}
	for _, s := range []struct{ name, dir string }{{"xquad", "xquad"}, {"fairytales", "fairytale-val"}} {
		dir := filepath.Join(sharedEval, s.dir)
		if _, err := os.Stat(filepath.Join(dir, "questions.jsonl")); err != nil {
			b.Logf("no %s set beside the checkout (%v): skipped", s.name, err)
			continue
		}
		sets = append(sets, dataset{name: s.name, corpusDir: filepath.Join(dir, "corpus"), questionsFile: filepath.Join(dir, "questions.jsonl")})
	}
	if testing.Short() {
		b.Log("-short: no generated corpora")
		return sets
	}
	sizes := []struct {
		name  string
		words int
	}{{"1M", 1_000_000}}
	if os.Getenv(bench10M) == "1" {
		sizes = append(sizes, struct {
			name  string
			words int
		}{"10M", 10_000_000})
	}
	for _, s := range sizes {
		dir, err := corpusgen.Cached(filepath.Join(benchRoot(), "corpora"), corpusgen.Config{Words: s.words, Seed: benchSeed, Questions: benchQuestions})
		if err != nil {
			b.Fatalf("generate %s corpus: %v", s.name, err)
		}
		sets = append(sets, dataset{name: s.name, corpusDir: filepath.Join(dir, corpusgen.CorpusDir), questionsFile: filepath.Join(dir, corpusgen.QuestionsFile)})
	}
	return sets
}

// eachDataset runs f as a sub-benchmark per dataset.
func eachDataset(b *testing.B, f func(b *testing.B, fx *fixture)) {
	for _, d := range datasets(b) {
		b.Run("corpus="+d.name, func(b *testing.B) { f(b, getFixture(b, d)) })
	}
}

// benchRoot is where corpora and indexes are kept between runs.
func benchRoot() string { return filepath.Join(os.TempDir(), "storybot-bench") }

// fixture is a dataset loaded and indexed, shared by every benchmark of
// one test process (building a million words' index once, not per
// benchmark).
type fixture struct {
	d       dataset
	c       *corpus.Corpus
	qs      []answer.EvalQuestion
	dataDir string // holds the index, built

	once    sync.Once
	err     error
	e       *answer.Engine
	plain   *plain
	quality quality // of the engine's first pass, warming it
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]*fixture{}
)

func getFixture(b *testing.B, d dataset) *fixture {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if fx, ok := fixtures[d.name]; ok {
		return fx
	}
	c, err := loadCorpus(d.corpusDir)
	if err != nil {
		b.Fatal(err)
	}
	qs, err := loadQuestions(d.questionsFile)
	if err != nil {
		b.Fatal(err)
	}
	fx := &fixture{d: d, c: c, qs: qs, dataDir: filepath.Join(benchRoot(), "data", cacheKey(d.name, c.Fingerprint))}
	ix, err := index.Open(context.Background(), fx.dataDir, c, quietLogger(), index.Options{})
	if err != nil {
		b.Fatalf("index %s: %v", d.name, err)
	}
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	fixtures[d.name] = fx
	return fx
}

// cacheKey names a kept folder for a corpus, per checkout, so that two
// checkouts with other index formats do not rebuild each other's.
func cacheKey(name, fingerprint string) string {
	wd, _ := os.Getwd()
	h := sha256.Sum256([]byte(wd + "\x00" + fingerprint))
	return name + "-" + hex.EncodeToString(h[:6])
}

func loadCorpus(dir string) (*corpus.Corpus, error) {
	if dir == "" {
		return corpus.Default()
	}
	return corpus.LoadDir(dir)
}

// loadQuestions reads at most benchQuestions questions of a set.
func loadQuestions(path string) ([]answer.EvalQuestion, error) {
	if path == "" {
		var qs []answer.EvalQuestion
		for _, q := range storyFallback {
			qs = append(qs, answer.EvalQuestion{Q: q})
		}
		return qs, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	qs, err := answer.ReadQuestions(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return qs[:min(len(qs), benchQuestions)], nil
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// quality is how well a pass over the questions went.
type quality struct {
	judged, answer1, cite1 int
}

func (q *quality) add(eq answer.EvalQuestion, a answer.Answer) {
	if len(eq.Keys) == 0 {
		return // no question set: nothing to judge by
	}
	v := answer.Judge(eq, a)
	if v.Skipped {
		return
	}
	q.judged++
	if v.Answer {
		q.answer1++
	}
	if v.Cite1 {
		q.cite1++
	}
}

func (q quality) report(b *testing.B, prefix string) {
	if q.judged == 0 {
		return
	}
	b.ReportMetric(answer.Pct(q.answer1, q.judged), prefix+"answer@1-%")
	b.ReportMetric(answer.Pct(q.cite1, q.judged), prefix+"cite@1-%")
}

// warm opens the engine and plain bleve in this process and answers every
// question once with each, judging the answers: the engine is warm after.
func (fx *fixture) warm(b *testing.B) {
	fx.once.Do(func() {
		ctx := context.Background()
		fx.e, fx.err = answer.Open(ctx, fx.c, fx.dataDir, quietLogger(), answer.Options{})
		if fx.err != nil {
			return
		}
		fx.plain, fx.err = openPlain(fx.c, filepath.Join(benchRoot(), "plain", cacheKey(fx.d.name, fx.c.Fingerprint)))
		if fx.err != nil {
			return
		}
		for _, q := range fx.qs {
			a, err := fx.e.Answer(ctx, q.Q)
			if err != nil && !isRefusal(err) {
				fx.err = err
				return
			}
			fx.quality.add(q, a)
		}
	})
	if fx.err != nil {
		b.Fatal(fx.err)
	}
}

// isRefusal says whether the engine refused the question (too long, no
// words): an outcome, not a failure.
func isRefusal(err error) bool {
	_, ok := answer.Refusal(err)
	return ok
}

// BenchmarkBuild indexes each corpus in a child process, as `storybot
// index` does: the time of the build alone, build-sec (ns/op is the whole
// process), passages per second, the index's size on disk and the child's
// peak resident memory.
func BenchmarkBuild(b *testing.B) {
	eachDataset(b, func(b *testing.B, fx *fixture) {
		var build, disk, rss float64
		for b.Loop() {
			dir := b.TempDir()
			r := runChild(b, "build", fx, dir)
			build += r.Seconds
			disk += float64(r.DiskBytes)
			rss += float64(r.MaxRSS)
		}
		n := float64(b.N)
		b.ReportMetric(build/n, "build-sec")
		b.ReportMetric(float64(fx.c.NumPassages())*n/build, "passages/s")
		b.ReportMetric(disk/n/1e6, "disk-MB")
		b.ReportMetric(rss/n/1e6, "peak-RSS-MB")
	})
}

// BenchmarkAnswer answers the questions in turn on a warm engine, and
// reports the answer quality of its first pass over them.
func BenchmarkAnswer(b *testing.B) {
	eachDataset(b, func(b *testing.B, fx *fixture) {
		fx.warm(b)
		ctx := context.Background()
		for i := 0; b.Loop(); i++ {
			if _, err := fx.e.Answer(ctx, fx.qs[i%len(fx.qs)].Q); err != nil && !isRefusal(err) {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/answer")
		fx.quality.report(b, "")
	})
}

// BenchmarkVsPlain answers each question with the warm engine and then
// with plain bleve (a match query over the passage text, the top hit, its
// sentence sharing most words with the question), the two interleaved so
// that the machine's noise falls on both alike: ns/op is the pair, x-plain
// the ratio of the engine's time to plain bleve's. It reports plain bleve's
// answer quality too.
func BenchmarkVsPlain(b *testing.B) {
	eachDataset(b, func(b *testing.B, fx *fixture) {
		fx.warm(b)
		ctx := context.Background()
		var engine, plainTime time.Duration
		for i := 0; b.Loop(); i++ {
			q := fx.qs[i%len(fx.qs)].Q
			t0 := time.Now()
			if _, err := fx.e.Answer(ctx, q); err != nil && !isRefusal(err) {
				b.Fatal(err)
			}
			t1 := time.Now()
			if _, _, err := fx.plain.answer(q); err != nil {
				b.Fatal(err)
			}
			engine += t1.Sub(t0)
			plainTime += time.Since(t1)
		}
		n := float64(b.N)
		b.ReportMetric(float64(engine.Microseconds())/n, "µs/answer")
		b.ReportMetric(float64(plainTime.Microseconds())/n, "plain-µs/answer")
		b.ReportMetric(float64(engine)/float64(plainTime), "x-plain")
		var pq quality
		for _, q := range fx.qs {
			s, p, err := fx.plain.answer(q.Q)
			if err != nil {
				b.Fatal(err)
			}
			a := answer.Answer{Found: s != "", Text: s}
			if p != nil {
				a.Citations = []answer.Citation{{N: 1, Passage: p.ID, Text: p.Text}}
			}
			pq.add(q, a)
		}
		pq.report(b, "plain-")
	})
}

// BenchmarkAnswerParallel answers from many goroutines at once on a warm
// engine: answers per second on this machine.
func BenchmarkAnswerParallel(b *testing.B) {
	eachDataset(b, func(b *testing.B, fx *fixture) {
		fx.warm(b)
		ctx := context.Background()
		var mu sync.Mutex
		next := 0
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			mu.Lock()
			i := next
			next += 37
			mu.Unlock()
			for pb.Next() {
				if _, err := fx.e.Answer(ctx, fx.qs[i%len(fx.qs)].Q); err != nil && !isRefusal(err) {
					b.Error(err)
					return
				}
				i++
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
	})
}

// BenchmarkServe answers the questions from a fresh start in a child
// process, then again warm: p50 and p99 of each pass, and the memory in use
// after each (resident, and the Go heap in use). Flat memory: the second
// pass's figures no higher than the first's.
func BenchmarkServe(b *testing.B) {
	eachDataset(b, func(b *testing.B, fx *fixture) {
		var sum childResult
		for b.Loop() {
			r := runChild(b, "serve", fx, "")
			sum.Fresh.P50 += r.Fresh.P50
			sum.Fresh.P99 += r.Fresh.P99
			sum.Warm.P50 += r.Warm.P50
			sum.Warm.P99 += r.Warm.P99
			sum.RSS1 += r.RSS1
			sum.RSS2 += r.RSS2
			sum.Heap1 += r.Heap1
			sum.Heap2 += r.Heap2
		}
		n := float64(b.N)
		b.ReportMetric(sum.Fresh.P50/n, "fresh-p50-sec")
		b.ReportMetric(sum.Fresh.P99/n, "fresh-p99-sec")
		b.ReportMetric(sum.Warm.P50/n, "warm-p50-sec")
		b.ReportMetric(sum.Warm.P99/n, "warm-p99-sec")
		b.ReportMetric(float64(sum.RSS1)/n/1e6, "RSS-MB-after-1st")
		b.ReportMetric(float64(sum.RSS2)/n/1e6, "RSS-MB-after-2nd")
		b.ReportMetric(float64(sum.Heap1)/n/1e6, "heap-MB-after-1st")
		b.ReportMetric(float64(sum.Heap2)/n/1e6, "heap-MB-after-2nd")
	})
}

// BenchmarkStartup opens the existing index of each corpus and answers one
// question, in a child process, as `storybot ask` does: ns/op is the whole
// process, peak-RSS-MB its peak resident memory.
func BenchmarkStartup(b *testing.B) {
	eachDataset(b, func(b *testing.B, fx *fixture) {
		var rss float64
		for b.Loop() {
			r := runChild(b, "start", fx, "")
			rss += float64(r.MaxRSS)
		}
		b.ReportMetric(rss/float64(b.N)/1e6, "peak-RSS-MB")
	})
}

// BenchmarkComplete suggests passages for what a moderator types in
// /passage, a keystroke at a time: words of the questions' gold passages,
// prefix by prefix.
func BenchmarkComplete(b *testing.B) {
	eachDataset(b, func(b *testing.B, fx *fixture) {
		fx.warm(b)
		keys := keystrokes(fx.qs)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			fx.e.Complete(keys[i%len(keys)], 25)
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/keystroke")
	})
}

// keystrokes are what a moderator types looking for a passage, each
// prefix in turn: a key word of a question (few passages hold it), and the
// opening words of its gold sentence; the question itself when it has
// neither.
func keystrokes(qs []answer.EvalQuestion) []string {
	var out []string
	typed := func(w string, n int) {
		w = w[:min(len(w), n)]
		for i := 1; i <= len(w); i++ {
			out = append(out, w[:i])
		}
	}
	for _, q := range qs[:min(len(qs), keystrokeQuestions)] {
		switch {
		case len(q.Keys) > 0 && len(q.Gold) > 0:
			typed(q.Keys[0], keystrokeWord)
			typed(q.Gold[0], keystrokePhrase)
		case len(q.Keys) > 0:
			typed(q.Keys[0], keystrokeWord)
		default:
			typed(q.Q, keystrokePhrase)
		}
	}
	// In a fixed random order, so that the few keystrokes of a short run
	// are a sample of them all.
	r := rand.New(rand.NewPCG(benchSeed, 0))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// How much BenchmarkComplete types: the questions it types from, the
// letters of a word and of a phrase.
const (
	keystrokeQuestions = 30
	keystrokeWord      = 12
	keystrokePhrase    = 24
)

// plain is plain bleve over a corpus: the baseline.
type plain struct {
	c  *corpus.Corpus
	ix bleve.Index
}

// plainDone marks a plain index whose build finished.
const plainDone = "built"

// openPlain opens the plain index kept at dir, building it first when it is
// missing or unfinished: every passage's text, bleve's default mapping.
func openPlain(c *corpus.Corpus, dir string) (*plain, error) {
	if _, err := os.Stat(filepath.Join(dir, plainDone)); err == nil {
		ix, err := bleve.Open(filepath.Join(dir, "index"))
		if err == nil {
			return &plain{c: c, ix: ix}, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ix, err := bleve.New(filepath.Join(dir, "index"), bleve.NewIndexMapping())
	if err != nil {
		return nil, fmt.Errorf("make plain index: %w", err)
	}
	const batchSize = 1000
	batch := ix.NewBatch()
	for _, p := range c.Passages() {
		if err := batch.Index(p.ID, map[string]string{"text": p.Text}); err != nil {
			ix.Close()
			return nil, err
		}
		if batch.Size() >= batchSize {
			if err := ix.Batch(batch); err != nil {
				ix.Close()
				return nil, err
			}
			batch.Reset()
		}
	}
	if err := ix.Batch(batch); err != nil {
		ix.Close()
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, plainDone), nil, 0o644); err != nil {
		ix.Close()
		return nil, err
	}
	return &plain{c: c, ix: ix}, nil
}

// answer is plain bleve's answer: a match query over the passage text, the
// top hit, and its sentence that holds most of the question's words.
func (p *plain) answer(q string) (string, *corpus.Passage, error) {
	mq := bleve.NewMatchQuery(q)
	mq.SetField("text")
	res, err := p.ix.Search(bleve.NewSearchRequestOptions(mq, 1, 0, false))
	if err != nil {
		return "", nil, fmt.Errorf("plain search %q: %w", q, err)
	}
	if len(res.Hits) == 0 {
		return "", nil, nil
	}
	top := p.c.Passage(res.Hits[0].ID)
	if top == nil {
		return "", nil, fmt.Errorf("plain search %q: no passage %s", q, res.Hits[0].ID)
	}
	words := map[string]bool{}
	for _, w := range plainWords(q) {
		words[w] = true
	}
	best, most := "", -1
	for _, s := range top.Sentences {
		n := 0
		for _, w := range plainWords(s.Text) {
			if words[w] {
				n++
			}
		}
		if n > most {
			best, most = s.Text, n
		}
	}
	return best, top, nil
}

func plainWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Child processes: the test binary run again with childMode set does one
// thing (runBenchChild) and writes a childResult as JSON to childOut.
const (
	childMode      = "STORYBOT_BENCH_CHILD"
	childCorpus    = "STORYBOT_BENCH_CORPUS"
	childData      = "STORYBOT_BENCH_DATA"
	childQuestions = "STORYBOT_BENCH_QUESTIONS"
	childOut       = "STORYBOT_BENCH_OUT"
)

// childResult is what a child reports.
type childResult struct {
	// Seconds a build took, and the size of what it wrote (build).
	Seconds   float64
	DiskBytes int64
	// Fresh and Warm are the two passes over the questions (serve).
	Fresh, Warm percentiles
	// RSS1, RSS2, Heap1 and Heap2 are the resident memory and the Go heap
	// in use after each pass, in bytes (serve).
	RSS1, RSS2, Heap1, Heap2 int64
	// MaxRSS is the child's peak resident memory, in bytes (the Go
	// runtime's memory where the system does not say).
	MaxRSS int64
}

// percentiles of a pass's answer times, in seconds.
type percentiles struct{ P50, P99 float64 }

func percentilesOf(ds []time.Duration) percentiles {
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return s[max(i, 0)].Seconds()
	}
	return percentiles{P50: at(0.50), P99: at(0.99)}
}

// runChild runs the test binary again in mode over the fixture's corpus
// and index (dataDir, when not "": another data folder) and returns what it
// reports.
func runChild(b *testing.B, mode string, fx *fixture, dataDir string) childResult {
	b.Helper()
	if dataDir == "" {
		dataDir = fx.dataDir
	}
	out := filepath.Join(b.TempDir(), "result.json")
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$", "-test.bench=^$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		childMode+"="+mode, childCorpus+"="+absOrEmpty(fx.d.corpusDir),
		childData+"="+dataDir, childQuestions+"="+absOrEmpty(fx.d.questionsFile), childOut+"="+out)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("child %s: %v\n%s", mode, err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		b.Fatalf("child %s reported nothing: %v\n%s", mode, err, stderr.String())
	}
	var r childResult
	if err := json.Unmarshal(data, &r); err != nil {
		b.Fatalf("child %s: %v", mode, err)
	}
	return r
}

func absOrEmpty(p string) string {
	if p == "" {
		return ""
	}
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

func init() { index.BenchChild = runBenchChild }

// runBenchChild is what a benchmark's child process does, by childMode (run
// from index's TestMain; ran is false in any other process):
//
//	build  load the corpus, build its index into the data folder
//	serve  load the corpus, open its index, answer the questions twice
//	start  load the corpus, open its index, answer one question
func runBenchChild() (ran bool, err error) {
	mode := os.Getenv(childMode)
	if mode == "" {
		return false, nil
	}
	r, err := benchChild(mode, os.Getenv(childCorpus), os.Getenv(childData), os.Getenv(childQuestions))
	if err != nil {
		return true, err
	}
	var ok bool
	if r.MaxRSS, ok = peakRSS(); !ok {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		r.MaxRSS = int64(ms.Sys)
	}
	data, err := json.Marshal(r)
	if err != nil {
		return true, err
	}
	return true, os.WriteFile(os.Getenv(childOut), data, 0o644)
}

func benchChild(mode, corpusDir, dataDir, questionsFile string) (childResult, error) {
	var r childResult
	ctx := context.Background()
	start := time.Now()
	// As storybot does: the files that have not changed since the index
	// in service was built are cut as it recorded.
	c, err := index.OpenCorpus(dataDir, corpusDir)
	if err != nil {
		return r, err
	}
	if mode == "build" {
		start = time.Now()
		ix, err := index.Build(ctx, dataDir, c, quietLogger(), index.Options{})
		if err != nil {
			return r, err
		}
		r.Seconds = time.Since(start).Seconds()
		if err := ix.Close(); err != nil {
			return r, err
		}
		r.DiskBytes, err = du(dataDir)
		return r, err
	}
	qs, err := loadQuestions(questionsFile)
	if err != nil {
		return r, err
	}
	e, err := answer.Open(ctx, c, dataDir, quietLogger(), answer.Options{})
	if err != nil {
		return r, err
	}
	defer e.Close()
	switch mode {
	case "start":
		_, err := e.Answer(ctx, qs[0].Q)
		if isRefusal(err) {
			err = nil
		}
		return r, err
	case "serve":
		pass := func() (percentiles, error) {
			ds := make([]time.Duration, 0, len(qs))
			for _, q := range qs {
				t := time.Now()
				if _, err := e.Answer(ctx, q.Q); err != nil && !isRefusal(err) {
					return percentiles{}, err
				}
				ds = append(ds, time.Since(t))
			}
			return percentilesOf(ds), nil
		}
		if r.Fresh, err = pass(); err != nil {
			return r, err
		}
		r.RSS1, r.Heap1 = inUse()
		if r.Warm, err = pass(); err != nil {
			return r, err
		}
		r.RSS2, r.Heap2 = inUse()
		return r, nil
	}
	return r, fmt.Errorf("no child mode %q", mode)
}

// inUse is the process's resident memory (what the Go runtime holds from
// the system, where the system does not say) and the Go heap in use after
// a collection, what is live.
func inUse() (rss, heap int64) {
	rss, ok := currentRSS()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if !ok {
		rss = int64(ms.Sys)
	}
	return rss, int64(ms.HeapInuse)
}

// du is the size of the files under dir.
func du(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}
