package answer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeedAnswerGoesOn checks that the answer to a question asking what
// someone did or what happened goes on with the sentence after the one
// that holds the question's words, and that the answer to another kind of
// question does not.
func TestDeedAnswerGoesOn(t *testing.T) {
	dir := t.TempDir()
	text := "Once upon a time an old ferryman named Odo lived in a hut beside a wide grey river, far from any town. " +
		"Every morning he rowed his boat across it with the mail. " +
		"One bitter winter the river froze solid. " +
		"So he tied the sack on his back and walked over the ice to the far village.\n\n" +
		"In spring the ice broke and the boat sailed again.\n"
	if err := os.WriteFile(filepath.Join(dir, "ferry.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := testEngine(t, dir)
	const scene, deed = "the river froze solid", "walked over the ice"
	tests := []struct {
		q    string
		deed bool // the answer goes on with what was done
	}{
		{"What did the ferryman do when the river froze solid?", true},
		{"What happened when the river froze solid?", true},
		{"When did the river freeze solid?", false},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a, err := e.Answer(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Found || !strings.Contains(a.Text, scene) {
				t.Fatalf("answer %q (found %v), want the sentence holding %q", a.Text, a.Found, scene)
			}
			if got := strings.Contains(a.Text, deed); got != tt.deed {
				t.Errorf("answer %q: holds %q %v, want %v", a.Text, deed, got, tt.deed)
			}
		})
	}
}
