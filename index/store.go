package index

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/storybot/storybot/corpus"
)

// The data folder holds, for each corpus, a folder (its root) of:
//
//	LOCK       flocked exclusively by the one process building or switching
//	CURRENT    the name of the index folder in service, switched by rename
//	idx-*      index folders, each holding bleve's files, analysisFile (what
//	           the ranker reads of every sentence), layoutFile (how the
//	           corpus was cut, see OpenCorpus) and, once finished,
//	           metaFile, which every process reading the folder flocks
//	           shared, so that cleanup (which needs it exclusively) never
//	           removes a folder in use
//
// Finished index folders never change: they are opened read-only, by any
// number of processes at once, even on a read-only file system.
const (
	currentFile = "CURRENT"
	lockFile    = "LOCK"
	metaFile    = "storybot-meta.json"
	layoutFile  = "storybot-corpus-layout.bin"
	folderGlob  = "idx-"
)

// DefaultLockTimeout is how long Open and Build wait, by default, for another
// process building the same corpus's index in the same data folder: several
// times what a large corpus takes to index.
const DefaultLockTimeout = 2 * time.Minute

// lockPoll is how often a process waiting for the data folder's lock tries
// again. flock cannot be interrupted, so waiting is trying without blocking.
const lockPoll = 100 * time.Millisecond

// boltTimeout bounds the wait for bbolt's own file lock inside bleve. A
// finished index is only ever opened read-only (a shared lock), so the wait
// ends at once unless something outside storybot holds the folder.
const boltTimeout = "5s"

// ErrBusy is returned when another process held the data folder's lock for
// longer than the lock timeout.
var ErrBusy = errors.New("another storybot is building the index")

// ErrReadOnly is returned when the index must be built but the data folder
// cannot be written.
var ErrReadOnly = errors.New("data folder is read-only")

// Options tune Open and Build. The zero value is the default.
type Options struct {
	// LockTimeout is how long to wait for another process building the
	// same index; 0 means DefaultLockTimeout.
	LockTimeout time.Duration
	// Progress, if not nil, is told how a build goes: after the first
	// document, then at most once every ProgressEvery, and when all the
	// passages are written. It is called from the building goroutine.
	Progress func(Progress)

	// openLock opens the lock file; tests replace it to inject errors.
	openLock func(path string) (*os.File, error)
}

// store is the data folder of one corpus.
type store struct {
	root   string
	logger *slog.Logger
	opts   Options
}

func newStore(dataDir string, c *corpus.Corpus, logger *slog.Logger, opts Options) *store {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	if opts.openLock == nil {
		opts.openLock = func(path string) (*os.File, error) {
			return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		}
	}
	return &store{root: corpusRoot(dataDir, c), logger: logger, opts: opts}
}

// Reasons an index on disk is not used.
var (
	errNoIndex    = errors.New("no index")
	errOldMapping = errors.New("index on disk has an older mapping")
	errChanged    = errors.New("corpus changed")
	// errMoved: CURRENT changed while the folder was being opened.
	errMoved = errors.New("index switched while opening")
)

// openCurrent opens the index folder CURRENT names, if it holds a sound
// index of c. The error says why not: errNoIndex, errOldMapping, errChanged
// or, wrapping ErrCorrupt, damage.
func (s *store) openCurrent(c *corpus.Corpus) (*handle, error) {
	// A folder can be switched away from and removed between reading
	// CURRENT and locking the folder; openDir notices, and we read again.
	const attempts = 5
	for range attempts {
		dir, err := readCurrent(s.root)
		if errors.Is(err, os.ErrNotExist) {
			return nil, errNoIndex
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		h, err := s.openDir(dir, c, true)
		if errors.Is(err, errMoved) {
			continue
		}
		return h, err
	}
	return nil, fmt.Errorf("%w in %s, %d times", errMoved, s.root, attempts)
}

// openDir opens a finished index folder read-only, holding a shared lock on
// it until the handle is closed. When viaCurrent, the folder must still be
// the one CURRENT names once locked.
func (s *store) openDir(dir string, c *corpus.Corpus, viaCurrent bool) (_ *handle, err error) {
	f, err := os.Open(filepath.Join(dir, metaFile))
	if err != nil {
		if viaCurrent && errors.Is(err, os.ErrNotExist) && !s.isCurrent(dir) {
			return nil, errMoved
		}
		return nil, fmt.Errorf("%w: read metadata of %s: %v", ErrCorrupt, dir, err)
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	ok, err := tryLock(f, false)
	if err != nil {
		return nil, fmt.Errorf("lock index folder %s: %w", dir, err)
	}
	if viaCurrent && (!ok || !s.isCurrent(dir)) {
		// Being removed, or no longer the one in service.
		return nil, errMoved
	}
	var m meta
	b, err := io.ReadAll(f)
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: read metadata of %s: %v", ErrCorrupt, dir, err)
	case m.MappingVersion != MappingVersion:
		return nil, fmt.Errorf("%w (%d, want %d)", errOldMapping, m.MappingVersion, MappingVersion)
	case m.Fingerprint != c.Fingerprint:
		return nil, errChanged
	}
	if err := checkSegments(dir); err != nil {
		return nil, err
	}
	an, err := openAnalyses(dir, c)
	if err != nil {
		return nil, err
	}
	var bi bleve.Index
	err = guard(func() (err error) {
		bi, err = bleve.OpenUsing(dir, map[string]any{"read_only": true, "bolt_timeout": boltTimeout})
		return err
	})
	if err != nil {
		an.close()
		return nil, corruptf(err, "read %s", dir)
	}
	h, err := newHandle(bi, dir, m, f, an, c)
	if err != nil {
		guard(bi.Close)
		an.close()
		return nil, err
	}
	return h, nil
}

func (s *store) isCurrent(dir string) bool {
	cur, err := readCurrent(s.root)
	return err == nil && cur == dir
}

// checkSegments verifies the checksum that ends every segment file: bleve
// does not, and a damaged segment otherwise panics or fails in a search
// long after the index was opened.
func checkSegments(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		return err
	}
	for _, p := range files {
		ok, err := checkSegment(p)
		if err != nil {
			return fmt.Errorf("%w: read segment %s: %v", ErrCorrupt, p, err)
		}
		if !ok {
			return fmt.Errorf("%w: segment %s fails its checksum", ErrCorrupt, p)
		}
	}
	return nil
}

