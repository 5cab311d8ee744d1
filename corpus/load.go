package corpus

import (
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

//go:embed story.txt synonyms.csv
var story embed.FS

// Default returns the story embedded in the binary, named "embedded story":
// one document, ID "story", path "story.txt".
func Default() (*Corpus, error) {
	return Load(story, "embedded story")
}

// LoadDir reads every .txt and .md file under dir, in sub-folders too. See
// Load. It reads through an os.Root, so no file outside dir is ever opened:
// not through a symbolic link, nor through one changed while it reads.
func LoadDir(dir string) (*Corpus, error) {
	return LoadDirReusing(dir, nil)
}

// Load reads every .txt and .md file in fsys (the extension in any case),
// sorted by path, and names the corpus name. Other files are left out
// without a word.
//
// A file that cannot be used — one Check refuses (a hidden file or one in a
// hidden folder, a bad name, larger than MaxFileSize, not UTF-8, holding NUL
// bytes), unreadable, or with no text — is left out and listed in
// Corpus.Skipped with the reason; it does not fail the load. Load fails when
// fsys cannot be read, with ErrNoDocuments when no document could be read,
// and with ErrEmpty when the documents hold no text.
//
// Symbolic links (when fsys is an fs.ReadLinkFS) are resolved within fsys
// first: a link that leads outside it, is absolute, broken or part of a loop
// is not followed and is listed in Corpus.Skipped; so is a link to a folder.
// A link to a file inside is read under the link's name, unless that file is
// read already, under its own name or through another link. Resolving is a
// check, not a guard: fsys must itself refuse to leave its tree (as os.Root
// does; LoadDir uses one) for a link changed during the load to be harmless.
//
// Each document's ID is the slug of its path. When two paths give the same
// slug, the first in path order keeps it and the others get the lowest free
// suffix "-2", "-3", … that is no other document's slug, so a document's ID
// (and its passages' IDs) changes only when a document with a colliding slug
// is added or removed.
func Load(fsys fs.FS, name string) (*Corpus, error) {
	return load(fsys, name, MaxFileSize, nil)
}

// load is Load, cutting the files prior records as recorded when they have
// not changed (see Corpus.Layout).
func load(fsys fs.FS, name string, maxSize int64, prior *layout) (*Corpus, error) {
	c := &Corpus{Name: name}
	skip := func(p, reason string) { c.Skipped = append(c.Skipped, Skipped{Path: p, Reason: reason}) }
	var paths, links []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			skip(p, unreadable+err.Error())
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case p == ".":
			return nil
		case d.IsDir():
			if e := checkName(d.Name()); e != nil {
				if e.Problem == Hidden {
					e.Reason = "hidden folder"
				}
				skip(p, e.Reason)
				return fs.SkipDir
			}
			return nil
		}
		link := d.Type()&fs.ModeSymlink != 0
		if e := checkName(d.Name()); e != nil {
			if isDocument(p) {
				skip(p, e.Reason)
			}
			return nil
		}
		switch {
		case link:
			links = append(links, p)
		case isDocument(p):
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read corpus %q: %w", name, err)
	}
	paths = append(paths, followLinks(fsys, links, paths, skip)...)
	slices.Sort(paths)

	results := readAll(fsys, paths, maxSize, prior)
	fp, verified := prior.verify(paths, results)
	read, empty := 0, 0
	for i, r := range results {
		p, d := paths[i], r.doc
		if r.reason != "" {
			skip(p, r.reason)
			continue
		}
		read++
		if len(d.Passages) == 0 {
			empty++
			skip(p, "empty")
			continue
		}
		c.Documents = append(c.Documents, d)
		if r.reused {
			c.reused++
		}
	}
	slices.SortStableFunc(c.Skipped, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	switch {
	case len(paths) == 0:
		return nil, fmt.Errorf("load corpus %q: %w: no .txt or .md file%s", name, ErrNoDocuments, skippedNote(c.Skipped))
	case read == 0:
		return nil, fmt.Errorf("load corpus %q: %w: every .txt or .md file was skipped (%s)", name, ErrNoDocuments, summary(c.Skipped))
	case len(c.Documents) == 0:
		return nil, fmt.Errorf("load corpus %q: %w: no document holds any text (%s)", name, ErrEmpty, summary(c.Skipped))
	}
	syn, err := readSynonyms(fsys)
	if err != nil {
		skip(SynonymsFile, err.Error())
	}
	c.Synonyms = syn
	assignIDs(c.Documents)
	c.index()
	if !verified {
		fp = fingerprint(c.Documents)
	}
	c.Fingerprint = fp
	return c, nil
}

// readResult is one file read and parsed, or why it was not.
type readResult struct {
	doc    *Document
	reason string
	reused bool // cut as a layout recorded
}

// readAll reads and parses the files at paths (or cuts them as prior
// records), on as many goroutines as there are processors, and returns what
// became of each, in order.
func readAll(fsys fs.FS, paths []string, maxSize int64, prior *layout) []readResult {
	out := make([]readResult, len(paths))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(paths) {
					return
				}
				text, reason := readDocument(fsys, paths[i], maxSize)
				if reason != "" {
					out[i].reason = reason
					continue
				}
				if rec, ok := prior.doc(paths[i]); ok {
					if d := restore(paths[i], text, rec); d != nil {
						out[i].doc, out[i].reused = d, true
						continue
					}
				}
				out[i].doc = ParseDocument(paths[i], text)
			}
		})
	}
	wg.Wait()
	return out
}

