package answer

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCorpus writes files, by name, into a new folder and returns it.
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

// TestBareFirstSentence checks that FeatBareFirst marks a span of many
// sentences whose first holds none of the question's words, and neither a
// span that starts with them, nor one that only ends without them, nor a
// sentence alone.
func TestBareFirstSentence(t *testing.T) {
	dir := writeCorpus(t, map[string]string{
		"harbour.txt": "The harbour was quiet that year. The keeper Odo painted the lighthouse red in June. " +
			"Nobody else came by.\n",
	})
	e := testEngine(t, dir)
	spans, err := e.Spans(context.Background(), EvalQuestion{Q: "When did Odo paint the lighthouse?", Keys: []string{"June"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text string
		want float64
	}{
		{"The harbour was quiet that year. The keeper Odo painted the lighthouse red in June.", 1},
		{"The harbour was quiet that year. The keeper Odo painted the lighthouse red in June. Nobody else came by.", 1},
		{"The keeper Odo painted the lighthouse red in June. Nobody else came by.", 0},
		{"The keeper Odo painted the lighthouse red in June.", 0},
		{"The harbour was quiet that year.", 0},
	} {
		s := spanOf(t, spans, tt.text)
		if got := s.Features[FeatBareFirst]; got != tt.want {
			t.Errorf("%q: bare_first %v, want %v (%s)", tt.text, got, tt.want, s.Features.Format(&e.weights))
		}
	}
}

// TestDocFocus checks that FeatDocFocus is the same for every span of a
// document, 1 for a document whose every sentence holds every term of the
// question, and less, though more than 0, for one whose sentences hold
// them once.
func TestDocFocus(t *testing.T) {
	dir := writeCorpus(t, map[string]string{
		"pier.txt": "The keeper watched the tide from the pier. The gulls cried over the harbour. " +
			"Fish were sold in the square. The bell rang at noon.\n",
		"tower.txt": "Each dawn the keeper watched the tide rise. At dusk the keeper watched the tide fall. " +
			"In storms the keeper watched the tide all night.\n",
	})
	e := testEngine(t, dir)
	spans, err := e.Spans(context.Background(), EvalQuestion{Q: "Where did the keeper watch the tide?", Keys: []string{"pier"}})
	if err != nil {
		t.Fatal(err)
	}
	focus := map[string]float64{}
	for _, s := range spans {
		doc, _, _ := strings.Cut(s.Passage, "#")
		f := s.Features[FeatDocFocus]
		if old, ok := focus[doc]; ok && old != f {
			t.Errorf("%s: doc_focus %v and %v in one document", s.Passage, old, f)
		}
		focus[doc] = f
	}
	tower, pier := focus["tower"], focus["pier"]
	if math.Abs(tower-1) > 1e-9 {
		t.Errorf("doc_focus of a document using every term in every sentence %v, want 1 (all: %v)", tower, focus)
	}
	if !(pier > 0 && pier < tower) {
		t.Errorf("doc_focus of a document using each term once %v, want between 0 and %v (all: %v)", pier, tower, focus)
	}
}
