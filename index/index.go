// Package index keeps a corpus's passages in a bleve index on disk and
// searches it. It is the only package that imports bleve.
//
// An index lives in a folder of its own under the data folder, next to a
// CURRENT file naming it. Open reuses the index on disk when its fingerprint
// (the corpus fingerprint plus MappingVersion) matches the corpus, and builds
// a new one otherwise: into a fresh folder, which CURRENT is then switched to
// by an atomic rename, after which the old folder is removed. A corrupt
// index, or one written with an older mapping, is rebuilt, never fatal.
//
// User text never reaches bleve's query-string parser: queries are built in
// code from analysed terms.
package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/storybot/storybot/corpus"
)

// MappingVersion changes whenever the mapping or the indexed fields change,
// so that indexes on disk written by an older version are rebuilt.
const MappingVersion = 2

// Field names.
const (
	fieldText  = "text"
	fieldTitle = "title"
	fieldDoc   = "doc"
)

const (
	currentFile = "CURRENT"
	metaFile    = "storybot-meta.json"
	batchSize   = 500
)

// ErrClosed is returned by Search on a closed index.
var ErrClosed = errors.New("index closed")

// Index is an open bleve index of one corpus's passages. It is safe for
// concurrent use.
type Index struct {
	bi       bleve.Index
	dir      string
	meta     meta
	analyzer analysis.Analyzer
	reader   bindex.IndexReader
	// docFreq caches DocFreq: the index does not change once built.
	mu      sync.Mutex
	docFreq map[string]int
	closed  atomic.Bool
}

// meta is written beside the bleve files of every index folder.
type meta struct {
	Fingerprint    string    `json:"fingerprint"`
	MappingVersion int       `json:"mapping_version"`
	Built          time.Time `json:"built"`
	Documents      int       `json:"documents"`
	Passages       int       `json:"passages"`
}

// Stats reports what an index holds.
type Stats struct {
	Dir         string
	Fingerprint string
	Built       time.Time
	Documents   int
	Passages    int
}