// skippedNote adds the skipped files to the error for a folder with no
// document to read.
func skippedNote(skipped []Skipped) string {
	if len(skipped) == 0 {
		return ""
	}
	return " (" + summary(skipped) + ")"
}

// maxLinks is how many symbolic links resolving one path may follow: as many
// as os.Root follows, so that a chain it would refuse is refused here too.
const maxLinks = 8

// Why a symbolic link is not followed.
var (
	errOutside  = errors.New("leads outside the corpus folder")
	errAbsolute = errors.New("is absolute (links must be relative and stay in the corpus folder)")
	errLoop     = errors.New("is part of a loop or a chain of more than 8 links")
)

// followLinks decides, for each symbolic link (not hidden) found in fsys,
// whether it is read: it returns the links to documents that are read, and
// reports the others to skip. docs are the documents found under their own
// names.
func followLinks(fsys fs.FS, links, docs []string, skip func(p, reason string)) []string {
	if len(links) == 0 {
		return nil
	}
	own := make(map[string]bool, len(docs))
	for _, p := range docs {
		own[p] = true
	}
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		for _, p := range links {
			skip(p, "symbolic link (not followed: it cannot be resolved here)")
		}
		return nil
	}
	var out []string
	via := map[string]string{}
	for _, p := range links {
		target, err := resolve(fsys, p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				skip(p, "broken symbolic link")
			} else {
				skip(p, "symbolic link not followed: it "+err.Error())
			}
			continue
		}
		fi, err := fs.Lstat(fsys, target)
		switch {
		case err != nil:
			skip(p, unreadable+err.Error())
			continue
		case fi.IsDir():
			skip(p, "symbolic link to a folder (not followed)")
			continue
		case !isDocument(p):
			continue
		case own[target]:
			skip(p, fmt.Sprintf("symbolic link to %s, which is read under its own name", target))
			continue
		case via[target] != "":
			skip(p, fmt.Sprintf("symbolic link to %s, which is read as %s", target, via[target]))
			continue
		}
		via[target] = p
		out = append(out, p)
	}
	return out
}

// resolve returns the path in fsys that name leads to, following every
// symbolic link on the way, or an error wrapping errOutside, errAbsolute or
// errLoop, or the error of the fs.
func resolve(fsys fs.FS, name string) (string, error) {
	todo := strings.Split(name, "/")
	var done []string // the path so far, with no link in it
	links := 0
	for len(todo) > 0 {
		elem := todo[0]
		todo = todo[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", errOutside
			}
			done = done[:len(done)-1]
			continue
		}
		p := path.Join(append(done, elem)...)
		fi, err := fs.Lstat(fsys, p)
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, elem)
			continue
		}
		if links++; links > maxLinks {
			return "", errLoop
		}
		target, err := fs.ReadLink(fsys, p)
		if err != nil {
			return "", err
		}
		target = filepath.ToSlash(target)
		if path.IsAbs(target) || filepath.IsAbs(target) || filepath.VolumeName(target) != "" {
			return "", errAbsolute
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return path.Join(append([]string{"."}, done...)...), nil
}

