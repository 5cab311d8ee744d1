package corpus

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:embed story.txt synonyms.csv
var story embed.FS

// Default returns the story embedded in the binary, named "embedded story":
// one document, ID "story", path "story.txt".
func Default() (*Corpus, error) {
	return Load(story, "embedded story")
}

// LoadDir reads every .txt and .md file under dir, in sub-folders too, except
// hidden files and folders (whose names start with "."). See Load.
func LoadDir(dir string) (*Corpus, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("read corpus %q: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("read corpus %q: not a folder", dir)
	}
	return Load(os.DirFS(dir), dir)
}

// Load reads every .txt and .md file in fsys (the extension in any case),
// except hidden files and folders, sorted by path, and names the corpus name.
// Other files are left out without a word.
//
// A file that cannot be used — larger than MaxFileSize, not UTF-8, holding
// NUL bytes, unreadable, or with no text — is left out and listed in
// Corpus.Skipped with the reason; it does not fail the load. Load fails when
// fsys cannot be read, with ErrNoDocuments when no document could be read,
// and with ErrEmpty when the documents hold no text.
//
// Each document's ID is the slug of its path. When two paths give the same
// slug, the first in path order keeps it and the others get the lowest free
// suffix "-2", "-3", … that is no other document's slug, so a document's ID
// (and its passages' IDs) changes only when a document with a colliding slug
// is added or removed.
func Load(fsys fs.FS, name string) (*Corpus, error) {
	return load(fsys, name, MaxFileSize)
}

func load(fsys fs.FS, name string, maxSize int64) (*Corpus, error) {
	c := &Corpus{Name: name}
	var paths []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			c.Skipped = append(c.Skipped, Skipped{Path: p, Reason: "unreadable: " + err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !isDocument(p) {
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read corpus %q: %w", name, err)
	}
	slices.Sort(paths)

	read, empty := 0, 0
	for _, p := range paths {
		text, reason := readDocument(fsys, p, maxSize)
		if reason != "" {
			c.Skipped = append(c.Skipped, Skipped{Path: p, Reason: reason})
			continue
		}
		read++
		d := ParseDocument(p, text)
		if len(d.Passages) == 0 {
			empty++
			c.Skipped = append(c.Skipped, Skipped{Path: p, Reason: "empty"})
			continue
		}
		c.Documents = append(c.Documents, d)
	}
	switch {
	case len(paths) == 0:
		return nil, fmt.Errorf("load corpus %q: %w: no .txt or .md file", name, ErrNoDocuments)
	case read == 0:
		return nil, fmt.Errorf("load corpus %q: %w: every .txt or .md file was skipped (%s)", name, ErrNoDocuments, summary(c.Skipped))
	case len(c.Documents) == 0:
		return nil, fmt.Errorf("load corpus %q: %w: no document holds any text (%s)", name, ErrEmpty, summary(c.Skipped))
	}
	syn, err := readSynonyms(fsys)
	if err != nil {
		c.Skipped = append(c.Skipped, Skipped{Path: SynonymsFile, Reason: err.Error()})
	}
	c.Synonyms = syn
	assignIDs(c.Documents)
	c.index()
	c.Fingerprint = fingerprint(c.Documents)
	return c, nil
}

func isDocument(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".txt", ".md":
		return true
	}
	return false
}

// readDocument returns the text of the file at p, or why it cannot be used.
func readDocument(fsys fs.FS, p string, maxSize int64) (text, reason string) {
	fi, err := fs.Stat(fsys, p)
	if err != nil {
		return "", "unreadable: " + err.Error()
	}
	if !fi.Mode().IsRegular() {
		return "", "not a regular file"
	}
	tooBig := func(size int64) string {
		return fmt.Sprintf("over the size limit of %s (%d bytes)", sizeString(maxSize), size)
	}
	if fi.Size() > maxSize {
		return "", tooBig(fi.Size())
	}
	f, err := fsys.Open(p)
	if err != nil {
		return "", "unreadable: " + err.Error()
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return "", "unreadable: " + err.Error()
	}
	if int64(len(b)) > maxSize {
		return "", tooBig(int64(len(b)))
	}
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return "", "UTF-16 text (save it as UTF-8)"
	case bytes.IndexByte(b, 0) >= 0:
		return "", "holds NUL bytes (a binary file?)"
	case !utf8.Valid(b):
		return "", "not valid UTF-8"
	}
	return strings.TrimPrefix(string(b), bom), ""
}