// Open returns the index of c kept under dataDir, building it when the one on
// disk is missing, stale or unreadable. Indexes of different corpora (the
// embedded story, a folder) live side by side under dataDir.
func Open(ctx context.Context, dataDir string, c *corpus.Corpus, logger *slog.Logger) (*Index, error) {
	root := corpusRoot(dataDir, c)
	if dir, err := readCurrent(root); err == nil {
		ix, err := openDir(dir)
		switch {
		case err != nil:
			logger.Warn("index on disk is unreadable; rebuilding", "dir", dir, "err", err)
		case ix.meta.MappingVersion != MappingVersion:
			logger.Warn("index on disk has an older mapping; rebuilding", "dir", dir,
				"version", ix.meta.MappingVersion, "want", MappingVersion)
			ix.Close()
		case ix.meta.Fingerprint != c.Fingerprint:
			logger.Info("corpus changed; rebuilding index", "dir", dir)
			ix.Close()
		default:
			return ix, nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		logger.Warn("index pointer is unreadable; rebuilding", "dir", root, "err", err)
	}
	return Build(ctx, dataDir, c, logger)
}

// Build indexes c into a new folder under dataDir, switches to it and removes
// the folders of older builds. If it fails, whatever was in service before
// stays in service.
func Build(ctx context.Context, dataDir string, c *corpus.Corpus, logger *slog.Logger) (*Index, error) {
	root := corpusRoot(dataDir, c)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	dir, err := os.MkdirTemp(root, "idx-")
	if err != nil {
		return nil, fmt.Errorf("create index folder: %w", err)
	}
	ix, err := build(ctx, dir, c)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := writeCurrent(root, dir); err != nil {
		ix.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	removeStale(root, dir, logger)
	return ix, nil
}

func build(ctx context.Context, dir string, c *corpus.Corpus) (*Index, error) {
	// bleve.New wants to create the folder itself.
	if err := os.Remove(dir); err != nil {
		return nil, fmt.Errorf("prepare index folder: %w", err)
	}
	bi, err := bleve.New(dir, newMapping())
	if err != nil {
		return nil, fmt.Errorf("create index %q: %w", dir, err)
	}
	batch := bi.NewBatch()
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		if err := bi.Batch(batch); err != nil {
			return fmt.Errorf("write index %q: %w", dir, err)
		}
		batch.Reset()
		return nil
	}
	n := 0
	for _, d := range c.Documents {
		for _, p := range d.Passages {
			if err := batch.Index(p.ID, passageDoc{Doc: d.ID, Title: d.Title, Text: p.Text}); err != nil {
				bi.Close()
				return nil, fmt.Errorf("index passage %s: %w", p.ID, err)
			}
			n++
			if batch.Size() >= batchSize {
				if err := ctx.Err(); err != nil {
					bi.Close()
					return nil, fmt.Errorf("build index: %w", err)
				}
				if err := flush(); err != nil {
					bi.Close()
					return nil, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		bi.Close()
		return nil, err
	}
	m := meta{
		Fingerprint:    c.Fingerprint,
		MappingVersion: MappingVersion,
		Built:          time.Now().UTC().Truncate(time.Second),
		Documents:      len(c.Documents),
		Passages:       n,
	}
	if err := writeJSON(filepath.Join(dir, metaFile), m); err != nil {
		bi.Close()
		return nil, fmt.Errorf("write index metadata: %w", err)
	}
	return wrap(bi, dir, m)
}

// openDir opens an index folder written by build.
func openDir(dir string) (*Index, error) {
	var m meta
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return nil, fmt.Errorf("read index metadata: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read index metadata %q: %w", dir, err)
	}
	if m.MappingVersion != MappingVersion {
		return &Index{meta: m, dir: dir}, nil
	}
	bi, err := bleve.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("open index %q: %w", dir, err)
	}
	ix, err := wrap(bi, dir, m)
	if err != nil {
		bi.Close()
		return nil, err
	}
	if got, err := bi.DocCount(); err != nil || int(got) != m.Passages {
		ix.Close()
		return nil, fmt.Errorf("open index %q: holds %d passages, metadata says %d (%v)", dir, got, m.Passages, err)
	}
	return ix, nil
}

func wrap(bi bleve.Index, dir string, m meta) (*Index, error) {
	a := bi.Mapping().AnalyzerNamed(en.AnalyzerName)
	if a == nil {
		return nil, fmt.Errorf("open index %q: no %q analyzer", dir, en.AnalyzerName)
	}
	adv, err := bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("open index %q: %w", dir, err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("open index %q: %w", dir, err)
	}
	return &Index{bi: bi, dir: dir, meta: m, analyzer: a, reader: r, docFreq: map[string]int{}}, nil
}

type passageDoc struct {
	Doc   string `json:"doc"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

func newMapping() mapping.IndexMapping {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = false
	text.IncludeInAll = false
	text.IncludeTermVectors = false

	title := bleve.NewTextFieldMapping()
	title.Analyzer = en.AnalyzerName
	title.Store = false
	title.IncludeInAll = false
	title.IncludeTermVectors = false

	kw := bleve.NewKeywordFieldMapping()
	kw.Analyzer = keyword.Name
	kw.Store = false
	kw.IncludeInAll = false

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldText, text)
	dm.AddFieldMappingsAt(fieldTitle, title)
	dm.AddFieldMappingsAt(fieldDoc, kw)

	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = en.AnalyzerName
	im.StoreDynamic = false
	im.IndexDynamic = false
	// The answer engine re-ranks what the index retrieves sentence by
	// sentence; for that first cut tf-idf finds the answer's passage as
	// often as BM25 or more (bleve's BM25 guesses the average field length
	// from the dictionary size, which misjudges short passages).
	im.ScoringModel = bindex.TFIDFScoring
	return im
}

// Stats reports what the index holds.
func (ix *Index) Stats() Stats {
	return Stats{
		Dir:         ix.dir,
		Fingerprint: ix.meta.Fingerprint,
		Built:       ix.meta.Built,
		Documents:   ix.meta.Documents,
		Passages:    ix.meta.Passages,
	}
}

// Close releases the index. Searches after Close return ErrClosed.
func (ix *Index) Close() error {
	if ix.closed.Swap(true) || ix.bi == nil {
		return nil
	}
	ix.mu.Lock()
	rerr := ix.reader.Close()
	ix.mu.Unlock()
	return errors.Join(rerr, ix.bi.Close())
}

// Token is one analysed word of a text.
type Token struct {
	// Term is the word as indexed: lower-cased and stemmed.
	Term string
	// Start and End are byte offsets of the word in the analysed text.
	Start, End int
	// Position counts words from 1, stop words included, so that adjacent
	// words have adjacent positions.
	Position int
}

// Analyze cuts text into the terms the index holds (stop words dropped,
// words stemmed), with their offsets.
func (ix *Index) Analyze(text string) []Token {
	ts := ix.analyzer.Analyze([]byte(text))
	out := make([]Token, 0, len(ts))
	for _, t := range ts {
		out = append(out, Token{Term: string(t.Term), Start: t.Start, End: t.End, Position: t.Position})
	}
	return out
}

// DocFreq is how many passages hold term (an analysed term): the length of
// its postings list.
func (ix *Index) DocFreq(term string) int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if n, ok := ix.docFreq[term]; ok {
		return n
	}
	if ix.closed.Load() {
		return 0
	}
	tfr, err := ix.reader.TermFieldReader(context.Background(), []byte(term), fieldText, false, false, false)
	if err != nil {
		return 0
	}
	n := int(tfr.Count())
	tfr.Close()
	if len(ix.docFreq) < maxCachedTerms {
		ix.docFreq[term] = n
	}
	return n
}

// maxCachedTerms bounds the DocFreq cache, which questions fill.
const maxCachedTerms = 1 << 16

// NumPassages is how many passages the index holds.
func (ix *Index) NumPassages() int { return ix.meta.Passages }

// Query is a search built from analysed terms; it never goes through a
// query-string parser.
type Query struct {
	// Terms are analysed terms, each with a weight (0 means 1).
	Terms []Term
	// Phrases are runs of analysed terms that score more when they stand
	// together.
	Phrases [][]string
	// Doc, when set, restricts the search to one document.
	Doc string
}

// Term is an analysed term and its weight.
type Term struct {
	Term   string
	Weight float64
}

// Hit is one matching passage.
type Hit struct {
	// ID is the passage ID.
	ID    string
	Score float64
}

// Search returns up to size passages matching q, best first, skipping the
// first from, and how many matched in all.
func (ix *Index) Search(ctx context.Context, q Query, from, size int) ([]Hit, int, error) {
	if ix.closed.Load() {
		return nil, 0, ErrClosed
	}
	bq := ix.toBleve(q)
	if bq == nil {
		return nil, 0, nil
	}
	req := bleve.NewSearchRequestOptions(bq, size, from, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("search index: %w", err)
	}
	hits := make([]Hit, len(res.Hits))
	for i, h := range res.Hits {
		hits[i] = Hit{ID: h.ID, Score: h.Score}
	}
	return hits, int(res.Total), nil
}

func (ix *Index) toBleve(q Query) query.Query {
	var should []query.Query
	for _, t := range q.Terms {
		w := t.Weight
		if w == 0 {
			w = 1
		}
		tq := bleve.NewTermQuery(t.Term)
		tq.SetField(fieldText)
		tq.SetBoost(w)
		should = append(should, tq)
		tt := bleve.NewTermQuery(t.Term)
		tt.SetField(fieldTitle)
		tt.SetBoost(w * 0.3)
		should = append(should, tt)
	}
	for _, p := range q.Phrases {
		if len(p) < 2 {
			continue
		}
		pq := bleve.NewPhraseQuery(p, fieldText)
		pq.SetBoost(float64(len(p)))
		should = append(should, pq)
	}
	if len(should) == 0 {
		return nil
	}
	dq := bleve.NewDisjunctionQuery(should...)
	if q.Doc == "" {
		return dq
	}
	dt := bleve.NewTermQuery(q.Doc)
	dt.SetField(fieldDoc)
	return bleve.NewConjunctionQuery(dq, dt)
}

// corpusRoot is the folder that holds the indexes of one corpus: the
// embedded story and every corpus folder each get their own.
func corpusRoot(dataDir string, c *corpus.Corpus) string {
	name := c.Name
	if fi, err := os.Stat(name); err == nil && fi.IsDir() {
		if abs, err := filepath.Abs(name); err == nil {
			name = abs
		}
	}
	sum := sha256.Sum256([]byte(name))
	return filepath.Join(dataDir, "indexes", slug(filepath.Base(name))+"-"+hex.EncodeToString(sum[:4]))
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		if ok {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 40 {
		out = out[:40]
	}
	if out == "" {
		out = "corpus"
	}
	return out
}

func readCurrent(root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, currentFile))
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(string(b))
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", fmt.Errorf("read %s: bad folder name %q", currentFile, name)
	}
	return filepath.Join(root, name), nil
}

// writeCurrent points CURRENT at dir with an atomic rename.
func writeCurrent(root, dir string) error {
	tmp, err := os.CreateTemp(root, currentFile+".tmp-")
	if err != nil {
		return fmt.Errorf("switch index: %w", err)
	}
	_, werr := tmp.WriteString(filepath.Base(dir) + "\n")
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("switch index: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(root, currentFile)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("switch index: %w", err)
	}
	return nil
}

// removeStale deletes every index folder under root but keep.
func removeStale(root, keep string, logger *slog.Logger) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(root, e.Name())
		if p == keep || !strings.HasPrefix(e.Name(), "idx-") && !strings.HasPrefix(e.Name(), currentFile+".tmp-") {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			logger.Warn("remove old index", "dir", p, "err", err)
		}
	}
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
