package live

import (
	"context"
	"errors"
	"fmt"
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
	if !l.change.TryLock() {
		l.refused(who, answer.ActionReindex, "")
		return answer.ChangeReport{DryRun: dryRun}, answer.ErrChangeRunning
	}
	defer l.change.Unlock()
	start := time.Now()
	rep, err := l.rebuild(ctx, corpus.Locate(l.cfg.CorpusDir, l.cfg.DataDir), dryRun, progress, nil)
	rep.Took = time.Since(start)
	if dryRun {
		l.log.Info("corpus dry run", "who", who.Name, "who_id", who.ID, "added", rep.Added,
			"changed", rep.Changed, "removed", rep.Removed, "err", err)
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
	if !l.change.TryLock() {
		l.refused(who, action, name)
		return answer.ChangeReport{}, answer.ErrChangeRunning
	}
	defer l.change.Unlock()
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
	if !l.change.TryLock() {
		l.refused(who, answer.ActionRemove, id)
		return answer.ChangeReport{}, answer.ErrChangeRunning
	}
	defer l.change.Unlock()
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
	rep := answer.ChangeReport{DryRun: dryRun}
	g, err := l.acquire()
	if err != nil {
		return rep, err
	}
	served := g.c
	g.release()
	c, err := corpus.Open(folder)
	if err != nil {
		return rep, err
	}
	for _, sk := range c.Skipped {
		if sk.Unreadable() {
			return rep, fmt.Errorf("read corpus %s: %s: %s", c.Name, sk.Path, sk.Reason)
		}
		l.log.Warn("skipped corpus file", "file", sk.Path, "reason", sk.Reason)
	}
	if want != nil {
		if err := want(c); err != nil {
			return rep, err
		}
	}
	rep.Added, rep.Changed, rep.Removed = diff(served, c)
	rep.Documents, rep.Passages = len(c.Documents), c.NumPassages()
	if dryRun {
		return rep, nil
	}
	opts := l.cfg.Index
	if progress != nil {
		opts.Progress = func(p index.Progress) {
			progress(answer.Progress{Documents: p.Documents, TotalDocuments: p.TotalDocuments, Passages: p.Passages})
		}
	}
	ix, err := index.Build(ctx, l.cfg.DataDir, c, l.log, opts)
	if err != nil {
		return rep, fmt.Errorf("build index: %w", err)
	}
	// Once CURRENT names the new index the change is made, even if this
	// library was closed meanwhile and will not serve it.
	l.swap(newGeneration(c, ix, folder, l.cfg.Options))
	return rep, nil
}

// diff lists the IDs of the documents of b not in a, in both but changed,
// and in a not in b, each sorted.
func diff(a, b *corpus.Corpus) (added, changed, removed []string) {
	for _, d := range b.Documents {
		switch od := a.Document(d.ID); {
		case od == nil:
			added = append(added, d.ID)
		case od.Hash() != d.Hash():
			changed = append(changed, d.ID)
		}
	}
	for _, d := range a.Documents {
		if b.Document(d.ID) == nil {
			removed = append(removed, d.ID)
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

// poll swaps in what another process put in service, if anything.
func (l *Library) poll(ctx context.Context) {
	if !l.change.TryLock() {
		return // this process is changing it
	}
	defer l.change.Unlock()
	g, err := l.acquire()
	if err != nil {
		return
	}
	folder, served, dir := g.folder, g.c, g.ix.Stats().Dir
	g.release()
	if now := corpus.Locate(l.cfg.CorpusDir, l.cfg.DataDir); now != folder {
		l.log.Info("corpus folder appeared; serving it", "dir", now)
	} else if cur, err := index.Current(l.cfg.DataDir, served); err != nil || cur == "" || cur == dir {
		return
	} else {
		l.log.Info("index switched by another process; serving it", "dir", cur)
	}
	ng, err := l.load(ctx, corpus.Locate(l.cfg.CorpusDir, l.cfg.DataDir))
	if err != nil {
		l.log.Warn("open the index another process switched to; still serving the old one", "err", err)
		return
	}
	if err := l.swap(ng); err != nil {
		return
	}
	if last, err := l.changes.readLast(); err == nil && last != nil {
		l.last.Store(last)
	}
}
