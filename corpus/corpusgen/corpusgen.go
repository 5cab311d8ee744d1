// Package corpusgen writes large, deterministic corpora and question sets
// whose answers are known, for measuring storybot at scale.
//
// A generated corpus looks like prose to the indexer and the ranker: a
// vocabulary of invented, pronounceable words drawn by a Zipf law (common
// words short, rare words long), common English function words between them,
// invented names, now and then a number, sentences of a realistic length,
// paragraphs of a few sentences hard-wrapped at 70 columns with blank lines
// between them, and many documents (one for about every 20,000 words), each
// with a "# Title" heading. The same Config always gives the same bytes.
//
// Each question is made from one sentence of the corpus: a wh-word chosen
// from what the sentence holds (a name: "Who", a number: "How many", a year:
// "When", else "What") and several of its rarer content words; its key is
// another rare word of that sentence and its gold is the sentence and its
// paragraph, as corpus cuts it. No other paragraph holds all the words a
// question asks with, so each has one answer whatever the corpus's size.
// Some questions carry a typo, as people's do.
// Questions are written in the format of ../shared/eval (one JSON object a
// line: "q", "keys", "gold"), so `storybot eval` reads them.
//
// The package imports only the standard library.
package corpusgen

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Version changes whenever the same Config would give other text or other
// questions, so that cached corpora (see Cached) are made again.
const Version = 2

// Defaults of Config's fields.
const (
	// DefaultWordsPerDocument is about how long a document is, in words: a
	// long chapter or a wiki's long page.
	DefaultWordsPerDocument = 20000
	// DefaultWidth is the column lines are hard-wrapped at.
	DefaultWidth = 70
	// DefaultQuestions is how many questions a corpus comes with: enough
	// for a p99.
	DefaultQuestions = 300
)

// The shape of the text. Each number is chosen to look like English prose
// to a tokenizer and a ranker, not fitted to anything.
const (
	// functionShare is the share of tokens that are function words ("the",
	// "of"): about half of running English text.
	functionShare = 0.45
	// nameShare is the share of tokens that are names.
	nameShare = 0.04
	// numberShare is the share of tokens that are numbers or years.
	numberShare = 0.006
	// commaShare is the share of words followed by a comma.
	commaShare = 0.06
	// zipfS is the exponent of the vocabulary's Zipf law (just over 1, as
	// for natural language; rand's Zipf needs more than 1).
	zipfS = 1.07
	// contentZipfV flattens the head of the content words' law (rand's
	// Zipf draws rank k with odds (v+k)^-s): the function words are the
	// head of the language's law, and its commonest content words ("said",
	// "time") are each a fraction of a percent of the text.
	contentZipfV = 100
	// commonRank is the vocabulary rank from which invented words have a
	// syllable more: common words are short.
	commonRank = 500
	// vocabularyPerRootWord scales the vocabulary with the square root of
	// the corpus size (Heaps' law): 30,000 words at a million words.
	vocabularyPerRootWord = 30
	// minVocabulary is the smallest vocabulary, for small corpora.
	minVocabulary = 2000
	// namesPerRootWord scales the names the same way, fewer of them.
	namesPerRootWord = 2
	// minNames is the fewest names.
	minNames = 200
	// meanSentenceWords and sentenceSpread shape sentence lengths, in
	// words: log-normal, median about 16, rarely under 5 or over 40.
	meanSentenceWords = 16
	sentenceSpread    = 0.45
	minSentenceWords  = 4
	maxSentenceWords  = 45
	// minParagraphSentences and maxParagraphSentences bound a paragraph;
	// maxParagraphBytes keeps it within one passage (corpus.MaxPassageLen).
	minParagraphSentences = 1
	maxParagraphSentences = 7
	maxParagraphBytes     = 900
)

// The shape of the questions.
const (
	// minQuestionWords and maxQuestionWords bound the content words a
	// question takes from its sentence.
	minQuestionWords = 2
	maxQuestionWords = 5
	// typoShare is the share of questions with one misspelt word.
	typoShare = 0.1
	// candidatesPerQuestion is how many sentences are kept for each
	// question wanted: the questions that another paragraph answers too
	// are left out, more of them the larger the corpus.
	candidatesPerQuestion = 3
	// rareRank is the vocabulary rank from which a word counts as rare
	// enough to ask with or to be a key: the top words are in too many
	// sentences to pick one out.
	rareRank = 300
)

