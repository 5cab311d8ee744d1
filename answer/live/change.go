package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// Reindex reads the corpus folder again and rebuilds the index from it:
// the new engine is swapped in once complete, and the report says which
// documents were added, changed and removed. A dry run reports what would
// change and changes nothing. A rebuild that fails (a file that cannot be
// read, a full disk, ctx done) leaves the engine in service serving, and
// says why. ctx bounds the rebuild; progress, if not nil, is told how it
// goes, from the calling goroutine.
func (l *Library) Reindex(ctx context.Context, who answer.Actor, dryRun bool, progress func(answer.Progress)) (answer.ChangeReport, error) {
	if !l.begin() {
		l.refused(who, answer.ActionReindex, "")
		return answer.ChangeReport{DryRun: dryRun}, answer.ErrChangeRunning
	}
	defer l.end()
	start := time.Now()
	rep, err := l.rebuild(ctx, corpus.Locate(l.cfg.CorpusDir, l.cfg.DataDir), dryRun, progress, nil)
	rep.Took = time.Since(start)
	if dryRun {
		logDryRun(l.log, who, rep, err)
		return rep, err
	}
	l.record(who, answer.ActionReindex, "", rep, err)
	return rep, err
}

// AddDocument writes the file name holding data into the corpus folder and
// reindexes. data must pass corpus.Check (the error wraps its
// *corpus.DocumentError) and hold some text; a file of that name, or a
// document with the same ID, must not exist unless replace. The file is
// written atomically, and if the reindex fails the folder is put back as it
// was. With no corpus folder yet, the first change seeds one from the
// embedded story (corpus.Seed).
func (l *Library) AddDocument(ctx context.Context, who answer.Actor, name string, data []byte, replace bool, progress func(answer.Progress)) (answer.ChangeReport, error) {
	action := answer.ActionAdd
	if replace {
		action = answer.ActionReplace
	}
	if err := corpus.Check(name, data); err != nil {
		err = fmt.Errorf("add %s: %w", name, err)
		l.record(who, action, name, answer.ChangeReport{}, err)
		return answer.ChangeReport{}, err
	}
	if !l.begin() {
		l.refused(who, action, name)
		return answer.ChangeReport{}, answer.ErrChangeRunning
	}
	defer l.end()
	start := time.Now()
	rep, err := l.add(ctx, name, data, replace, progress)
	rep.Took = time.Since(start)
	l.record(who, action, name, rep, err)
	return rep, err
}

func (l *Library) add(ctx context.Context, name string, data []byte, replace bool, progress func(answer.Progress)) (answer.ChangeReport, error) {
	fail := func(err error) (answer.ChangeReport, error) {
		return answer.ChangeReport{}, fmt.Errorf("add %s: %w", name, err)
	}
	g, err := l.acquire()
	if err != nil {
		return fail(err)
	}
	served := g.c
	g.release()
	id := corpus.IDFor(name)
	if d := served.Document(id); d != nil && d.Path != name {
		return fail(fmt.Errorf("%w: %q is the ID of %s", answer.ErrDocumentExists, id, d.Path))
	}
	folder, err := l.folder()
	if err != nil {
		return fail(err)
	}
	old, err := os.ReadFile(filepath.Join(folder, name))
	existed := err == nil
	switch {
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fail(err)
	case existed && !replace:
		return fail(answer.ErrDocumentExists)
	}
	if err := corpus.WriteFile(folder, name, data); err != nil {
		return fail(err)
	}
	// The new document must be read, and hold text.
	present := func(c *corpus.Corpus) error {
		for _, d := range c.Documents {
			if d.Path == name {
				return nil
			}
		}
		for _, sk := range c.Skipped {
			if sk.Path == name {
				return fmt.Errorf("%s: %s", name, sk.Reason)
			}
		}
		return fmt.Errorf("%s: no document read from it", name)
	}
	rep, err := l.rebuild(ctx, folder, false, progress, present)
	if err != nil {
		var undo error
		if existed {
			undo = corpus.WriteFile(folder, name, old)
		} else {
			undo = corpus.RemoveFile(folder, name)
		}
		if undo != nil {
			err = errors.Join(err, fmt.Errorf("put the folder back: %w", undo))
		}
		return fail(err)
	}
	return rep, nil
}

// RemoveDocument removes the document id's file from the corpus folder and
// reindexes; if the reindex fails (the last document, say), the file is put
// back. An unknown id is answer.ErrNoDocument.
func (l *Library) RemoveDocument(ctx context.Context, who answer.Actor, id string, progress func(answer.Progress)) (answer.ChangeReport, error) {
	if !l.begin() {
		l.refused(who, answer.ActionRemove, id)
		return answer.ChangeReport{}, answer.ErrChangeRunning
	}
	defer l.end()
	start := time.Now()
	rep, err := l.remove(ctx, id, progress)
	rep.Took = time.Since(start)
	l.record(who, answer.ActionRemove, id, rep, err)
	return rep, err
}

