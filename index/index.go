// Package index keeps a corpus's passages in a bleve index on disk and
// searches it. It is the only package that imports bleve.
//
// An index lives in a folder of its own under the data folder, next to a
// CURRENT file naming it. Open reuses the index on disk when its fingerprint
// (the corpus fingerprint plus MappingVersion) matches the corpus, and builds
// a new one otherwise: into a fresh folder, which CURRENT is then switched to
// by an atomic rename, after which old folders no process uses are removed.
// Building and switching take a lock of our own on the data folder (flock);
// finished indexes are opened read-only, so any number of processes, on a
// shared or read-only volume too, can use one at once (see store.go).
//
// A damaged index, or one written with an older mapping, is rebuilt, never
// fatal: at open, where segment checksums are verified and bleve's panics
// recovered, and in service, where a search that finds damage returns an
// error wrapping ErrCorrupt while the Index rebuilds itself.
//
// Beside bleve's files, each index folder holds what the answer engine's
// ranker reads of every sentence and document, computed once at build time
// and read memory-mapped (see analysis.go): the stemmed terms of each
// sentence with their offsets, each document's sentence counts of each
// term, and the vocabulary of the passages' words; and the corpus's layout
// (corpus.Corpus.Layout), with which OpenCorpus reads the corpus at the next
// start without parsing the files that have not changed.
//
// User text never reaches bleve's query-string parser: queries are built in
// code from analysed terms.
package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/storybot/storybot/corpus"
)

// MappingVersion changes whenever the mapping, the indexed fields or what is
// stored of every sentence change, so that indexes on disk written by an
// older version are rebuilt.
const MappingVersion = 6

// Field names.
const (
	fieldText = "text"
	fieldDoc  = "doc"
)

// batchSize is how many passages go to bleve in one batch.
const batchSize = 500

// ErrClosed is returned by Search on a closed index.
var ErrClosed = errors.New("index closed")

