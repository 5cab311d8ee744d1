package answer

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// Open opens the index of c kept under dataDir, building it when it is
// missing or stale, and returns an engine over both. Close the engine to
// release the index.
func Open(ctx context.Context, c *corpus.Corpus, dataDir string, logger *slog.Logger, opts Options) (*Engine, error) {
	ix, err := index.Open(ctx, dataDir, c, logger, index.Options{})
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	return OnIndex(c, ix, opts), nil
}

// OnIndex returns an engine over c and its index ix, which the engine's
// Close closes.
func OnIndex(c *corpus.Corpus, ix *index.Index, opts Options) *Engine {
	info := Info{
		Corpus:      corpusName(c),
		Documents:   len(c.Documents),
		Passages:    c.NumPassages(),
		Fingerprint: c.Fingerprint,
		Indexed:     ix.Stats().Built,
	}
	e := New(c, ix, info, opts)
	e.closer = ix
	return e
}

// Close releases the index of an engine made by Open or OnIndex.
func (e *Engine) Close() error {
	if e.closer == nil {
		return nil
	}
	return e.closer.Close()
}

// corpusName names a corpus for people: the title of its only document, or
// where it came from.
func corpusName(c *corpus.Corpus) string {
	if len(c.Documents) == 1 {
		return c.Documents[0].Title
	}
	return strings.TrimRight(c.Name, "/")
}