// Config says what to generate. The zero value of each field but Words is
// its default.
type Config struct {
	// Words is about how many words the corpus holds.
	Words int
	// Seed makes the text; the same seed and sizes give the same corpus.
	Seed uint64
	// WordsPerDocument is about how long a document is (default
	// DefaultWordsPerDocument).
	WordsPerDocument int
	// Width is the column lines are wrapped at (default DefaultWidth).
	Width int
	// Questions is how many questions to make (default DefaultQuestions).
	Questions int
}

func (c Config) withDefaults() Config {
	if c.WordsPerDocument <= 0 {
		c.WordsPerDocument = DefaultWordsPerDocument
	}
	if c.Width <= 0 {
		c.Width = DefaultWidth
	}
	if c.Questions <= 0 {
		c.Questions = DefaultQuestions
	}
	return c
}

// Question is one generated question and what answers it, in the format of
// a question set's row.
type Question struct {
	Q    string   `json:"q"`
	Keys []string `json:"keys"`
	Gold []string `json:"gold"`
}

// Stats says what was generated.
type Stats struct {
	Words, Sentences, Paragraphs, Documents int
	// Bytes is the size of the corpus files.
	Bytes int64
}

// Names of what Write writes under its folder.
const (
	// CorpusDir is the folder of the documents.
	CorpusDir = "corpus"
	// QuestionsFile is the question set.
	QuestionsFile = "questions.jsonl"
)

// ErrNoWords is Write's error for a Config without words.
var ErrNoWords = errors.New("corpusgen: no words to generate")

// Write generates the corpus cfg describes into dir/CorpusDir, one .txt file
// a document, and its questions into dir/QuestionsFile. dir must not hold a
// corpus already.
func Write(dir string, cfg Config) (Stats, error) {
	if cfg.Words <= 0 {
		return Stats{}, ErrNoWords
	}
	cfg = cfg.withDefaults()
	docs := filepath.Join(dir, CorpusDir)
	if err := os.MkdirAll(docs, 0o755); err != nil {
		return Stats{}, fmt.Errorf("make corpus folder: %w", err)
	}
	g := newGenerator(cfg)
	var st Stats
	for i := 0; st.Words < cfg.Words; i++ {
		want := min(cfg.WordsPerDocument, cfg.Words-st.Words)
		name := filepath.Join(docs, fmt.Sprintf("%05d.txt", i+1))
		n, err := g.writeDocument(name, want, &st)
		if err != nil {
			return st, err
		}
		st.Bytes += n
		st.Documents++
	}
	qs, err := g.questions(docs)
	if err != nil {
		return st, err
	}
	if err := writeQuestions(filepath.Join(dir, QuestionsFile), qs); err != nil {
		return st, err
	}
	return st, nil
}

func writeQuestions(path string, qs []Question) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write questions: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, q := range qs {
		if err := enc.Encode(q); err != nil {
			f.Close()
			return fmt.Errorf("write questions: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write questions: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write questions: %w", err)
	}
	return nil
}

// ReadQuestions reads the questions Write wrote under dir.
func ReadQuestions(dir string) ([]Question, error) {
	data, err := os.ReadFile(filepath.Join(dir, QuestionsFile))
	if err != nil {
		return nil, fmt.Errorf("read questions: %w", err)
	}
	var qs []Question
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var q Question
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			return nil, fmt.Errorf("read questions: line %d: %w", i+1, err)
		}
		qs = append(qs, q)
	}
	return qs, nil
}

// Cached returns a folder holding the corpus cfg describes (as Write lays
// it out), under root, generating it the first time: a folder named for the
// sizes, the seed and Version, written beside and renamed into place, so
// that a half-written corpus is never used. root is typically
// filepath.Join(os.TempDir(), "storybot-corpusgen").
func Cached(root string, cfg Config) (string, error) {
	if cfg.Words <= 0 {
		return "", ErrNoWords
	}
	cfg = cfg.withDefaults()
	name := fmt.Sprintf("v%d-w%d-s%d-d%d-c%d-q%d", Version, cfg.Words, cfg.Seed, cfg.WordsPerDocument, cfg.Width, cfg.Questions)
	dir := filepath.Join(root, name)
	if _, err := os.Stat(filepath.Join(dir, QuestionsFile)); err == nil {
		return dir, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("look for cached corpus: %w", err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("make corpus cache: %w", err)
	}
	tmp, err := os.MkdirTemp(root, name+".tmp-")
	if err != nil {
		return "", fmt.Errorf("make corpus cache: %w", err)
	}
	if _, err := Write(tmp, cfg); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(dir, QuestionsFile)); serr == nil {
			return dir, nil // made by another process meanwhile
		}
		return "", fmt.Errorf("keep cached corpus: %w", err)
	}
	return dir, nil
}