// Index is an open index of one corpus's passages. It is safe for concurrent
// use. When a search finds the index on disk damaged, the Index rebuilds it
// from the corpus it was opened with and switches to the new one by itself.
type Index struct {
	store    *store
	corpus   *corpus.Corpus
	logger   *slog.Logger
	analyzer analysis.Analyzer
	// tokenizer and words, when the analyzer is a tokenizer and token
	// filters, are what Analyze runs instead of it: the filters' terms of
	// words analysed before are kept.
	tokenizer analysis.Tokenizer
	words     *wordTerms
	// asciiWords is set when the tokenizer is bleve's unicode tokenizer,
	// whose words of an ASCII text eachASCIIWord finds.
	asciiWords bool
	titles     titles

	// cur is the bleve index in service; healing is set while a rebuild
	// of a damaged one runs.
	cur     atomic.Pointer[handle]
	healing atomic.Bool

	// mu orders closing and starting the rebuild goroutine, which ctx
	// stops and wg waits for.
	mu     sync.Mutex
	closed atomic.Bool
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// handle is one open bleve index folder.
type handle struct {
	bi     bleve.Index
	reader bindex.IndexReader
	dir    string
	meta   meta
	// inUse holds a shared lock on the folder's metadata file, which keeps
	// other processes from removing the folder.
	inUse *os.File

	// rw is held shared by every call into bleve and exclusively to close.
	rw     sync.RWMutex
	closed bool

	// terms caches what DocFreq and TermIDs find of each term asked
	// about: the index does not change once built. Searches at once read
	// it under mu shared.
	mu    sync.RWMutex
	terms map[string]termFacts

	// an is what the ranker reads of every sentence and document.
	an *analyses
	// corpus is the corpus the index was built from, which numbers the
	// passages of hits (see Hit.N).
	corpus *corpus.Corpus

	// matches holds the pools of matches searches made (each a
	// *search.DocumentMatchPool), for the next searches to reuse.
	matches sync.Pool
	// held holds the buffers of matches searches held (each a *[]match),
	// for the next searches to reuse.
	held sync.Pool

	// docs reads, the first time a search needs it, the document of
	// every passage.
	docs func() (*docTable, error)

	// segs reads the postings of the reader's segments for the searches
	// of terms that score them without bleve's searchers (see topTerms);
	// nil when the reader is not scorch's.
	segs *segmentPostings
}

// errHandleClosed: the handle was switched away from and closed; try the
// one in service.
var errHandleClosed = errors.New("index handle closed")

func newHandle(bi bleve.Index, dir string, m meta, inUse *os.File, an *analyses, c *corpus.Corpus) (*handle, error) {
	var r bindex.IndexReader
	err := guard(func() error {
		adv, err := bi.Advanced()
		if err != nil {
			return err
		}
		r, err = adv.Reader()
		if err != nil {
			return err
		}
		n, err := bi.DocCount()
		if err != nil {
			r.Close()
			return err
		}
		if int(n) != m.Passages {
			r.Close()
			return fmt.Errorf("%w: holds %d passages, metadata says %d", ErrCorrupt, n, m.Passages)
		}
		return nil
	})
	if err != nil {
		return nil, corruptf(err, "read %s", dir)
	}
	h := &handle{bi: bi, reader: r, dir: dir, meta: m, inUse: inUse, terms: map[string]termFacts{}, an: an, corpus: c}
	err = guard(func() error {
		n, err := r.DocCount()
		if err == nil {
			h.segs = newSegmentPostings(r, n)
		}
		return err
	})
	if err != nil {
		r.Close()
		return nil, corruptf(err, "read %s", dir)
	}
	h.docs = sync.OnceValues(func() (*docTable, error) { return readDocTable(context.Background(), r) })
	return h, nil
}

// call runs f on the open bleve index, turning a panic into ErrCorrupt.
func (h *handle) call(f func() error) error {
	h.rw.RLock()
	defer h.rw.RUnlock()
	if h.closed {
		return errHandleClosed
	}
	return guard(f)
}

func (h *handle) close() error {
	h.rw.Lock()
	defer h.rw.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	err := guard(func() error { return errors.Join(h.reader.Close(), h.bi.Close()) })
	return errors.Join(err, h.an.close(), h.inUse.Close())
}

// meta is written beside the bleve files of every index folder.
type meta struct {
	Fingerprint    string    `json:"fingerprint"`
	MappingVersion int       `json:"mapping_version"`
	Built          time.Time `json:"built"`
	Documents      int       `json:"documents"`
	Passages       int       `json:"passages"`
	// Hashes maps each document's ID to its corpus.Document.Hash, so that
	// a later build can say which documents changed.
	Hashes map[string]string `json:"hashes,omitempty"`
}

// Stats reports what an index holds.
type Stats struct {
	Dir         string
	Fingerprint string
	Built       time.Time
	Documents   int
	Passages    int
	// Hashes maps each document's ID to its corpus.Document.Hash, as
	// built; nil for an index built before they were recorded.
	Hashes map[string]string
}

// Open returns the index of c kept under dataDir, building it when the one on
// disk is missing, stale or damaged. Indexes of different corpora (the
// embedded story, a folder) live side by side under dataDir.
//
// An index on disk is opened read-only, without the data folder's lock, so
// any number of processes can use it at once, and a read-only data folder is
// served as it is. Building takes the lock; a process finding it taken waits
// (up to opts.LockTimeout), then uses what the other one built.
func Open(ctx context.Context, dataDir string, c *corpus.Corpus, logger *slog.Logger, opts Options) (*Index, error) {
	s := newStore(dataDir, c, logger, opts)
	h, err := s.openCurrent(c)
	if err == nil {
		s.tidy()
		return newIndex(s, c, h), nil
	}
	why := err
	logUnused(logger, s.root, why)
	h, err = s.rebuild(ctx, c, false, "", opts.Progress)
	if errors.Is(err, ErrReadOnly) {
		return nil, fmt.Errorf("%w; it holds no usable index of this corpus (%v)", err, why)
	}
	if err != nil {
		return nil, err
	}
	return newIndex(s, c, h), nil
}

// Build indexes c into a new folder under dataDir, switches to it and removes
// the folders of older builds no process uses. If it fails, whatever was in
// service before stays in service.
func Build(ctx context.Context, dataDir string, c *corpus.Corpus, logger *slog.Logger, opts Options) (*Index, error) {
	s := newStore(dataDir, c, logger, opts)
	h, err := s.rebuild(ctx, c, true, "", opts.Progress)
	if err != nil {
		return nil, err
	}
	return newIndex(s, c, h), nil
}

func newIndex(s *store, c *corpus.Corpus, h *handle) *Index {
	ctx, cancel := context.WithCancel(context.Background())
	a := newMapping().AnalyzerNamed(en.AnalyzerName)
	ix := &Index{
		store:    s,
		corpus:   c,
		logger:   s.logger,
		analyzer: a,
		titles:   newTitles(c, a),
		ctx:      ctx,
		cancel:   cancel,
	}
	if da, ok := a.(*analysis.DefaultAnalyzer); ok && da.CharFilters == nil {
		ix.tokenizer, ix.words = da.Tokenizer, newWordTerms(da.TokenFilters)
		_, ix.asciiWords = da.Tokenizer.(*unicodetok.UnicodeTokenizer)
	}
	ix.cur.Store(h)
	return ix
}

// logUnused says why the index on disk is not used.
func logUnused(logger *slog.Logger, root string, why error) {
	switch {
	case errors.Is(why, errNoIndex):
		logger.Info("building index", "dir", root)
	case errors.Is(why, errChanged):
		logger.Info("corpus changed; rebuilding index", "dir", root)
	case errors.Is(why, errOldMapping):
		logger.Warn("index on disk has an older mapping; rebuilding", "dir", root, "err", why)
	default:
		logger.Warn("index on disk is unusable; rebuilding", "dir", root, "err", why)
	}
}

// rebuild builds c's index under the data folder's lock and switches to it.
// Unless force, it first looks again at what CURRENT names, which another
// process may have built while this one waited for the lock, and uses that
// if it is sound and not the folder bad. progress, if not nil, is told how
// the build goes.
func (s *store) rebuild(ctx context.Context, c *corpus.Corpus, force bool, bad string, progress func(Progress)) (*handle, error) {
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if !force {
		h, err := s.openCurrent(c)
		if err == nil && h.dir != bad {
			s.removeStale()
			return h, nil
		}
		if h != nil {
			h.close()
		}
	}
	// What killed builds left, and old folders no longer in use.
	s.removeStale()
	dir, err := os.MkdirTemp(s.root, folderGlob)
	if err != nil {
		return nil, fmt.Errorf("create index folder: %w", err)
	}
	h, err := s.buildDir(ctx, dir, c, progress)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := writeCurrent(s.root, dir); err != nil {
		h.close()
		os.RemoveAll(dir)
		return nil, err
	}
	s.removeStale()
	return h, nil
}

// buildDir writes c's index into dir and opens it read-only.
func (s *store) buildDir(ctx context.Context, dir string, c *corpus.Corpus, progress func(Progress)) (*handle, error) {
	if err := build(ctx, dir, c, progress); err != nil {
		return nil, err
	}
	h, err := s.openDir(dir, c, false)
	if err != nil {
		return nil, fmt.Errorf("check the new index: %w", err)
	}
	return h, nil
}

// build writes c's index into dir, in one segment, and closes it.
func build(ctx context.Context, dir string, c *corpus.Corpus, progress func(Progress)) error {
	return write(ctx, dir, c, progress, true)
}

// write writes c's index into dir and closes it, in the segments bleve
// wrote it in, merged into one if merge is set.
func write(ctx context.Context, dir string, c *corpus.Corpus, progress func(Progress), merge bool) error {
	// bleve.New wants to create the folder itself.
	if err := os.Remove(dir); err != nil {
		return fmt.Errorf("prepare index folder: %w", err)
	}
	im := newMapping()
	bi, err := bleve.New(dir, im)
	if err != nil {
		return fmt.Errorf("create index %s: %w", dir, err)
	}
	n, err := indexPassages(ctx, bi, c, filepath.Join(dir, analysisFile), progress)
	if err == nil && merge {
		err = mergeSegments(ctx, bi, mergeLimit)
	}
	if cerr := bi.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write index %s: %w", dir, cerr)
	}
	if err == nil {
		err = removeStaleSegments(dir)
	}
	if err != nil {
		return err
	}
	m := meta{
		Fingerprint:    c.Fingerprint,
		MappingVersion: MappingVersion,
		Built:          time.Now().UTC().Truncate(time.Second),
		Documents:      len(c.Documents),
		Passages:       n,
		Hashes:         make(map[string]string, len(c.Documents)),
	}
	for _, d := range c.Documents {
		m.Hashes[d.ID] = d.Hash()
	}
	if err := os.WriteFile(filepath.Join(dir, layoutFile), c.Layout(), 0o644); err != nil {
		return fmt.Errorf("write corpus layout: %w", err)
	}
	// Written last: a folder with metadata is a finished index.
	if err := writeJSON(filepath.Join(dir, metaFile), m); err != nil {
		return fmt.Errorf("write index metadata: %w", err)
	}
	return nil
}