// checkSegment reports whether the last four bytes of a segment file are
// the CRC-32 (IEEE) of all before them.
func checkSegment(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	n := fi.Size() - 4
	if n < 0 {
		return false, nil
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, n); err != nil {
		return false, err
	}
	var sum [4]byte
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return false, err
	}
	return h.Sum32() == binary.BigEndian.Uint32(sum[:]), nil
}

// lock takes the data folder's lock, waiting while another process holds
// it, up to the lock timeout or until ctx is done. Call unlock to release it.
func (s *store) lock(ctx context.Context) (unlock func(), err error) {
	f, err := s.create()
	if err != nil {
		return nil, err
	}
	ok, err := tryLock(f, true)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock data folder %s: %w", s.root, err)
	}
	if !ok {
		s.logger.Info("another storybot is building the index in "+s.root+"; waiting…",
			"dir", s.root, "timeout", s.opts.LockTimeout)
		ok, err = wait(ctx, f, s.opts.LockTimeout)
		if !ok {
			f.Close()
			if err == nil {
				err = fmt.Errorf("%w in %s: still locked after %s", ErrBusy, s.root, s.opts.LockTimeout)
			}
			return nil, err
		}
	}
	return func() { f.Close() }, nil
}

// create makes the corpus's folder and opens its lock file, or says the
// data folder is read-only.
func (s *store) create() (*os.File, error) {
	err := os.MkdirAll(s.root, 0o755)
	var f *os.File
	if err == nil {
		f, err = s.opts.openLock(filepath.Join(s.root, lockFile))
	}
	if err != nil {
		if isReadOnly(err) {
			return nil, fmt.Errorf("%w (%v)", ErrReadOnly, err)
		}
		return nil, fmt.Errorf("prepare data folder: %w", err)
	}
	return f, nil
}

func wait(ctx context.Context, f *os.File, timeout time.Duration) (bool, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(lockPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return false, fmt.Errorf("wait for the index lock: %w", ctx.Err())
		case <-deadline.C:
			return false, nil
		case <-tick.C:
			if ok, err := tryLock(f, true); ok || err != nil {
				return ok, err
			}
		}
	}
}

// tidy removes what no process uses, if no process is building: it never
// waits, and says nothing when it cannot (a read-only data folder).
func (s *store) tidy() {
	f, err := s.create()
	if err != nil {
		return
	}
	defer f.Close()
	if ok, err := tryLock(f, true); ok && err == nil {
		s.removeStale()
	}
}

// removeStale deletes every index folder but the one CURRENT names and
// those another process (or this one) has open. The caller holds the lock,
// so a folder without metadata is what a killed build left. Left-over
// temporary CURRENT files go too.
func (s *store) removeStale() {
	entries, err := os.ReadDir(s.root)
	if err != nil {
		return
	}
	keep, _ := readCurrent(s.root)
	for _, e := range entries {
		p := filepath.Join(s.root, e.Name())
		switch {
		case p == keep:
		case strings.HasPrefix(e.Name(), currentFile+".tmp-"):
			os.Remove(p)
		case strings.HasPrefix(e.Name(), folderGlob) && e.IsDir():
			s.removeUnused(p)
		}
	}
}

func (s *store) removeUnused(dir string) {
	f, err := os.Open(filepath.Join(dir, metaFile))
	if err == nil {
		defer f.Close()
		ok, err := tryLock(f, true)
		if err != nil || !ok {
			s.logger.Debug("old index still in use; keeping it", "dir", dir)
			return
		}
	}
	// Holding the exclusive lock while removing: a process that opened the
	// metadata file meanwhile cannot lock it shared, and reads CURRENT again.
	if err := os.RemoveAll(dir); err != nil {
		s.logger.Warn("remove old index", "dir", dir, "err", err)
	}
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

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Served describes the index that CURRENT names for c under dataDir, what
// Open would serve if it matches c, from its metadata alone; Stats.Dir is
// "" when there is none. A process serving an index compares Dir with its
// own Stats().Dir to notice another one switching; a build compares Hashes
// with c's documents to say what changed.
func Served(dataDir string, c *corpus.Corpus) (Stats, error) {
	dir, err := readCurrent(corpusRoot(dataDir, c))
	if errors.Is(err, os.ErrNotExist) {
		return Stats{}, nil
	}
	if err != nil {
		return Stats{}, err
	}
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return Stats{}, fmt.Errorf("read metadata of %s: %w", dir, err)
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return Stats{}, fmt.Errorf("read metadata of %s: %w", dir, err)
	}
	return m.stats(dir), nil
}
