package corpus

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"strings"
	"unsafe"
)

// A layout records how Load cut each document of a corpus into passages and
// sentences, so that a later load of the same folder cuts the files that
// have not changed again without parsing them (LoadDirReusing): most of the
// time a start spends reading a large corpus is parsing it.
//
// Whether a file has changed is decided by its content, never by its size
// or modification time: every file is read at every load and the corpus's
// fingerprint computed; when it is the one recorded, no file changed and
// each is cut as recorded; when it is not, each file is hashed
// (Document.Hash, of its path, its content and the rules that cut it), and
// only those whose hash is the one recorded are cut as recorded, the others
// parsed. So a file changed with its size and modification time put back
// is parsed again like any other changed file. Markdown documents, whose
// text is rendered rather than cut from the file, are not recorded and are
// always parsed.
//
// The encoding, integers as uvarints and strings as a uvarint length then
// the bytes:
//
//	layoutMagic, ChunkVersion, the corpus's fingerprint, the number of
//	documents, then per document:
//	  path, hash (hex), title, layout rules, text start and end in the
//	  file, title line start and end plus one (0 for none), the number of
//	  passages, of their spans and of their sentences, the bytes of their
//	  joined texts, and the length of the passages' bytes, then for each
//	  passage: start and end in the document's text, the number of spans,
//	  each span's start, end and joining byte, the number of sentences and
//	  each sentence's start (after the previous one's end) and length
//	the CRC-32 (Castagnoli) of all before it, four bytes little-endian
const layoutMagic = "storybot layout 1\n"

var layoutCRC = crc32.MakeTable(crc32.Castagnoli)

// errLayout says a recorded layout cannot be used.
var errLayout = errors.New("corpus layout damaged")

// Layout records how c's documents were cut (see LoadDirReusing), for a
// later load of the same folder.
func (c *Corpus) Layout() []byte {
	b := []byte(layoutMagic)
	b = binary.AppendUvarint(b, ChunkVersion)
	b = appendString(b, c.Fingerprint)
	var docs []*Document
	for _, d := range c.Documents {
		if d.recordable() {
			docs = append(docs, d)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(docs)))
	var body []byte
	for _, d := range docs {
		body = body[:0]
		npieces, nsents, joined := 0, 0, 0
		k := 0
		for _, p := range d.Passages {
			body = binary.AppendUvarint(body, uint64(p.Start))
			body = binary.AppendUvarint(body, uint64(p.End))
			n := int(d.pieces[k])
			body = binary.AppendUvarint(body, uint64(n))
			for _, v := range d.pieces[k+1 : k+1+3*n] {
				body = binary.AppendUvarint(body, uint64(v))
			}
			k += 1 + 3*n
			npieces += n
			if n > 1 {
				joined += len(p.Text)
			}
			body = binary.AppendUvarint(body, uint64(len(p.Sentences)))
			end := 0
			for _, s := range p.Sentences {
				body = binary.AppendUvarint(body, uint64(s.Start-end))
				body = binary.AppendUvarint(body, uint64(s.End-s.Start))
				end = s.End
			}
			nsents += len(p.Sentences)
		}
		b = appendString(b, d.Path)
		b = appendString(b, d.Hash())
		b = appendString(b, d.Title)
		b = appendString(b, d.layout)
		for _, v := range []int{d.textStart, d.textStart + len(d.Text), d.titleStart + 1, d.titleEnd + 1,
			len(d.Passages), npieces, nsents, joined, len(body)} {
			b = binary.AppendUvarint(b, uint64(v))
		}
		b = append(b, body...)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, layoutCRC))
}