func isDocument(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".txt", ".md":
		return true
	}
	return false
}

// unreadable starts the reason a file was skipped when it could not be read.
const unreadable = "unreadable: "

// readDocument returns the text of the file at p, or why it cannot be used:
// it must be a regular file, and pass Check.
func readDocument(fsys fs.FS, p string, maxSize int64) (text, reason string) {
	fi, err := fs.Stat(fsys, p)
	if err != nil {
		return "", unreadable + err.Error()
	}
	if !fi.Mode().IsRegular() {
		return "", "not a regular file"
	}
	if fi.Size() > maxSize {
		return "", tooLarge(p, fi.Size(), maxSize).Reason
	}
	f, err := fsys.Open(p)
	if err != nil {
		return "", unreadable + err.Error()
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return "", "not a regular file"
	}
	b, err := readSized(io.LimitReader(f, maxSize+1), fi.Size())
	if err != nil {
		return "", unreadable + err.Error()
	}
	if e := check(path.Base(p), b, maxSize); e != nil {
		return "", e.Reason
	}
	// The text is the buffer itself, not a copy of it: nothing writes to
	// b once read.
	return strings.TrimPrefix(unsafe.String(unsafe.SliceData(b), len(b)), bom), ""
}

// readSized reads r to its end into a buffer of size bytes, growing it
// only if r holds more (a file that grew since it was looked at).
func readSized(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, size+1) // one byte more, to see the end without growing
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
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

// fingerprint hashes ChunkVersion and every document's path and file
// content, each prefixed with its length, and after a document whose
// passages follow rules newer than chunk version 1 (see Document.layout),
// those rules' names, after a NUL byte (which no path holds). So a corpus of
// plain text files keeps the fingerprint it had under chunk version 1, and
// any document the newer rules cut differently changes it.
func fingerprint(docs []*Document) string {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		hashString(h, s)
	}
	field("storybot corpus")
	field(strconv.Itoa(ChunkVersion))
	for _, d := range docs {
		field(d.Path)
		field(d.source)
		if d.layout != "" {
			field("\x00" + d.layout)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// index builds the look-up tables.
func (c *Corpus) index() {
	c.byID = make(map[string]int)
	c.docs = make(map[string]*Document, len(c.Documents))
	for _, d := range c.Documents {
		c.docs[d.ID] = d
		c.numPassages += len(d.Passages)
		for _, p := range d.Passages {
			c.byID[p.ID] = len(c.list)
			c.list = append(c.list, p)
		}
	}
}

// Passage returns the passage with the given ID, or nil.
func (c *Corpus) Passage(id string) *Passage {
	if n, ok := c.Number(id); ok {
		return c.PassageAt(n)
	}
	return nil
}

// Number returns the number of the passage with the given ID: its place,
// from 0, among the corpus's passages in the order of Passages. It is
// false when no passage has that ID.
func (c *Corpus) Number(id string) (int, bool) {
	if c == nil {
		return 0, false
	}
	if c.byID != nil {
		n, ok := c.byID[id]
		return n, ok
	}
	// A Corpus built by hand.
	n := 0
	for _, d := range c.Documents {
		for _, p := range d.Passages {
			if p.ID == id {
				return n, true
			}
			n++
		}
	}
	return 0, false
}

// PassageAt returns the passage numbered n (see Number), or nil when there
// is none.
func (c *Corpus) PassageAt(n int) *Passage {
	if c == nil || n < 0 {
		return nil
	}
	if c.byID != nil {
		if n >= len(c.list) {
			return nil
		}
		return c.list[n]
	}
	for _, d := range c.Documents {
		if n < len(d.Passages) {
			return d.Passages[n]
		}
		n -= len(d.Passages)
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
