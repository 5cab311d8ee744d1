// Package live serves the answer engine of a corpus that changes while it
// serves. A Library holds the current answer.Engine behind an atomic
// pointer; a change to the corpus (a reindex, an upload, a removal) builds a
// new index and engine beside the one serving, swaps it in atomically, and
// closes the old engine once the calls in flight on it are done. A change
// that fails leaves the old engine serving, and the corpus folder as it was.
//
// Only one change runs at a time; a second gets answer.ErrChangeRunning at
// once. Every change is logged and appended to the change log in the data
// folder (ChangeLogFile, one JSON object a line).
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// DefaultPollEvery is how often Watch looks for an index switched by
// another process, by default: a few seconds keeps replicas close to each
// other while costing one small file read.
const DefaultPollEvery = 3 * time.Second

// ErrClosed is returned by calls on a closed Library.
var ErrClosed = errors.New("library closed")

// Config is what a Library serves and where it keeps its indexes.
type Config struct {
	// CorpusDir is the corpus folder configured. Empty: the folder seeded in
	// DataDir if there is one, else the embedded story until the first
	// change seeds that folder (corpus.Locate decides).
	CorpusDir string
	// DataDir holds the indexes, the seeded corpus folder and the change log.
	DataDir string
	// Logger gets a record of every change; nil discards them.
	Logger *slog.Logger
	// Options tune every engine made.
	Options answer.Options
	// Index tunes opening and building indexes. Its Progress is not used:
	// each change takes its own.
	Index index.Options
	// PollEvery is how often Watch looks at the index in service; 0 means
	// DefaultPollEvery.
	PollEvery time.Duration
	// OnChange, if not nil, is told of each change this library makes (not
	// dry runs, nor changes refused because another was running), once it
	// is recorded: for metrics.
	OnChange func(answer.Change)
}

// Library serves the current engine of a corpus and changes the corpus.
// It implements the bot's engine interface, and is safe for concurrent use.
type Library struct {
	cfg Config
	log *slog.Logger
	// cur is the generation serving; nil once closed.
	cur atomic.Pointer[generation]
	// busy is true while a change made here runs; change is held by it,
	// and by Watch while it swaps in another process's index.
	busy   atomic.Bool
	change sync.Mutex
	// logSize is the change log's size when Watch last read it.
	logSize int64
	// swapMu orders swaps with Close.
	swapMu sync.Mutex
	closed bool
	// last is the last change recorded.
	last    atomic.Pointer[answer.Change]
	changes *changeLog
}

// generation is one engine with the corpus and index it answers from, and a
// count of the calls in flight on it.
type generation struct {
	eng    *answer.Engine
	c      *corpus.Corpus
	ix     *index.Index
	folder string
	// refs counts the library's own reference (until the generation is
	// swapped out) and each call in flight. At 0 the engine is closed, and
	// refs never rises again.
	refs     atomic.Int64
	done     chan struct{}
	closeErr error
}

func newGeneration(c *corpus.Corpus, ix *index.Index, folder string, opts answer.Options) *generation {
	g := &generation{eng: answer.OnIndex(c, ix, opts), c: c, ix: ix, folder: folder, done: make(chan struct{})}
	g.refs.Store(1)
	return g
}