// mergeSegments merges the segments bleve wrote bi's passages into, as it
// went, into one. Every search opens each term's postings in every
// segment, so one segment makes every search cheaper, for the life of an
// index that never changes once built.
//
// A merge that takes longer than limit is given up, and the index is left
// in the segments it has, which answer alike, only slower: bleve retries a
// merge that fails until it succeeds, and a lasting error of the disk
// would otherwise hold the build for ever.
func mergeSegments(ctx context.Context, bi bleve.Index, limit time.Duration) error {
	adv, err := bi.Advanced()
	if err != nil {
		return fmt.Errorf("merge index segments: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	// All segments in one merge, however many a large corpus made (the
	// single-segment plan merges ten at a time, which leaves more than one).
	plan := mergeplan.SingleSegmentMergePlanOptions
	plan.SegmentsPerMergeTask = maxMergeSegments
	mctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for round := 0; ; round++ {
		n, err := segments(sc)
		if err != nil {
			return err
		}
		if n <= 1 || round == maxMergeRounds {
			break
		}
		if err := sc.ForceMerge(mctx, &plan); err != nil {
			return fmt.Errorf("merge index segments: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("merge index segments: %w", err)
		}
		if mctx.Err() != nil {
			break
		}
	}
	return persist(bi)
}

// persist returns once what bi holds now is on disk: bleve persists a
// merge's segment in the background, and Close does not wait for it, but
// a batch, even one that changes nothing, waits until the index with it
// is on disk.
func persist(bi bleve.Index) error {
	if err := bi.DeleteInternal([]byte(persistedKey)); err != nil {
		return fmt.Errorf("write merged index segments: %w", err)
	}
	return nil
}

// persistedKey is the key of the internal value persist deletes: no
// index holds one.
const persistedKey = "storybot-persisted"

// maxMergeSegments is more segments than the builds of any corpus one
// machine serves write; maxMergeRounds bounds the merges mergeSegments
// asks for, should one leave more than a segment.
const (
	maxMergeSegments = 1 << 10
	maxMergeRounds   = 4
)

// mergeLimit bounds the merge of a build's segments: ten million words
// merge in seconds.
const mergeLimit = 10 * time.Minute

// segments is how many segments sc's index is in now.
func segments(sc *scorch.Scorch) (int, error) {
	r, err := sc.Reader()
	if err != nil {
		return 0, fmt.Errorf("read index segments: %w", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, nil
	}
	return len(snap.Segments()), nil
}

// removeStaleSegments removes the segment files of the closed index in dir
// that its snapshot on disk does not use. bleve removes the files a merge
// made obsolete in the background, after the merged segment is persisted,
// and a Close that comes first leaves them there for good: a built index
// is never written again. What the snapshot uses is read by opening the
// index read-only, as it is served, which loads the newest snapshot on
// disk and merges nothing.
func removeStaleSegments(dir string) error {
	bi, err := bleve.OpenUsing(dir, map[string]any{"read_only": true, "bolt_timeout": boltTimeout})
	if err != nil {
		return fmt.Errorf("read index segments: %w", err)
	}
	live, err := liveSegmentFiles(bi)
	if cerr := bi.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("read index segments: %w", cerr)
	}
	if err != nil || live == nil {
		return err
	}
	store := filepath.Join(dir, "store")
	entries, err := os.ReadDir(store)
	if err != nil {
		return fmt.Errorf("read index segments: %w", err)
	}
	for _, e := range entries {
		if name := e.Name(); filepath.Ext(name) == ".zap" && !live[name] {
			if err := os.Remove(filepath.Join(store, name)); err != nil {
				return fmt.Errorf("remove merged index segment: %w", err)
			}
		}
	}
	return nil
}

// liveSegmentFiles returns the names of the files that hold bi's segments,
// or nil when a segment is not in a file of its own.
func liveSegmentFiles(bi bleve.Index) (map[string]bool, error) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("read index segments: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, nil
	}
	r, err := sc.Reader()
	if err != nil {
		return nil, fmt.Errorf("read index segments: %w", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil
	}
	live := make(map[string]bool, len(snap.Segments()))
	for _, s := range snap.Segments() {
		ps, ok := s.Segment().(segment.PersistedSegment)
		if !ok {
			return nil, nil
		}
		live[filepath.Base(ps.Path())] = true
	}
	return live, nil
}

// analysed is one passage and the tokens of its text.
type analysed struct {
	p    *corpus.Passage
	toks analysis.TokenStream
	// doc is the index of the passage's document when it is the
	// document's last passage, else -1.
	doc int
}

// indexPassages writes every passage of c to bi, and its sentences'
// analyses to the file analyses. Each passage's text is analysed once, for
// both, on a goroutine of its own which also gathers the sentences'
// analyses, a batch ahead of bleve, which meanwhile builds the segment of
// the batch before; that goroutine writes the analyses once it has sent the
// last batch, while bleve writes the last segments.
func indexPassages(ctx context.Context, bi bleve.Index, c *corpus.Corpus, analyses string, progress func(Progress)) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("index passages: %w", err)
	}
	an, err := newAnalysisBuilder(filepath.Dir(analyses), c)
	if err != nil {
		return 0, err
	}
	defer an.close()
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []analysed)
	var aerr error // the analysing goroutine's, read once it is done
	var wg sync.WaitGroup
	wg.Go(func() {
		aerr = analysePassages(actx, c, an, batches)
		close(batches)
		if aerr == nil {
			aerr = an.finish(analyses)
		}
	})
	n, err := writeBatches(ctx, bi, c, batches, progress)
	cancel()
	wg.Wait()
	if aerr != nil && !errors.Is(aerr, context.Canceled) {
		return 0, aerr
	}
	return n, err
}

