// Package corpus reads the documents storybot answers from and cuts them into
// passages and sentences.
//
// A corpus is either the story embedded in the binary (Default) or every .txt
// and .md file under a folder (LoadDir), read in a stable order. Each document
// has a title, a stable slug and a list of passages; each passage has a stable
// ID ("story#5"), its offsets in the document, its text and its sentences.
// Passage text is verbatim document text, except that the line breaks of a
// hard-wrapped paragraph are joined with single spaces; the title heading,
// "#" marks of other headings, list markers and lines with no letter or digit
// are in no passage, and a heading starts the passage after it. A Markdown
// file's text is its plain text (no emphasis markers, link syntax or front
// matter), a Project Gutenberg book's text is the book without the licence
// around it. A corpus's Layout records how its documents were cut, so that
// LoadDirReusing reads the folder again cutting the files that have not
// changed without parsing them. The package imports only the standard
// library.
package corpus

import (
	"errors"
	"strings"
)

// ChunkVersion changes whenever the way documents are cut into passages and
// sentences changes, so that indexes built by an older version are rebuilt.
// Rules that change only some documents (Markdown's plain text, Project
// Gutenberg books, headings joined to the paragraph after them) are named in
// the fingerprint of the documents they change instead, so that other
// corpora keep their index.
const ChunkVersion = 1

// MaxPassageLen is the longest a passage's text may be, in bytes: an excerpt
// must fit one Discord embed field (1,024 characters).
const MaxPassageLen = 1000

// MaxFileSize is the largest document file Load and LoadDir accept, in
// bytes; larger files are skipped and listed in Corpus.Skipped.
const MaxFileSize = 16 << 20

// Errors callers branch on.
var (
	// ErrNoDocuments: the folder holds no readable .txt or .md document.
	ErrNoDocuments = errors.New("no documents")
	// ErrEmpty: the documents hold no text to answer from.
	ErrEmpty = errors.New("corpus is empty")
)

// Corpus is a set of documents cut into passages. It is immutable once built.
type Corpus struct {
	// Name says where the corpus came from: "embedded story" or the folder.
	Name string
	// Documents in a stable order (sorted by path), each with at least one
	// passage.
	Documents []*Document
	// Fingerprint is a hex digest of every document's path and content and of
	// ChunkVersion: equal fingerprints mean equal passages.
	Fingerprint string
	// Skipped lists the files that were not read, with why.
	Skipped []Skipped
	// Synonyms are the groups of words and names that mean the same, from
	// the corpus's SynonymsFile.
	Synonyms [][]string

	// byID numbers the passages by ID, in list, every passage in the
	// order of Passages.
	byID        map[string]int
	list        []*Passage
	docs        map[string]*Document
	numPassages int
	// reused counts the documents cut as a layout recorded, not parsed.
	reused int
}

// Skipped names a file that was not read and the reason.
type Skipped struct {
	Path   string
	Reason string
}

// Unreadable says whether the file was skipped because it could not be read
// (an I/O error, no permission) rather than refused for what it is.
func (s Skipped) Unreadable() bool { return strings.HasPrefix(s.Reason, unreadable) }

// Document is one file of the corpus.
type Document struct {
	// ID is a slug made from the file's path without extension, unique within
	// the corpus ("story", "tales/the-selfish-giant").
	ID string
	// Path is the file's path relative to the corpus root, with forward slashes.
	Path string
	// Title is the front matter's "title:", a Project Gutenberg book's
	// "Title:", the first level-1 heading, or else the file name made
	// readable (see ParseDocument).
	Title string
	// Text is the document's text, which passages' offsets refer to: the
	// whole file without a UTF-8 byte order mark, but only the book of a
	// Project Gutenberg file, and the plain text of a Markdown file (see
	// ParseDocument).
	Text string
	// Passages in document order.
	Passages []*Passage

	source               string // the file, without a byte order mark
	layout               string // the rules beyond chunk version 1 that shaped it
	titleStart, titleEnd int    // the title line in Text, or -1
	hash                 string // Hash, computed once
	// textStart is where Text starts in source, unless the document is
	// Markdown (whose Text is rendered).
	textStart int
	// pieces says how each passage's Text is made of spans of Text: for
	// each passage in order, the number of spans, then for each span its
	// start, its end and the byte joining it to the one before (0 for the
	// first). It is what a Layout records.
	pieces []int32
}

// Passage is a paragraph, or a window of whole sentences of a long paragraph.
type Passage struct {
	// ID is "<document ID>#<ordinal>", ordinals counting from 1 in each document.
	ID string
	// Doc is the document the passage belongs to.
	Doc *Document
	// Ordinal is the passage's position in its document, from 1.
	Ordinal int
	// Start and End are byte offsets of the passage in Doc.Text.
	Start, End int
	// Text is the passage's text (hard-wrapped lines joined with one space;
	// the headings that lead it, if any, each followed by a line break),
	// never empty and at most MaxPassageLen bytes: a single sentence longer
	// than that is cut at word boundaries.
	Text string
	// Sentences cut Text into consecutive sentences.
	Sentences []Sentence
}

// Sentence is a span of a passage's Text.
type Sentence struct {
	// Start and End are byte offsets in the passage's Text.
	Start, End int
	// Text is Passage.Text[Start:End], without surrounding white space.
	Text string
}
