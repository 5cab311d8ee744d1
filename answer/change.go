package answer

import (
	"errors"
	"time"
)

// Actor is who asked for a change to the corpus: a Discord user, or "shell"
// (storybot index) or "SIGHUP" (the signal to a running serve).
type Actor struct {
	// ID is the Discord user ID; empty outside Discord.
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

// Progress of a rebuild, reported as it goes.
type Progress struct {
	// Documents of TotalDocuments are indexed; Passages of theirs, of
	// TotalPassages in all.
	Documents, TotalDocuments, Passages int
	TotalPassages                       int
}

// ChangeReport says what a change did (or, for a dry run, would do).
type ChangeReport struct {
	DryRun bool `json:"dry_run,omitempty"`
	// Added, Changed and Removed are document IDs, sorted.
	Added   []string `json:"added,omitempty"`
	Changed []string `json:"changed,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// Documents and Passages are in the corpus after the change.
	Documents int           `json:"documents"`
	Passages  int           `json:"passages"`
	Took      time.Duration `json:"took"`
}

// Change is one entry of the change log.
type Change struct {
	Time time.Time `json:"time"`
	Who  Actor     `json:"who"`
	// Action is "reindex", "add", "replace" or "remove".
	Action string `json:"action"`
	// Target is the document ID or file name; empty for a reindex.
	Target string `json:"target,omitempty"`
	OK     bool   `json:"ok"`
	// Error says why the change failed, when !OK.
	Error  string       `json:"error,omitempty"`
	Report ChangeReport `json:"report"`
}

// Actions of a Change.
const (
	ActionReindex = "reindex"
	ActionAdd     = "add"
	ActionReplace = "replace"
	ActionRemove  = "remove"
)

// Document describes one document of the corpus.
type Document struct {
	ID, Title string
	// Size is the file's size in bytes.
	Size     int64
	Passages int
	// Modified is the file's modification time.
	Modified time.Time
}

// Conditions a change to the corpus fails on.
var (
	// ErrChangeRunning: another change to the corpus is under way.
	ErrChangeRunning = errors.New("another change to the corpus is running")
	// ErrDocumentExists: an upload names an existing document, without replace.
	ErrDocumentExists = errors.New("a document with that name exists")
	// ErrNoDocument: no document has the ID given.
	ErrNoDocument = errors.New("no such document")
)
