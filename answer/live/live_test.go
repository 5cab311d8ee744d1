package live

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// Two small documents for test corpora.
const (
	orchardText = "The old orchard stood on the hill above the mill. The miller, a stern man called Hobb, chased the children away with a broom.\n"
	harbourText = "The harbour master was a woman named Ysolde Brannock. She rang the fog bell every night at nine.\n"
)

var shell = answer.Actor{Name: "shell"}

// writeCorpus makes a corpus folder in a temporary folder holding files.
func writeCorpus(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// openLibrary opens a library of cfg with a fresh data folder unless one is
// given, closed when the test ends.
func openLibrary(t *testing.T, cfg Config) *Library {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	l, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Error(err)
		}
	})
	return l
}

// mustAnswer asks q and returns the answer's text and first citation's document.
func mustAnswer(t *testing.T, l *Library, q string) (text, doc string) {
	t.Helper()
	a, err := l.Answer(context.Background(), q)
	if err != nil {
		t.Fatalf("Answer(%q): %v", q, err)
	}
	if !a.Found || len(a.Citations) == 0 {
		return "", ""
	}
	return a.Text, a.Citations[0].Doc
}

func TestAddDocumentAnsweredAtOnce(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText})
	l := openLibrary(t, Config{CorpusDir: dir})
	if _, doc := mustAnswer(t, l, "Who was the harbour master?"); doc == "harbour" {
		t.Fatal("answered from a document not yet added")
	}
	rep, err := l.AddDocument(context.Background(), shell, "harbour.txt", []byte(harbourText), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Added, []string{"harbour"}) || rep.Changed != nil || rep.Removed != nil || rep.Documents != 2 {
		t.Errorf("report = %+v, want harbour added, 2 documents", rep)
	}
	text, doc := mustAnswer(t, l, "Who was the harbour master?")
	if doc != "harbour" || !strings.Contains(text, "Ysolde Brannock") {
		t.Errorf("answer = %q from %q, want Ysolde Brannock from harbour", text, doc)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "harbour.txt")); err != nil || string(b) != harbourText {
		t.Errorf("harbour.txt in the folder = %q, %v", b, err)
	}
	if got := l.Info().LastChange; got == nil || got.Action != answer.ActionAdd || !got.OK || got.Target != "harbour.txt" {
		t.Errorf("last change = %+v", got)
	}
	_, err = l.AddDocument(context.Background(), shell, "harbour.txt", []byte(harbourText), false, nil)
	if !errors.Is(err, answer.ErrDocumentExists) {
		t.Errorf("second add without replace: %v, want ErrDocumentExists", err)
	}
	_, err = l.AddDocument(context.Background(), shell, "../x.txt", []byte(harbourText), false, nil)
	var de *corpus.DocumentError
	if !errors.As(err, &de) || de.Problem != corpus.BadName {
		t.Errorf("add ../x.txt: %v, want a BadName DocumentError", err)
	}
}
