package live

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/storybot/storybot/answer"
)

// ChangeLogFile is the change log's name in the data folder: one JSON
// answer.Change a line, appended to by every process that changes the
// corpus.
const ChangeLogFile = "changes.jsonl"

// maxLogTail is how much of the end of the change log is read for the last
// change: far more than one entry.
const maxLogTail = 64 << 10

// changeLog is the append-only change log.
type changeLog struct {
	path string
	mu   sync.Mutex
}

func newChangeLog(dataDir string) *changeLog {
	return &changeLog{path: filepath.Join(dataDir, ChangeLogFile)}
}

// append writes ch as one line and syncs it. A line a killed process left
// unfinished is ended first, so that it spoils no other.
func (cl *changeLog) append(ch answer.Change) error {
	b, err := json.Marshal(ch)
	if err != nil {
		return fmt.Errorf("append to change log: %w", err)
	}
	b = append(b, '\n')
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(cl.path), 0o755); err != nil {
		return fmt.Errorf("append to change log: %w", err)
	}
	f, err := os.OpenFile(cl.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("append to change log: %w", err)
	}
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			b = append([]byte{'\n'}, b...)
		}
	}
	_, werr := f.Write(b)
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("append to change log %s: %w", cl.path, err)
	}
	return nil
}

// readLast returns the last whole entry of the log, or nil when there is
// none.
func (cl *changeLog) readLast() (*answer.Change, error) {
	f, err := os.Open(cl.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := max(fi.Size()-maxLogTail, 0)
	tail, err := io.ReadAll(io.NewSectionReader(f, off, fi.Size()-off))
	if err != nil {
		return nil, err
	}
	lines := bytes.Split(tail, []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		var ch answer.Change
		if json.Unmarshal(lines[i], &ch) == nil && !ch.Time.IsZero() {
			return &ch, nil
		}
	}
	return nil, nil
}

// record logs a change, appends it to the change log and makes it the last.
func (l *Library) record(who answer.Actor, action, target string, rep answer.ChangeReport, err error) {
	ch := record(l.log, l.changes, who, action, target, rep, err)
	l.last.Store(&ch)
	if l.cfg.OnChange != nil {
		l.cfg.OnChange(ch)
	}
}

// record logs a change and appends it to the change log.
func record(logger *slog.Logger, changes *changeLog, who answer.Actor, action, target string, rep answer.ChangeReport, err error) answer.Change {
	ch := answer.Change{Time: time.Now().UTC(), Who: who, Action: action, Target: target, OK: err == nil, Report: rep}
	if err != nil {
		ch.Error = err.Error()
	}
	args := []any{"who", who.Name, "who_id", who.ID, "action", action, "target", target,
		"ok", ch.OK, "added", rep.Added, "changed", rep.Changed, "removed", rep.Removed,
		"documents", rep.Documents, "passages", rep.Passages, "took", rep.Took}
	if err != nil {
		logger.Warn("corpus change failed", append(args, "err", err)...)
	} else {
		logger.Info("corpus changed", args...)
	}
	if err := changes.append(ch); err != nil {
		logger.Error("change not recorded in the change log", "err", err)
	}
	return ch
}

// logDryRun logs what a dry run found.
func logDryRun(logger *slog.Logger, who answer.Actor, rep answer.ChangeReport, err error) {
	logger.Info("corpus dry run", "who", who.Name, "who_id", who.ID, "added", rep.Added,
		"changed", rep.Changed, "removed", rep.Removed, "err", err)
}

// refused logs a change refused because another is running.
func (l *Library) refused(who answer.Actor, action, target string) {
	l.log.Info("corpus change refused: another is running", "who", who.Name, "who_id", who.ID,
		"action", action, "target", target)
}