// functionWords are common English words, most frequent first.
var functionWords = strings.Fields(`the of and to a in that was he it his for
	with as on at by had her from they she not be which or this but were
	have all an one their there been if would so who we when what into
	some could them more than then these its out upon about over only him
	other after any through before also where most such our under many
	those while because against between very both each every though among
	until without above below within again once never always often still
	here down up near since across behind beyond`)

// aux are the verbs a question puts after its wh-word.
var aux = []string{"did", "was", "were", "is", "does", "had"}

// blocked are words the sentence splitter reads as abbreviations or that
// are English words already: an invented word is never one of them.
var blocked = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`mr mrs ms mx dr prof rev fr hon gen
		capt col lt sgt cpl maj adm cmdr gov sen rep pres supt insp rt c no
		nos nr vol vols p pp fig figs art ch chap sec op ed eq ref st jr sr
		esq inc ltd co corp bros llc plc etc vs al approx dept est ave blvd
		rd mt ft cf ca viz jan feb mar apr jun jul aug sep sept oct nov dec
		mon tue tues wed thu thurs fri sat sun`) {
		m[w] = true
	}
	for _, w := range functionWords {
		m[w] = true
	}
	for _, w := range aux {
		m[w] = true
	}
	return m
}()

// Syllables of invented words.
var (
	onsets = strings.Fields(`b c d f g h k l m n p r s t v w z br dr fr gr
		kr pr tr bl fl gl kl pl sl st sk sp sh th ch`)
	vowels = strings.Fields(`a e i o u a e i o u a e o ai ea ou ie`)
	codas  = strings.Fields(`n r l s t m k nd rn st sk th ld`)
)

type generator struct {
	cfg   Config
	text  *rand.Rand // the corpus text; nothing else draws from it
	pick  *rand.Rand // the questions' choices
	vocab []string   // invented words, most frequent first
	names []string
	// zipfs draw ranks: words, names, function words.
	words, nameRanks, funcRanks *rand.Zipf

	sentences int        // seen so far, for the reservoir
	kept      []sample   // the reservoir of question sentences
	para      []sentence // the paragraph being written
}

// sentence is one generated sentence and its words' ranks.
type sentence struct {
	text  string
	words []token
}

// token is a word of a sentence.
type token struct {
	word string
	kind tokenKind
	rank int // in the vocabulary, for a content word
}

type tokenKind int

const (
	function tokenKind = iota
	content
	name
	number
	year
)

// sample is a sentence kept for a question, with its paragraph.
type sample struct {
	s         sentence
	paragraph string
}

func newGenerator(cfg Config) *generator {
	g := &generator{
		cfg:  cfg,
		text: rand.New(rand.NewPCG(cfg.Seed, 0x73746f7279)),
		pick: rand.New(rand.NewPCG(cfg.Seed, 0x7175657374)),
	}
	root := math.Sqrt(float64(cfg.Words))
	nv := max(minVocabulary, int(vocabularyPerRootWord*root))
	nn := max(minNames, int(namesPerRootWord*root))
	seen := map[string]bool{}
	g.vocab = g.invent(nv, seen, false)
	g.names = g.invent(nn, seen, true)
	g.words = rand.NewZipf(g.text, zipfS, contentZipfV, uint64(nv-1))
	g.nameRanks = rand.NewZipf(g.text, zipfS, 1, uint64(nn-1))
	g.funcRanks = rand.NewZipf(g.text, zipfS, 1, uint64(len(functionWords)-1))
	return g
}

