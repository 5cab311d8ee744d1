package corpusgen

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/storybot/storybot/corpus"
)

// small is a corpus small enough for a unit test and large enough to have
// many documents and a full question set.
var small = Config{Words: 60000, Seed: 7, WordsPerDocument: 8000, Questions: 100}

func TestWriteIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if _, err := Write(a, small); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(b, small); err != nil {
		t.Fatal(err)
	}
	other := small
	other.Seed++
	c := t.TempDir()
	if _, err := Write(c, other); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{QuestionsFile, filepath.Join(CorpusDir, "00001.txt"), filepath.Join(CorpusDir, "00008.txt")} {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same config", name)
		}
		z, err := os.ReadFile(filepath.Join(c, name))
		if err == nil && bytes.Equal(x, z) {
			t.Errorf("%s is the same with another seed", name)
		}
	}
}

func TestCorpusShape(t *testing.T) {
	dir := t.TempDir()
	st, err := Write(dir, small)
	if err != nil {
		t.Fatal(err)
	}
	if st.Words < small.Words || st.Words > small.Words+maxSentenceWords {
		t.Errorf("%d words, want about %d", st.Words, small.Words)
	}
	if want := small.Words / small.WordsPerDocument; st.Documents < want {
		t.Errorf("%d documents, want at least %d", st.Documents, want)
	}
	c, err := corpus.LoadDir(filepath.Join(dir, CorpusDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Documents) != st.Documents {
		t.Errorf("corpus reads %d documents, %d written", len(c.Documents), st.Documents)
	}
	if c.NumPassages() != st.Paragraphs {
		t.Errorf("corpus cuts %d passages, %d paragraphs written: a paragraph should be one passage", c.NumPassages(), st.Paragraphs)
	}
	sentences, letters, words := 0, 0, 0
	for _, p := range c.Passages() {
		sentences += len(p.Sentences)
		for _, w := range strings.Fields(p.Text) {
			words++
			letters += len(strings.Trim(w, ",.!?"))
		}
	}
	if sentences != st.Sentences {
		t.Errorf("corpus splits %d sentences, %d written", sentences, st.Sentences)
	}
	if mean := float64(letters) / float64(words); mean < 4 || mean > 6.5 {
		t.Errorf("mean word length %.2f letters, want English-like (4 to 6.5)", mean)
	}
	if mean := float64(words) / float64(sentences); mean < 12 || mean > 24 {
		t.Errorf("mean sentence length %.1f words, want 12 to 24", mean)
	}
	data, err := os.ReadFile(filepath.Join(dir, CorpusDir, "00002.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.HasPrefix(text, "# ") {
		t.Errorf("document does not open with a title heading: %.40q", text)
	}
	if !strings.Contains(text, "\n\n") {
		t.Error("no blank line between paragraphs")
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > DefaultWidth {
			t.Fatalf("line of %d columns, want at most %d: %q", len(line), DefaultWidth, line)
		}
	}
}

// TestQuestionsAreAnswerable checks each question against the corpus as
// corpus cuts it: its gold sentence is a sentence of a passage whose text is
// its gold paragraph, the key stands in that sentence and not in the
// question, and the question's words (but a misspelt one) stand there too.
func TestQuestionsAreAnswerable(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, small); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.LoadDir(filepath.Join(dir, CorpusDir))
	if err != nil {
		t.Fatal(err)
	}
	sentences := map[string]*corpus.Passage{}
	for _, p := range c.Passages() {
		for _, s := range p.Sentences {
			sentences[s.Text] = p
		}
	}
	qs, err := ReadQuestions(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != small.Questions {
		t.Fatalf("%d questions, want %d", len(qs), small.Questions)
	}
	distinct, misspelt := map[string]bool{}, 0
	for _, q := range qs {
		distinct[q.Q] = true
		p, ok := sentences[q.Gold[0]]
		if !ok {
			t.Errorf("%q: gold sentence %q is no sentence of the corpus", q.Q, q.Gold[0])
			continue
		}
		if para := q.Gold[len(q.Gold)-1]; para != p.Text {
			t.Errorf("%q: gold paragraph is not passage %s's text", q.Q, p.ID)
		}
		words := strings.Fields(strings.ToLower(strings.Trim(q.Gold[0], ".!?")))
		in := map[string]bool{}
		for _, w := range words {
			in[strings.Trim(w, ",")] = true
		}
		if len(q.Keys) != 1 || !in[q.Keys[0]] {
			t.Errorf("%q: key %q not in its sentence %q", q.Q, q.Keys, q.Gold[0])
		}
		if strings.Contains(q.Q, q.Keys[0]) {
			t.Errorf("%q gives its key %q away", q.Q, q.Keys[0])
		}
		_, after, ok := strings.Cut(strings.TrimSuffix(q.Q, "?"), " the ")
		if !ok {
			t.Errorf("%q: no words to ask with", q.Q)
		}
		missing := 0
		var asked []string
		for _, w := range strings.Fields(after) {
			if !in[w] {
				missing++
				continue
			}
			asked = append(asked, w)
		}
		if n := passagesHolding(c, asked); missing == 0 && n != 1 {
			t.Errorf("%q: %d passages hold %q, want only its own", q.Q, n, asked)
		}
		if missing > 1 {
			t.Errorf("%q: %d words not in its sentence %q", q.Q, missing, q.Gold[0])
		}
		misspelt += missing
	}
	if len(distinct) < len(qs)*9/10 {
		t.Errorf("only %d distinct questions of %d", len(distinct), len(qs))
	}
	if misspelt == 0 {
		t.Error("no question has a typo")
	}
}

func TestCached(t *testing.T) {
	root := t.TempDir()
	cfg := Config{Words: 3000, Seed: 1, Questions: 5}
	dir, err := Cached(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(dir, CorpusDir, "00001.txt")
	if err := os.WriteFile(marker, []byte("# Kept\n\nNot made again.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := Cached(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if again != dir {
		t.Fatalf("second call gives %s, first %s", again, dir)
	}
	if data, _ := os.ReadFile(marker); !strings.Contains(string(data), "Not made again") {
		t.Error("the cached corpus was made again")
	}
	cfg.Seed++
	other, err := Cached(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if other == dir {
		t.Error("another seed gives the same folder")
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary folder %s left behind", e.Name())
		}
	}
	if _, err := Cached(root, Config{}); !errors.Is(err, ErrNoWords) {
		t.Errorf("no words: %v, want ErrNoWords", err)
	}
}

// passagesHolding counts the passages of c that hold every one of words
// (of a question without a typo: those of a misspelt one are not all there).
func passagesHolding(c *corpus.Corpus, words []string) int {
	n := 0
	for _, p := range c.Passages() {
		in := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(p.Text), func(r rune) bool { return !unicode.IsLetter(r) }) {
			in[w] = true
		}
		all := true
		for _, w := range words {
			all = all && in[w]
		}
		if all {
			n++
		}
	}
	return n
}