func (l *Library) remove(ctx context.Context, id string, progress func(answer.Progress)) (answer.ChangeReport, error) {
	fail := func(err error) (answer.ChangeReport, error) {
		return answer.ChangeReport{}, fmt.Errorf("remove %s: %w", id, err)
	}
	g, err := l.acquire()
	if err != nil {
		return fail(err)
	}
	d := g.c.Document(id)
	g.release()
	if d == nil {
		return fail(answer.ErrNoDocument)
	}
	folder, err := l.folder()
	if err != nil {
		return fail(err)
	}
	file := filepath.Join(folder, filepath.FromSlash(d.Path))
	old, err := os.ReadFile(file)
	if err != nil {
		return fail(err)
	}
	if err := corpus.RemoveFile(folder, d.Path); err != nil {
		return fail(err)
	}
	rep, err := l.rebuild(ctx, folder, false, progress, nil)
	if err != nil {
		dir, name := path.Split(d.Path)
		if undo := corpus.WriteFile(filepath.Join(folder, filepath.FromSlash(dir)), name, old); undo != nil {
			err = errors.Join(err, fmt.Errorf("put the folder back: %w", undo))
		}
		return fail(err)
	}
	return rep, nil
}

// folder returns the corpus folder to change, seeding it from the embedded
// story if there is none yet.
func (l *Library) folder() (string, error) {
	if dir := corpus.Locate(l.cfg.CorpusDir, l.cfg.DataDir); dir != "" {
		return dir, nil
	}
	dir, err := corpus.Seed(l.cfg.DataDir)
	if err != nil {
		return "", err
	}
	l.log.Info("seeded corpus folder from the embedded story", "dir", dir)
	return dir, nil
}

// rebuild reads the corpus in folder ("" for the embedded story), checks it
// with want (if not nil), compares it with the corpus in service and,
// unless dryRun, builds its index and swaps a new engine in. The caller
// holds l.change.
func (l *Library) rebuild(ctx context.Context, folder string, dryRun bool, progress func(answer.Progress), want func(*corpus.Corpus) error) (answer.ChangeReport, error) {
	g, err := l.acquire()
	if err != nil {
		return answer.ChangeReport{DryRun: dryRun}, err
	}
	served := hashes(g.c)
	g.release()
	c, err := readCorpus(l.log, l.cfg.DataDir, folder)
	if err != nil {
		return answer.ChangeReport{DryRun: dryRun}, err
	}
	if want != nil {
		if err := want(c); err != nil {
			return answer.ChangeReport{DryRun: dryRun}, err
		}
	}
	ix, rep, err := build(ctx, l.cfg, c, served, dryRun, progress)
	if err != nil || dryRun {
		return rep, err
	}
	// Once CURRENT names the new index the change is made, even if this
	// library was closed meanwhile and will not serve it.
	l.swap(newGeneration(c, ix, folder, l.cfg.Options))
	return rep, nil
}

// Rebuild is Reindex for a process that serves no engine (storybot index
// from a shell): it compares the corpus in the folder corpus.Locate names
// with what the index in service was built from (its metadata says), builds
// the new index, and records the change in the change log. A process
// serving that corpus swaps the new index in when it next looks (Watch).
func Rebuild(ctx context.Context, cfg Config, who answer.Actor, dryRun bool, progress func(answer.Progress)) (answer.ChangeReport, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	folder := corpus.Locate(cfg.CorpusDir, cfg.DataDir)
	rep, err := func() (answer.ChangeReport, error) {
		c, err := readCorpus(cfg.Logger, cfg.DataDir, folder)
		if err != nil {
			return answer.ChangeReport{DryRun: dryRun}, err
		}
		st, err := index.Served(cfg.DataDir, c)
		if err != nil {
			cfg.Logger.Warn("read what the index in service holds", "err", err)
		}
		ix, rep, err := build(ctx, cfg, c, st.Hashes, dryRun, progress)
		if ix != nil {
			if cerr := ix.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("close index: %w", cerr)
			}
		}
		return rep, err
	}()
	rep.Took = time.Since(start)
	if dryRun {
		logDryRun(cfg.Logger, who, rep, err)
		return rep, err
	}
	record(cfg.Logger, newChangeLog(cfg.DataDir), who, answer.ActionReindex, "", rep, err)
	return rep, err
}

// build compares the documents of c with served (document ID → hash) and,
// unless dryRun, builds c's index.
func build(ctx context.Context, cfg Config, c *corpus.Corpus, served map[string]string, dryRun bool, progress func(answer.Progress)) (*index.Index, answer.ChangeReport, error) {
	rep := answer.ChangeReport{DryRun: dryRun}
	rep.Added, rep.Changed, rep.Removed = diff(served, c)
	rep.Documents, rep.Passages = len(c.Documents), c.NumPassages()
	if dryRun {
		return nil, rep, nil
	}
	opts := cfg.Index
	opts.Progress = nil
	if progress != nil {
		opts.Progress = func(p index.Progress) {
			progress(answer.Progress{Documents: p.Documents, TotalDocuments: p.TotalDocuments, Passages: p.Passages, TotalPassages: p.TotalPassages})
		}
	}
	ix, err := index.Build(ctx, cfg.DataDir, c, cfg.Logger, opts)
	if err != nil {
		return nil, rep, fmt.Errorf("build index: %w", err)
	}
	return ix, rep, nil
}