// invent makes n distinct words of one to three syllables (two to three for
// names and rarer words).
func (g *generator) invent(n int, seen map[string]bool, capital bool) []string {
	out := make([]string, 0, n)
	for len(out) < n {
		r := len(out)
		syll := 1 + g.text.IntN(2)
		if r >= commonRank || capital {
			syll++
		}
		var b strings.Builder
		for range syll {
			if g.text.IntN(4) != 0 || b.Len() == 0 {
				b.WriteString(onsets[g.text.IntN(len(onsets))])
			}
			b.WriteString(vowels[g.text.IntN(len(vowels))])
			if g.text.IntN(4) == 0 {
				b.WriteString(codas[g.text.IntN(len(codas))])
			}
		}
		w := b.String()
		if len(w) < 3 || seen[w] || blocked[w] {
			continue
		}
		seen[w] = true
		if capital {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		out = append(out, w)
	}
	return out
}

// writeDocument writes a document of about want words to path.
func (g *generator) writeDocument(path string, want int, st *Stats) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("write document: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	var n int64
	put := func(s string) {
		k, _ := w.WriteString(s)
		n += int64(k)
	}
	put("# " + g.title() + "\n\n")
	words := 0
	for words < want {
		g.para = g.para[:0]
		size := 0
		ns := minParagraphSentences + g.text.IntN(maxParagraphSentences-minParagraphSentences+1)
		for range ns {
			s := g.sentence()
			if len(g.para) > 0 && size+1+len(s.text) > maxParagraphBytes {
				break
			}
			g.para = append(g.para, s)
			size += len(s.text) + 1
			words += len(s.words)
			if words >= want {
				break
			}
		}
		texts := make([]string, len(g.para))
		for i, s := range g.para {
			texts[i] = s.text
		}
		joined := strings.Join(texts, " ")
		put(wrap(joined, g.cfg.Width))
		put("\n\n")
		g.keep(joined)
		st.Paragraphs++
		st.Sentences += len(g.para)
	}
	st.Words += words
	if err := w.Flush(); err != nil {
		f.Close()
		return n, fmt.Errorf("write document: %w", err)
	}
	if err := f.Close(); err != nil {
		return n, fmt.Errorf("write document: %w", err)
	}
	return n, nil
}

// title names a document after one or two of its names.
func (g *generator) title() string {
	a := g.names[g.nameRanks.Uint64()]
	switch g.text.IntN(3) {
	case 0:
		return "The Chronicle of " + a
	case 1:
		return a + " and " + g.names[g.nameRanks.Uint64()]
	default:
		return "The " + g.vocab[rareRank+g.text.IntN(len(g.vocab)-rareRank)] + " of " + a
	}
}

// sentence makes one sentence.
func (g *generator) sentence() sentence {
	n := int(math.Round(meanSentenceWords * math.Exp(sentenceSpread*g.text.NormFloat64())))
	n = min(max(n, minSentenceWords), maxSentenceWords)
	s := sentence{words: make([]token, 0, n)}
	var b strings.Builder
	for i := range n {
		t := g.token(i == n-1)
		s.words = append(s.words, t)
		w := t.word
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if i < n-1 && i > 0 && t.kind == content && g.text.Float64() < commaShare {
			b.WriteByte(',')
		}
	}
	switch g.text.IntN(40) {
	case 0:
		b.WriteByte('!')
	case 1:
		b.WriteByte('?')
	default:
		b.WriteByte('.')
	}
	s.text = b.String()
	return s
}

// token draws one word; the last word of a sentence is a content word, so
// that no sentence ends on what reads as an abbreviation or a number.
func (g *generator) token(last bool) token {
	x := g.text.Float64()
	switch {
	case last:
	case x < functionShare:
		return token{word: functionWords[g.funcRanks.Uint64()], kind: function}
	case x < functionShare+nameShare:
		return token{word: g.names[g.nameRanks.Uint64()], kind: name}
	case x < functionShare+nameShare+numberShare:
		if g.text.IntN(2) == 0 {
			return token{word: strconv.Itoa(1000 + g.text.IntN(1000)), kind: year}
		}
		return token{word: strconv.Itoa(2 + g.text.IntN(400)), kind: number}
	}
	r := int(g.words.Uint64())
	return token{word: g.vocab[r], kind: content, rank: r}
}

// keep offers the paragraph's sentences to the reservoir of question
// sentences (algorithm R: every fit sentence is kept with equal chance).
func (g *generator) keep(paragraph string) {
	for _, s := range g.para {
		if len(rareWords(s)) < minQuestionWords+1 {
			continue
		}
		g.sentences++
		if len(g.kept) < g.cfg.Questions*candidatesPerQuestion {
			g.kept = append(g.kept, sample{s, paragraph})
			continue
		}
		if j := g.pick.IntN(g.sentences); j < len(g.kept) {
			g.kept[j] = sample{s, paragraph}
		}
	}
}

// rareWords lists the indexes of a sentence's distinct rare content words.
func rareWords(s sentence) []int {
	var out []int
	seen := map[string]bool{}
	for i, t := range s.words {
		if t.kind == content && t.rank >= rareRank && !seen[t.word] {
			seen[t.word] = true
			out = append(out, i)
		}
	}
	return out
}

// questions makes a question of each kept sentence and keeps the first
// cfg.Questions of them that only their own paragraph answers: a question
// whose words all stand in another paragraph of the documents under docs
// too has two answers, and is left out.
func (g *generator) questions(docs string) ([]Question, error) {
	qs := make([]Question, 0, len(g.kept))
	asked := make([][]string, 0, len(g.kept))
	for _, k := range g.kept {
		q, words := g.question(k)
		qs = append(qs, q)
		asked = append(asked, words)
	}
	holders, err := paragraphsHolding(docs, asked)
	if err != nil {
		return nil, err
	}
	out := make([]Question, 0, g.cfg.Questions)
	for i, q := range qs {
		if holders[i] == 1 && len(out) < g.cfg.Questions {
			out = append(out, q)
		}
	}
	return out, nil
}

// paragraphsHolding counts, for each list of words, the paragraphs of the
// documents under docs that hold every word of it.
func paragraphsHolding(docs string, asked [][]string) ([]int, error) {
	byWord := map[string][]int{} // a list's first word → the lists
	for i, ws := range asked {
		byWord[ws[0]] = append(byWord[ws[0]], i)
	}
	counts := make([]int, len(asked))
	files, err := filepath.Glob(filepath.Join(docs, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("check questions: %w", err)
	}
	in := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("check questions: %w", err)
		}
		for _, para := range strings.Split(string(data), "\n\n") {
			clear(in)
			for _, w := range strings.FieldsFunc(strings.ToLower(para), notLetter) {
				in[w] = true
			}
			for w := range in {
				for _, i := range byWord[w] {
					if holdsAll(in, asked[i]) {
						counts[i]++
					}
				}
			}
		}
	}
	return counts, nil
}