// tryAcquire counts a call in, unless the generation is closed or closing.
func (g *generation) tryAcquire() bool {
	for {
		n := g.refs.Load()
		if n <= 0 {
			return false
		}
		if g.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// release counts a call (or the library's reference) out, and closes the
// engine after the last.
func (g *generation) release() {
	if g.refs.Add(-1) == 0 {
		g.closeErr = g.eng.Close()
		close(g.done)
	}
}

// Open opens the library of cfg: it reads the corpus that corpus.Locate
// names, opens its index (building it when missing or stale, as
// index.Open does) and reads the last change from the change log. What a
// killed upload or seed left in the folders is removed first.
func Open(ctx context.Context, cfg Config) (*Library, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = DefaultPollEvery
	}
	cfg.Index.Progress = nil
	l := &Library{cfg: cfg, log: cfg.Logger, changes: newChangeLog(cfg.DataDir)}
	folder := corpus.Locate(cfg.CorpusDir, cfg.DataDir)
	corpus.Clean(folder, cfg.DataDir)
	g, err := l.load(ctx, folder)
	if err != nil {
		return nil, err
	}
	l.cur.Store(g)
	if fi, err := os.Stat(l.changes.path); err == nil {
		l.logSize = fi.Size()
	}
	last, err := l.changes.readLast()
	if err != nil {
		l.log.Warn("read the change log", "file", l.changes.path, "err", err)
	}
	l.last.Store(last)
	return l, nil
}

// load reads the corpus in folder and opens its index.
func (l *Library) load(ctx context.Context, folder string) (*generation, error) {
	c, err := index.OpenCorpus(l.cfg.DataDir, folder)
	if err != nil {
		return nil, err // the corpus's error says what it was loading
	}
	for _, sk := range c.Skipped {
		l.log.Warn("skipped corpus file", "file", sk.Path, "reason", sk.Reason)
	}
	l.log.Debug("read corpus", "documents", len(c.Documents), "reused", c.Reused())
	ix, err := index.Open(ctx, l.cfg.DataDir, c, l.log, l.cfg.Index)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	return newGeneration(c, ix, folder, l.cfg.Options), nil
}

// acquire returns the generation serving, counted in; the caller releases it.
func (l *Library) acquire() (*generation, error) {
	for {
		g := l.cur.Load()
		if g == nil {
			return nil, ErrClosed
		}
		// A generation swapped out between the load and here may still be
		// counted in (it closes after this call) or may refuse (it is
		// closing): then the pointer has moved on; load it again.
		if g.tryAcquire() {
			return g, nil
		}
	}
}

// swap puts g in service and lets the one it replaces close once its calls
// are done. After Close, g is closed instead.
func (l *Library) swap(g *generation) error {
	l.swapMu.Lock()
	if l.closed {
		l.swapMu.Unlock()
		g.release()
		return ErrClosed
	}
	old := l.cur.Swap(g)
	l.swapMu.Unlock()
	if old != nil {
		old.release()
	}
	return nil
}

// Close stops serving, waits for the calls in flight and closes the engine.
// A change under way fails.
func (l *Library) Close() error {
	l.swapMu.Lock()
	if l.closed {
		l.swapMu.Unlock()
		return nil
	}
	l.closed = true
	g := l.cur.Swap(nil)
	l.swapMu.Unlock()
	if g == nil {
		return nil
	}
	g.release()
	<-g.done
	return g.closeErr
}

// Answer answers a question from the corpus in service.
func (l *Library) Answer(ctx context.Context, q string) (answer.Answer, error) {
	g, err := l.acquire()
	if err != nil {
		return answer.Answer{}, err
	}
	defer g.release()
	return g.eng.Answer(ctx, q)
}

// Search looks passages up in the corpus in service.
func (l *Library) Search(ctx context.Context, q string, from, size int) (answer.Results, error) {
	g, err := l.acquire()
	if err != nil {
		return answer.Results{}, err
	}
	defer g.release()
	return g.eng.Search(ctx, q, from, size)
}

// Window returns a passage of the corpus in service with its neighbours.
func (l *Library) Window(id string) (answer.Window, bool) {
	g, err := l.acquire()
	if err != nil {
		return answer.Window{}, false
	}
	defer g.release()
	return g.eng.Window(id)
}

// Complete suggests passages of the corpus in service.
func (l *Library) Complete(prefix string, max int) []answer.Choice {
	g, err := l.acquire()
	if err != nil {
		return nil
	}
	defer g.release()
	return g.eng.Complete(prefix, max)
}

// Info describes the corpus in service, the folder it is read from and the
// last change recorded.
func (l *Library) Info() answer.Info {
	info := answer.Info{}
	if g, err := l.acquire(); err == nil {
		info = g.eng.Info()
		info.Folder = g.folder
		g.release()
	}
	if last := l.last.Load(); last != nil {
		c := *last // the caller's own copy
		info.LastChange = &c
	}
	return info
}
