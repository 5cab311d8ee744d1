package answer

import (
	"time"

	"github.com/storybot/storybot/corpus"
)

// NotFoundText is Answer.Text when the corpus holds no answer.
const NotFoundText = "The story does not say."

// Answer is the reply to one question. Every Text in it is verbatim corpus
// text (plain, no Markdown) except NotFoundText.
type Answer struct {
	// Question as asked.
	Question string
	// Found is false when the corpus holds no real evidence; then Text is
	// NotFoundText and Citations, if any, are the closest passages offered as
	// suggestions.
	Found bool
	// Text is the answer: Parts' texts joined with single spaces.
	Text string
	// Parts are the answer's sentences in order, each with the citation it
	// comes from and the words that matched the question.
	Parts []Part
	// Citations are numbered from 1; an answer cites at least the passages its
	// parts come from.
	Citations []Citation
	// DidYouMean is the question with its misspelt words corrected against the
	// corpus vocabulary, when a correction was used; else empty.
	DidYouMean string
}

// Part is one sentence (or a run of sentences) of an answer.
type Part struct {
	Text string
	// Citation is the N of the citation the text comes from.
	Citation int
	// Marks are byte ranges of Text holding words that matched the question.
	Marks []Span
}

// Span is a byte range [Start, End) of a text.
type Span struct {
	Start, End int
}

// Citation names a passage and quotes it.
type Citation struct {
	// N numbers the citation from 1.
	N int
	// Doc is the document ID, Title its title.
	Doc   string
	Title string
	// Passage is the passage ID ("story#5").
	Passage string
	// Text is the excerpt: the passage's text, at most corpus.MaxPassageLen bytes.
	Text string
	// Score is the passage's retrieval score; higher is better.
	Score float64
	// Marks are byte ranges of Text holding words that matched the question.
	Marks []Span
}

// Results is one page of a plain lookup (Engine.Search).
type Results struct {
	// Total is how many passages matched in all.
	Total int
	// Hits are the passages of this page; Hits[i].N is from+i+1.
	Hits []Citation
}

// Window is a passage with its neighbours in the document.
type Window struct {
	Title string
	Doc   string
	// Before and After are nil at the start and end of a document.
	Before, Passage, After *corpus.Passage
}

// Choice is an autocomplete suggestion: Name is shown, Value is the passage ID.
type Choice struct {
	Name  string
	Value string
}

// Info describes what the engine knows.
type Info struct {
	// Corpus says where the documents came from.
	Corpus      string
	Documents   int
	Passages    int
	Fingerprint string
	// Indexed is when the index in use was built.
	Indexed time.Time
	// Folder is the corpus folder in use; empty while the embedded story is
	// served.
	Folder string
	// LastChange is the last change made to the corpus, if any is recorded.
	LastChange *Change
}