func holdsAll(in map[string]bool, words []string) bool {
	for _, w := range words {
		if !in[w] {
			return false
		}
	}
	return true
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// question asks about one sentence: the key is its rarest content word,
// the question several of the others, in the sentence's order, after a
// wh-word that fits what the sentence holds. It returns the words asked
// with, as the sentence spells them (before any typo).
func (g *generator) question(k sample) (Question, []string) {
	s := k.s
	rare := rareWords(s)
	key := rare[0]
	for _, i := range rare {
		if s.words[i].rank > s.words[key].rank {
			key = i
		}
	}
	var rest []int
	for _, i := range rare {
		if i != key {
			rest = append(rest, i)
		}
	}
	n := min(len(rest), minQuestionWords+g.pick.IntN(maxQuestionWords-minQuestionWords+1))
	// Keep n of rest, chosen at random, in sentence order.
	g.pick.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	chosen := rest[:n]
	slices.Sort(chosen)
	words := make([]string, 0, n+1)
	wh := "What"
	for _, t := range s.words {
		switch t.kind {
		case name:
			if wh == "What" {
				wh = "Who"
			}
		case number:
			wh = "How many"
		case year:
			if wh != "How many" {
				wh = "When"
			}
		}
	}
	for _, i := range chosen {
		words = append(words, s.words[i].word)
	}
	asked := slices.Clone(words)
	if g.pick.Float64() < typoShare {
		j := g.pick.IntN(len(words))
		words[j] = typo(words[j], g.pick)
	}
	q := wh + " " + aux[g.pick.IntN(len(aux))] + " the " + strings.Join(words, " ") + "?"
	gold := []string{s.text}
	if k.paragraph != s.text {
		gold = append(gold, k.paragraph)
	}
	return Question{Q: q, Keys: []string{s.words[key].word}, Gold: gold}, asked
}

// typo swaps two letters inside a word long enough to be corrected.
func typo(w string, r *rand.Rand) string {
	if len(w) < 5 {
		return w
	}
	b := []byte(w)
	i := 1 + r.IntN(len(b)-3)
	b[i], b[i+1] = b[i+1], b[i]
	return string(b)
}

// wrap hard-wraps text at width columns, breaking only at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/width)
	col := 0
	for i, w := range strings.Fields(text) {
		if i > 0 {
			if col+1+len(w) > width {
				b.WriteByte('\n')
				col = 0
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}