// readCorpus reads the corpus in folder for a change (reusing how the index
// in service under dataDir cut the files that did not change): a file that
// cannot be read fails it, since its document would silently leave the index.
func readCorpus(logger *slog.Logger, dataDir, folder string) (*corpus.Corpus, error) {
	c, err := index.OpenCorpus(dataDir, folder)
	if err != nil {
		return nil, err
	}
	for _, sk := range c.Skipped {
		if sk.Unreadable() {
			return nil, fmt.Errorf("read corpus %s: %s: %s", c.Name, sk.Path, sk.Reason)
		}
		logger.Warn("skipped corpus file", "file", sk.Path, "reason", sk.Reason)
	}
	return c, nil
}

// hashes maps each document of c to its hash.
func hashes(c *corpus.Corpus) map[string]string {
	m := make(map[string]string, len(c.Documents))
	for _, d := range c.Documents {
		m[d.ID] = d.Hash()
	}
	return m
}

// diff lists the IDs of the documents of c not in served (document ID →
// hash), in both but changed, and in served not in c, each sorted.
func diff(served map[string]string, c *corpus.Corpus) (added, changed, removed []string) {
	for _, d := range c.Documents {
		switch h, ok := served[d.ID]; {
		case !ok:
			added = append(added, d.ID)
		case h != d.Hash():
			changed = append(changed, d.ID)
		}
	}
	for id := range served {
		if c.Document(id) == nil {
			removed = append(removed, id)
		}
	}
	slices.Sort(added)
	slices.Sort(changed)
	slices.Sort(removed)
	return added, changed, removed
}

// Documents lists the documents of the corpus in service.
func (l *Library) Documents() []answer.Document {
	g, err := l.acquire()
	if err != nil {
		return nil
	}
	defer g.release()
	out := make([]answer.Document, 0, len(g.c.Documents))
	for _, d := range g.c.Documents {
		doc := answer.Document{ID: d.ID, Title: d.Title, Size: d.Size(), Passages: len(d.Passages)}
		if g.folder != "" {
			if fi, err := os.Stat(filepath.Join(g.folder, filepath.FromSlash(d.Path))); err == nil {
				doc.Size, doc.Modified = fi.Size(), fi.ModTime()
			}
		}
		out = append(out, doc)
	}
	return out
}

// Watch swaps in the index another process switched to (a storybot index
// from a shell, a replica's reindex), and the corpus folder another process
// seeded, looking every Config.PollEvery until ctx is done. The caller owns
// it: run it in a goroutine and cancel ctx to stop it.
func (l *Library) Watch(ctx context.Context) {
	t := time.NewTicker(l.cfg.PollEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.poll(ctx)
		}
	}
}

// begin starts a change unless one is running. The caller calls end.
func (l *Library) begin() bool {
	if !l.busy.CompareAndSwap(false, true) {
		return false
	}
	// Waits only for a poll swapping in another process's index.
	l.change.Lock()
	return true
}

func (l *Library) end() {
	l.change.Unlock()
	l.busy.Store(false)
}

// poll swaps in what another process put in service, if anything, and
// reads the change log again if it grew.
func (l *Library) poll(ctx context.Context) {
	if l.busy.Load() {
		return // this process is changing the corpus
	}
	l.change.Lock()
	defer l.change.Unlock()
	defer l.readChanges()
	g, err := l.acquire()
	if err != nil {
		return
	}
	folder, served, dir := g.folder, g.c, g.ix.Stats().Dir
	g.release()
	now := corpus.Locate(l.cfg.CorpusDir, l.cfg.DataDir)
	if now != folder {
		l.log.Info("corpus folder appeared; serving it", "dir", now)
	} else if st, err := index.Served(l.cfg.DataDir, served); err != nil || st.Dir == "" || st.Dir == dir {
		return
	} else {
		l.log.Info("index switched by another process; serving it", "dir", st.Dir)
	}
	ng, err := l.load(ctx, now)
	if err != nil {
		l.log.Warn("open the index another process switched to; still serving the old one", "err", err)
		return
	}
	l.swap(ng)
}

// readChanges reads the last change from the change log if the log has
// grown since it was last read. The caller holds l.change.
func (l *Library) readChanges() {
	fi, err := os.Stat(l.changes.path)
	if err != nil || fi.Size() == l.logSize {
		return
	}
	l.logSize = fi.Size()
	if last, err := l.changes.readLast(); err == nil && last != nil {
		l.last.Store(last)
	}
}