// sizeString writes n bytes in the largest binary unit that divides it.
func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// summary lists skipped files for an error message, the first few in full.
func summary(skipped []Skipped) string {
	const most = 3
	var parts []string
	for i, s := range skipped {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %d more", len(skipped)-most))
			break
		}
		parts = append(parts, s.Path+": "+s.Reason)
	}
	return strings.Join(parts, "; ")
}

// assignIDs makes document IDs unique (see Load). docs are in path order.
func assignIDs(docs []*Document) {
	natural := make(map[string]int, len(docs))
	for _, d := range docs {
		natural[d.ID]++
	}
	taken := make(map[string]bool, len(docs))
	for _, d := range docs {
		if !taken[d.ID] {
			taken[d.ID] = true
			continue
		}
		base := d.ID
		for n := 2; ; n++ {
			id := base + "-" + strconv.Itoa(n)
			if !taken[id] && natural[id] == 0 {
				taken[id] = true
				d.setID(id)
				break
			}
		}
	}
}

// fingerprint hashes ChunkVersion and every document's path and text, each
// prefixed with its length.
func fingerprint(docs []*Document) string {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		io.WriteString(h, s)
	}
	field("storybot corpus")
	field(strconv.Itoa(ChunkVersion))
	for _, d := range docs {
		field(d.Path)
		field(d.Text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// index builds the look-up tables.
func (c *Corpus) index() {
	c.byID = make(map[string]*Passage)
	c.docs = make(map[string]*Document, len(c.Documents))
	for _, d := range c.Documents {
		c.docs[d.ID] = d
		c.numPassages += len(d.Passages)
		for _, p := range d.Passages {
			c.byID[p.ID] = p
		}
	}
}

// Passage returns the passage with the given ID, or nil.
func (c *Corpus) Passage(id string) *Passage {
	if c == nil {
		return nil
	}
	if c.byID != nil {
		return c.byID[id]
	}
	// A Corpus built by hand.
	for _, d := range c.Documents {
		for _, p := range d.Passages {
			if p.ID == id {
				return p
			}
		}
	}
	return nil
}

// Document returns the document with the given ID, or nil.
func (c *Corpus) Document(id string) *Document {
	if c == nil {
		return nil
	}
	if c.docs != nil {
		return c.docs[id]
	}
	for _, d := range c.Documents {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// Neighbours returns the passages before and after p in its document, nil at
// either end or when p is not in c.
func (c *Corpus) Neighbours(p *Passage) (prev, next *Passage) {
	if p == nil {
		return nil, nil
	}
	q := c.Passage(p.ID)
	if q == nil || q.Doc == nil {
		return nil, nil
	}
	ps := q.Doc.Passages
	i := q.Ordinal - 1
	if i < 0 || i >= len(ps) || ps[i] != q {
		if i = slices.Index(ps, q); i < 0 {
			return nil, nil
		}
	}
	if i > 0 {
		prev = ps[i-1]
	}
	if i+1 < len(ps) {
		next = ps[i+1]
	}
	return prev, next
}

// Passages returns every passage of the corpus, document after document, in
// a new slice.
func (c *Corpus) Passages() []*Passage {
	if c == nil {
		return nil
	}
	out := make([]*Passage, 0, c.NumPassages())
	for _, d := range c.Documents {
		out = append(out, d.Passages...)
	}
	return out
}

// NumPassages returns the number of passages in the corpus.
func (c *Corpus) NumPassages() int {
	if c == nil {
		return 0
	}
	if c.byID != nil {
		return c.numPassages
	}
	n := 0
	for _, d := range c.Documents {
		n += len(d.Passages)
	}
	return n
}