// recordable says whether d's cut can be recorded: its text is a span of
// its file and its passages are made of spans of its text, the ones
// recorded.
func (d *Document) recordable() bool {
	if strings.Contains(d.layout, "markdown") || d.textStart < 0 ||
		d.textStart+len(d.Text) > len(d.source) || d.source[d.textStart:d.textStart+len(d.Text)] != d.Text {
		return false
	}
	k := 0
	var buf []byte
	for _, p := range d.Passages {
		if k >= len(d.pieces) {
			return false
		}
		n := int(d.pieces[k])
		if k+1+3*n > len(d.pieces) {
			return false
		}
		buf = buf[:0]
		for i := range n {
			s, e, sep := d.pieces[k+1+3*i], d.pieces[k+2+3*i], d.pieces[k+3+3*i]
			if s < 0 || s > e || int(e) > len(d.Text) {
				return false
			}
			if i > 0 {
				buf = append(buf, byte(sep))
			}
			buf = append(buf, d.Text[s:e]...)
		}
		if string(buf) != p.Text {
			return false
		}
		k += 1 + 3*n
	}
	return k == len(d.pieces)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// recorded is one document of a layout, its passages still encoded.
type recorded struct {
	hash, title, layout                string
	textStart, textEnd                 int
	titleStart, titleEnd               int
	passages, pieces, sentences, bytes int
	body                               []byte
}

// layout is a recorded layout, read.
type layout struct {
	fingerprint string
	docs        map[string]recorded // by path
}

// doc is the record of the document at path, if any.
func (l *layout) doc(path string) (recorded, bool) {
	if l == nil {
		return recorded{}, false
	}
	rec, ok := l.docs[path]
	return rec, ok
}

// verify checks the documents of results (read from paths) cut as l
// records: when the corpus they make has l's fingerprint, it returns that
// and true; otherwise it parses each document whose hash is not the one
// recorded, and returns false.
func (l *layout) verify(paths []string, results []readResult) (string, bool) {
	reused := false
	var docs []*Document
	for _, r := range results {
		reused = reused || r.reused
		if r.doc != nil && len(r.doc.Passages) > 0 {
			docs = append(docs, r.doc)
		}
	}
	if !reused {
		return "", false
	}
	fp := fingerprint(docs)
	if fp == l.fingerprint {
		return fp, true
	}
	for i := range results {
		r := &results[i]
		if r.reused && r.doc.computeHash() != r.doc.hash {
			r.doc, r.reused = ParseDocument(paths[i], r.doc.source), false
		}
	}
	return "", false
}

// parseLayout reads a layout.
func parseLayout(data []byte) (*layout, error) {
	if len(data) < len(layoutMagic)+4 || string(data[:len(layoutMagic)]) != layoutMagic {
		return nil, fmt.Errorf("%w: not a layout of this version", errLayout)
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, layoutCRC) != binary.LittleEndian.Uint32(data[len(body):]) {
		return nil, fmt.Errorf("%w: fails its checksum", errLayout)
	}
	r := reader{b: body[len(layoutMagic):]}
	if r.int() != ChunkVersion {
		return nil, fmt.Errorf("%w: another chunk version", errLayout)
	}
	fp := r.string()
	n := r.int()
	if n > len(r.b) {
		return nil, fmt.Errorf("%w: %d documents", errLayout, n)
	}
	out := make(map[string]recorded, n)
	for range n {
		path := r.string()
		var d recorded
		d.hash, d.title, d.layout = r.string(), r.string(), r.string()
		d.textStart, d.textEnd, d.titleStart, d.titleEnd = r.int(), r.int(), r.int()-1, r.int()-1
		d.passages, d.pieces, d.sentences, d.bytes = r.int(), r.int(), r.int(), r.int()
		d.body = r.bytes(r.int())
		if r.bad {
			return nil, fmt.Errorf("%w: document %q", errLayout, path)
		}
		out[path] = d
	}
	if r.bad || len(r.b) != 0 {
		return nil, fmt.Errorf("%w: longer than it says", errLayout)
	}
	return &layout{fingerprint: fp, docs: out}, nil
}

// reader decodes a layout, remembering whether anything was out of place.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) int() int {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > 1<<40 {
		r.bad = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func (r *reader) bytes(n int) []byte {
	if r.bad || n > len(r.b) {
		r.bad = true
		r.b = nil
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) string() string { return string(r.bytes(r.int())) }

// restore cuts the file at path, whose text is source, as rec records, or
// returns nil when rec does not fit the file. It does not hash the file:
// the document's hash is the one recorded, which layout.verify checks.
func restore(path, source string, rec recorded) *Document {
	d := &Document{Path: path, source: source, layout: rec.layout, Title: rec.title,
		titleStart: rec.titleStart, titleEnd: rec.titleEnd, textStart: rec.textStart, hash: rec.hash}
	if rec.textStart > rec.textEnd || rec.textEnd > len(source) || rec.passages > len(rec.body) ||
		rec.pieces > len(rec.body) || rec.sentences > len(rec.body) || rec.bytes > len(source)*2 {
		return nil
	}
	d.Text = source[rec.textStart:rec.textEnd]
	// One allocation each for the passages, their sentences, their spans
	// and the texts of those joined from several lines.
	ps := make([]Passage, rec.passages)
	d.Passages = make([]*Passage, rec.passages)
	sents := make([]Sentence, 0, rec.sentences)
	d.pieces = make([]int32, 0, rec.passages+3*rec.pieces)
	buf := make([]byte, 0, rec.bytes)
	type joinedText struct{ p, start, end int }
	var joined []joinedText
	r := reader{b: rec.body}
	for i := range ps {
		p := &ps[i]
		p.Doc, p.Ordinal = d, i+1
		p.Start, p.End = r.int(), r.int()
		n := r.int()
		if r.bad || p.Start > p.End || p.End > len(d.Text) || n == 0 || n > len(r.b) {
			return nil
		}
		d.pieces = append(d.pieces, int32(n))
		at := len(buf)
		var text string
		for j := range n {
			s, e, sep := r.int(), r.int(), r.int()
			if r.bad || s > e || e > len(d.Text) || sep > 0xff {
				return nil
			}
			d.pieces = append(d.pieces, int32(s), int32(e), int32(sep))
			if n == 1 {
				text = d.Text[s:e]
				break
			}
			if j > 0 {
				buf = append(buf, byte(sep))
			}
			buf = append(buf, d.Text[s:e]...)
		}
		if n > 1 {
			joined = append(joined, joinedText{i, at, len(buf)})
		}
		ns := r.int()
		if r.bad || ns > len(r.b) || len(sents)+ns > cap(sents) {
			return nil
		}
		first := len(sents)
		end := 0
		for range ns {
			s := end + r.int()
			end = s + r.int()
			if r.bad || end < s {
				return nil
			}
			sents = append(sents, Sentence{Start: s, End: end})
		}
		p.Sentences = sents[first:len(sents):len(sents)]
		p.Text = text
		d.Passages[i] = p
	}
	if len(r.b) != 0 || len(buf) != rec.bytes {
		return nil
	}
	// The joined texts share one string, buf itself: nothing writes to it
	// from now on.
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	for _, j := range joined {
		ps[j.p].Text = all[j.start:j.end]
	}
	for _, p := range d.Passages {
		if p.Text == "" {
			return nil
		}
		for k := range p.Sentences {
			s := &p.Sentences[k]
			if s.End > len(p.Text) {
				return nil
			}
			s.Text = p.Text[s.Start:s.End]
		}
	}
	d.setID(slug(path))
	return d
}

// LoadDirReusing is LoadDir, cutting the files that have not changed since
// saved was recorded (by Corpus.Layout) as they were cut then, without
// parsing them again; the corpus is the same as LoadDir's. A layout that
// cannot be used (damaged, of another version, nil) is ignored.
func LoadDirReusing(dir string, saved []byte) (*Corpus, error) {
	var prior *layout
	if saved != nil {
		prior, _ = parseLayout(saved)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("read corpus %q: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("read corpus %q: not a folder", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("read corpus %q: %w", dir, err)
	}
	defer root.Close()
	return load(root.FS(), dir, MaxFileSize, prior)
}

// Reused is how many of c's documents were cut as a layout recorded (see
// LoadDirReusing) rather than parsed.
func (c *Corpus) Reused() int { return c.reused }