// analysePassages analyses the text of every passage of c, adds its
// sentences to an, and sends the passages on in batches of batchSize.
func analysePassages(ctx context.Context, c *corpus.Corpus, an *analysisBuilder, batches chan<- []analysed) error {
	analyzer := newMapping().AnalyzerNamed(en.AnalyzerName)
	send := func(batch []analysed) error {
		select {
		case batches <- batch:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	batch := make([]analysed, 0, batchSize)
	for i, d := range c.Documents {
		an.startDocument()
		for j, p := range d.Passages {
			toks := analyzer.Analyze([]byte(p.Text))
			if err := an.addPassage(p, toks, analyzer); err != nil {
				return err
			}
			last := -1
			if j == len(d.Passages)-1 {
				last = i
			}
			batch = append(batch, analysed{p: p, toks: toks, doc: last})
			if len(batch) == batchSize {
				if err := send(batch); err != nil {
					return err
				}
				batch = make([]analysed, 0, batchSize)
			}
		}
		if err := an.endDocument(); err != nil {
			return err
		}
	}
	if len(batch) > 0 {
		return send(batch)
	}
	return nil
}

// writeBatches indexes the batches of analysed passages as they come.
func writeBatches(ctx context.Context, bi bleve.Index, c *corpus.Corpus, batches <-chan []analysed, progress func(Progress)) (int, error) {
	report := newReporter(progress, len(c.Documents), c.NumPassages())
	n, docs := 0, 0
	for items := range batches {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("index passages: %w", err)
		}
		batch := bi.NewBatch()
		for i, it := range items {
			if err := batch.IndexAdvanced(passageDocument(it.p, it.toks)); err != nil {
				return 0, fmt.Errorf("index passage %s: %w", it.p.ID, err)
			}
			items[i].toks = nil // bleve's, from now on
			n++
			if it.doc >= 0 {
				docs = it.doc + 1
				report.documentDone(docs, n)
			}
		}
		if err := bi.Batch(batch); err != nil {
			return 0, fmt.Errorf("write index: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("index passages: %w", err)
	}
	if docs != len(c.Documents) || n != c.NumPassages() {
		return 0, fmt.Errorf("index passages: wrote %d of %d documents", docs, len(c.Documents))
	}
	report.done(n)
	return n, nil
}

// passageDocument is what bleve indexes of passage p, whose text is
// analysed into toks already: its text and its document's ID, the fields
// of the mapping (newMapping), which bleve would analyse again. The
// document's title is not among them: see titles.
func passageDocument(p *corpus.Passage, toks analysis.TokenStream) *document.Document {
	doc := document.NewDocument(p.ID)
	doc.AddField(document.NewTextFieldCustom(fieldText, nil, []byte(p.Text), bindex.IndexField, &given{toks}))
	doc.AddField(document.NewTextFieldCustom(fieldDoc, nil, []byte(p.Doc.ID), bindex.IndexField, &given{analysis.TokenStream{{
		Term: []byte(p.Doc.ID), Start: 0, End: len(p.Doc.ID), Position: 1, Type: analysis.AlphaNumeric}}}))
	doc.SetIndexed()
	return doc
}

// given is an analyzer that gives tokens analysed already, whatever it is
// asked to analyse, once: then it lets them go, so that they are garbage
// once bleve has counted them, not once it has written the segment.
type given struct{ toks analysis.TokenStream }

func (g *given) Analyze([]byte) analysis.TokenStream {
	toks := g.toks
	g.toks = nil
	return toks
}

// damaged reports damage found in h while serving, and starts rebuilding the
// index unless that is under way or the Index is closed.
func (ix *Index) damaged(h *handle, err error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed.Load() || !ix.healing.CompareAndSwap(false, true) {
		return
	}
	ix.logger.Error("index is damaged; rebuilding it", "dir", h.dir, "err", err)
	ix.wg.Add(1)
	go ix.heal(h)
}

// heal rebuilds the index in place of the damaged bad and switches to it.
func (ix *Index) heal(bad *handle) {
	defer ix.wg.Done()
	defer ix.healing.Store(false)
	h, err := ix.store.rebuild(ix.ctx, ix.corpus, false, bad.dir, nil)
	if err != nil {
		ix.logger.Error("rebuild damaged index", "dir", bad.dir, "err", err)
		return
	}
	old := ix.cur.Swap(h)
	if err := old.close(); err != nil {
		ix.logger.Warn("close damaged index", "dir", old.dir, "err", err)
	}
	ix.store.tidy()
	ix.logger.Info("rebuilt damaged index", "dir", h.dir)
}

// with runs f on the bleve index in service, and reports what f found wrong
// with it.
func (ix *Index) with(ctx context.Context, what string, f func(h *handle) error) error {
	for {
		if ix.closed.Load() {
			return ErrClosed
		}
		if ix.healing.Load() {
			return fmt.Errorf("%s: %w", what, errRebuilding)
		}
		h := ix.cur.Load()
		err := h.call(func() error { return f(h) })
		switch {
		case err == nil:
			return nil
		case errors.Is(err, errHandleClosed):
			continue // switched meanwhile
		case ctx.Err() != nil:
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
		ix.damaged(h, err)
		return fmt.Errorf("%s %s (rebuilding it): %w", what, h.dir, err)
	}
}

func newMapping() mapping.IndexMapping {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = false
	text.IncludeInAll = false
	text.IncludeTermVectors = false
	text.DocValues = false

	kw := bleve.NewKeywordFieldMapping()
	kw.Analyzer = keyword.Name
	kw.Store = false
	kw.IncludeInAll = false
	kw.DocValues = false

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldText, text)
	dm.AddFieldMappingsAt(fieldDoc, kw)
	// No search reads the composite "_all" field bleve adds to every
	// document, nor any field's doc values (searches sort by score, and by
	// ID only on a tie): building them is a fifth of the build's work.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

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
	h := ix.cur.Load()
	return h.meta.stats(h.dir)
}

func (m meta) stats(dir string) Stats {
	return Stats{
		Dir:         dir,
		Fingerprint: m.Fingerprint,
		Built:       m.Built,
		Documents:   m.Documents,
		Passages:    m.Passages,
		Hashes:      m.Hashes,
	}
}

// Close releases the index, waiting for a rebuild under way to stop.
// Searches after Close return ErrClosed.
func (ix *Index) Close() error {
	ix.mu.Lock()
	if ix.closed.Swap(true) {
		ix.mu.Unlock()
		return nil
	}
	ix.mu.Unlock()
	ix.cancel()
	ix.wg.Wait()
	h := ix.cur.Load()
	err := h.close()
	if !ix.store.isCurrent(h.dir) {
		// Switched away from by another process: remove it if it was the
		// last user.
		ix.store.tidy()
	}
	return err
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
	if ix.words != nil && ix.asciiWords && isASCII(text) {
		// The words are cut out first, then looked up in the cache of
		// words' terms at once, a batch of them at a time.
		var cutBuf [wordBatch]cutWord
		cut := cutBuf[:0]
		eachASCIIWord(text, func(start, end int, typ analysis.TokenType) {
			cut = append(cut, cutWord{start, end, typ})
		})
		out := make([]Token, 0, len(cut))
		var terms [wordBatch]wordTerm
		for from := 0; from < len(cut); from += wordBatch {
			batch := cut[from:min(from+wordBatch, len(cut))]
			ix.words.ofAll(text, batch, terms[:len(batch)])
			for i, c := range batch {
				if wt := terms[i]; wt.kept {
					out = append(out, Token{Term: wt.term, Start: c.start, End: c.end, Position: from + i + 1})
				}
			}
		}
		return out
	}
	if ix.words != nil {
		ts := ix.tokenizer.Tokenize([]byte(text))
		out := make([]Token, 0, len(ts))
		for _, t := range ts {
			if wt := ix.words.of(string(t.Term), t.Type); wt.kept {
				out = append(out, Token{Term: wt.term, Start: t.Start, End: t.End, Position: t.Position})
			}
		}
		return out
	}
	ts := ix.analyzer.Analyze([]byte(text))
	out := make([]Token, 0, len(ts))
	for _, t := range ts {
		out = append(out, Token{Term: string(t.Term), Start: t.Start, End: t.End, Position: t.Position})
	}
	return out
}

// DocFreq is how many passages hold term (an analysed term): the length of
// its postings list. It is 0 when the index cannot tell (closed, damaged).
func (ix *Index) DocFreq(term string) int {
	n := 0
	ix.with(context.Background(), "count term", func(h *handle) (err error) {
		n, err = h.docFreqOf(term)
		return err
	})
	return n
}

// docFreqs appends to dfs the DocFreq of each of terms, under one look at
// the index in service, and returns it.
func (ix *Index) docFreqs(terms []Term, dfs []int) []int {
	from := len(dfs)
	err := ix.with(context.Background(), "count terms", func(h *handle) error {
		// The counts kept are read first, under one lock, the lookups
		// waiting on memory together; then the others are counted, -1
		// standing for them meanwhile.
		dfs = dfs[:from]
		h.mu.RLock()
		for _, t := range terms {
			n := t.DocFreq
			if n <= 0 {
				n = -1
				if f, ok := h.terms[t.Term]; ok {
					n = f.passages
				}
			}
			dfs = append(dfs, n)
		}
		h.mu.RUnlock()
		for i, t := range terms {
			if dfs[from+i] >= 0 {
				continue
			}
			n, err := h.docFreqOf(t.Term)
			if err != nil {
				return err
			}
			dfs[from+i] = n
		}
		return nil
	})
	if err != nil {
		// As DocFreq, 0 for the terms the index could not count.
		for len(dfs) < from+len(terms) {
			dfs = append(dfs, 0)
		}
	}
	return dfs
}

// termFacts are what the index tells of a term: how many passages hold it
// (DocFreq), and its ID in the stored analyses, NoTerm when they lack it
// (TermIDs). A question's terms are counted first and their IDs looked up
// next: found together, the second look finds them in one place.
type termFacts struct {
	passages int
	id       TermID
}

// docFreqOf is DocFreq on the bleve index of h, kept in h.terms.
func (h *handle) docFreqOf(term string) (int, error) {
	h.mu.RLock()
	f, ok := h.terms[term]
	h.mu.RUnlock()
	if ok {
		return f.passages, nil
	}
	tfr, err := h.reader.TermFieldReader(context.Background(), []byte(term), fieldText, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	f = termFacts{passages: int(tfr.Count()), id: NoTerm}
	tfr.Close()
	if id, ok := h.an.termID(term); ok {
		f.id = id
	}
	h.mu.Lock()
	if len(h.terms) < maxCachedTerms {
		h.terms[term] = f
	}
	h.mu.Unlock()
	return f.passages, nil
}

// maxCachedTerms bounds the DocFreq cache, which questions fill.
const maxCachedTerms = 1 << 16

// NumPassages is how many passages the index holds.
func (ix *Index) NumPassages() int { return ix.cur.Load().meta.Passages }

// Query is a search built from analysed terms; it never goes through a
// query-string parser.
type Query struct {
	// Terms are analysed terms, each with a weight (0 means 1).
	Terms []Term
	// Doc, when set, restricts the search to one document.
	Doc string
	// All, when set, matches only the passages that hold every term, not
	// any of them.
	All bool
}

// Term is an analysed term and its weight.
type Term struct {
	Term   string
	Weight float64
	// Group, when above 0, says which word of the question the term
	// stands for: the terms of one group (a word's forms, its synonyms)
	// count as one in the share of the query's terms a passage holds, so
	// that a passage holding a word and its synonym, or the three words of
	// a name the question writes as one, does not count as holding three
	// of the question's words. Every term of group 0 counts on its own,
	// and so does every term of a query of all its terms or within one
	// document (Query.All, Query.Doc), which bleve's searchers score.
	Group int
	// DocFreq, when above 0, is the term's DocFreq as the caller found
	// it, which the index then does not count again.
	DocFreq int
}

// Hit is one matching passage.
type Hit struct {
	// ID is the passage ID.
	ID string
	// N is the passage's number in the corpus the index was opened with
	// (see corpus.Corpus.Number), -1 when the corpus has no passage of
	// that ID.
	N     int
	Score float64
}

func (t Term) weight() float64 {
	if t.Weight == 0 {
		return 1
	}
	return t.Weight
}

// Search returns up to size passages matching q, best first, skipping the
// first from, and how many matched in all. An error wrapping ErrCorrupt
// says the index is damaged; it is being rebuilt.
//
// A passage matches when its text holds a term of q (every term, for q.All),
// leaving out common terms while q has rarer ones (see commonShare); the
// title of its document, when that holds some of q's terms, raises its
// score (see titleWeight). Passages that score the same come in ID order.
func (ix *Index) Search(ctx context.Context, q Query, from, size int) ([]Hit, int, error) {
	return ix.searchBy(ctx, q, from, size, (*handle).topQuery)
}

// searchBy is Search, with top reading the matches of the query on the
// handle in service.
func (ix *Index) searchBy(ctx context.Context, q Query, from, size int, top topFunc) ([]Hit, int, error) {
	tq := ix.telling(q)
	if len(tq.Terms) == 0 {
		if ix.closed.Load() {
			return nil, 0, ErrClosed
		}
		return nil, 0, nil
	}
	from, size = max(from, 0), max(size, 0)
	n := from + size
	var boost map[string]float64
	if q.Doc == "" {
		boost = ix.titles.boosts(q.Terms)
	}
	hits, total, err := ix.search(ctx, n, boost, func(ctx context.Context, h *handle, n int, r raise) ([]Hit, int, error) {
		return top(h, ctx, tq, n, r)
	})
	if err != nil {
		return nil, 0, err
	}
	if from >= len(hits) {
		return nil, total, nil
	}
	return hits[from:], total, nil
}

// topFunc returns the n best passages of q on h, raised by r, best first,
// and how many match in all.
type topFunc func(h *handle, ctx context.Context, q Query, n int, r raise) ([]Hit, int, error)

// topQuery is topFunc for every query: a query of any of its terms over
// the whole corpus is scored from the postings (topTerms); one of all its
// terms, or within one document, through bleve's searchers (topBleve),
// as is every query on a reader that is not scorch's.
func (h *handle) topQuery(ctx context.Context, q Query, n int, r raise) ([]Hit, int, error) {
	if h.segs == nil || q.All || q.Doc != "" {
		return h.topBleve(ctx, q, n, r)
	}
	return h.topTerms(ctx, q.Terms, n, r)
}

// topBleve is topFunc through bleve's searchers.
func (h *handle) topBleve(ctx context.Context, q Query, n int, r raise) ([]Hit, int, error) {
	return h.top(ctx, within(textQuery(q), []string{q.Doc}), n, r)
}

// searchQuery runs bq for its n best passages through bleve's searchers
// (see search).
func (ix *Index) searchQuery(ctx context.Context, bq query.Query, n int, boost map[string]float64) ([]Hit, int, error) {
	return ix.search(ctx, n, boost, func(ctx context.Context, h *handle, n int, r raise) ([]Hit, int, error) {
		return h.top(ctx, bq, n, r)
	})
}

// search runs top for its n best passages, best first, those that score
// the same in ID order (so any build of a corpus answers alike), and how
// many match in all (see handle.top). The score of each passage of a
// document boost names is multiplied by the document's factor before the
// best are chosen.
func (ix *Index) search(ctx context.Context, n int, boost map[string]float64, top func(ctx context.Context, h *handle, n int, r raise) ([]Hit, int, error)) ([]Hit, int, error) {
	var (
		hits  []Hit
		total int
	)
	err := ix.with(ctx, "search index", func(h *handle) (err error) {
		var r raise
		if boost != nil {
			docs, err := h.docs()
			if err != nil {
				return fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
			r = docs.raiseBy(boost)
		}
		hits, total, err = top(ctx, h, n, r)
		if err != nil && !errors.Is(err, ErrCorrupt) && ctx.Err() == nil {
			// A search built in code fails only on what it reads.
			err = fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		return err
	})
	return hits, total, err
}

// commonShare is the share of the passages above which a term of a
// question says too little of which passage answers to be searched for,
// while the question has rarer terms: left out, the search reads far fewer
// postings and matches far fewer passages, and the passages it finds are
// those the rarer terms pick out, which the common ones would have ranked
// first anyway.
//
// A corpus of a few long documents holds terms between the two: a tale's
// hero, or "king" and "daughter" in a book of fairy tales, stand in one
// passage in ten to one in five, and left out they let passages of other
// tales that hold only the question's rarest word crowd the ones that
// answer out of the passages ranked. Over fairytale-val's 1058 passages,
// the passage that answers is among the first 30 retrieved for 482 of its
// 593 questions at 0.1, 489 at 0.12, 494 at 0.15, 0.2 and with no term
// left out. With the ranker refitted, 0.2 answers 330 rather than 328 and
// cites 423 rather than 419 among the first three (but answers 2 fewer of
// the story's paraphrases); beside FeatCarried and FeatFollows, 332 rather
// than 330 and 425 rather than 418, xquad one more, every other set as it
// was; 0.15 answered one paraphrase fewer. Answers over the fairy tales
// take longer (6 alternated runs, benchstat): from 1.55 to 1.67 times
// plain bleve's time (1.64 at 0.15); over the benchmark's million words,
// no longer measurably; xquad's corpus and the story are too small for
// commonShare to apply.
const commonShare = 0.2

// minCommonPassages is how many passages a corpus needs for commonShare to
// apply: in a smaller one every posting costs little to read, and a term in
// a tenth of the passages (two of the embedded story's seventeen) still
// tells them apart.
const minCommonPassages = 1000

// telling is q without the terms the corpus never uses, and without its
// common terms (see commonShare), unless those are all it has, or it asks
// for all of them, or the corpus is small.
func (ix *Index) telling(q Query) Query {
	if q.All {
		return q
	}
	// Each term's count is read once, for both.
	var buf [maxStackTerms]int
	dfs := ix.docFreqs(q.Terms, buf[:0])
	q, dfs = known(q, dfs)
	if len(q.Terms) < 2 || ix.NumPassages() < minCommonPassages {
		return q
	}
	limit := commonShare * float64(ix.NumPassages())
	rare := make([]Term, 0, len(q.Terms))
	for i, t := range q.Terms {
		if df := dfs[i]; df > 0 && float64(df) <= limit {
			rare = append(rare, t)
		}
	}
	if len(rare) == 0 {
		return q
	}
	q.Terms = rare
	return q
}

// maxStackTerms is how many terms' counts telling keeps without a slice of
// its own: most questions' queries have fewer.
const maxStackTerms = 64

// known is q without the terms no passage holds, unless it has no other,
// and the counts of its terms, dfs being those of q's (see DocFreq): each
// term costs bleve a search of its own, found or not. It changes no
// passage's rank, and every score by one factor (the share of the query's
// terms a passage holds counts in its score), which the ranker, comparing
// scores with the best one, does not see.
func known(q Query, dfs []int) (Query, []int) {
	var out []Term
	var outDFs []int
	for i, t := range q.Terms {
		if dfs[i] > 0 {
			if out != nil {
				out = append(out, t)
				outDFs = append(outDFs, dfs[i])
			}
			continue
		}
		if out == nil {
			out = append(make([]Term, 0, len(q.Terms)), q.Terms[:i]...)
			outDFs = append(make([]int, 0, len(q.Terms)), dfs[:i]...)
		}
	}
	if len(out) == 0 {
		return q, dfs
	}
	q.Terms = out
	return q, outDFs
}

// textQuery matches the passages whose text holds a term of q (all of them,
// for q.All), or is nil when q has none. The index keeps no positions, so a
// search cannot ask for words standing together (the ranker, which looks at
// the sentences, does).
func textQuery(q Query) query.Query {
	var should []query.Query
	for _, t := range q.Terms {
		tq := bleve.NewTermQuery(t.Term)
		tq.SetField(fieldText)
		tq.SetBoost(t.weight())
		should = append(should, tq)
	}
	if len(should) == 0 {
		return nil
	}
	if q.All {
		return bleve.NewConjunctionQuery(should...)
	}
	return bleve.NewDisjunctionQuery(should...)
}

// within restricts bq to the passages of the documents docs ("" for every
// document), without changing their scores: the filter's boost is 0, so
// it adds nothing to a score nor to the query's norm, and a passage scores
// the same restricted or not.
func within(bq query.Query, docs []string) query.Query {
	if len(docs) == 0 || len(docs) == 1 && docs[0] == "" {
		return bq
	}
	var any []query.Query
	for _, id := range docs {
		dt := bleve.NewTermQuery(id)
		dt.SetField(fieldDoc)
		dt.SetBoost(0)
		any = append(any, dt)
	}
	var filter query.Query = any[0]
	if len(any) > 1 {
		dq := bleve.NewDisjunctionQuery(any...)
		dq.SetBoost(0)
		filter = dq
	}
	return bleve.NewConjunctionQuery(bq, filter)
}

// corpusRoot is the folder that holds the indexes of one corpus: the
// embedded story and every corpus folder each get their own.
func corpusRoot(dataDir string, c *corpus.Corpus) string { return rootNamed(dataDir, c.Name) }

// rootNamed is corpusRoot for a corpus named name (its folder, or
// "embedded story").
func rootNamed(dataDir, name string) string {
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
