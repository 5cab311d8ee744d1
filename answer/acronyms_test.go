package answer

import (
	"context"
	"testing"
)

// TestAcronymName checks which names the words before an acronym in
// parentheses give it.
func TestAcronymName(t *testing.T) {
	for _, tt := range []struct{ text, acronym, want string }{
		{"members formed the Guild of Lamp Keepers and Net Menders on Rock and Shore ", "GLKNMRS", "Guild of Lamp Keepers and Net Menders on Rock and Shore"},
		{"each year the Coast Harbour-Watch ", "CHW", "Coast Harbour-Watch"},
		{"a Pharmacy Technician ", "PhT", "Pharmacy Technician"},
		{"the Guild of Lamp Keepers", "GLK", "Guild of Lamp Keepers"},
		// Not a name for it: words missing or in the way, no capitals.
		{"the Lamp Keepers ", "GLK", ""},
		{"the Guild of Lamp Keepers, they said ", "GLK", ""},
		{"the Guild of old Lamp Keepers ", "GLK", ""},
		{"the Guild of Lamp Keepers ", "1990", ""},
		{"the Guild ", "G", ""},
		{"the Guild of Lamp Keepers ", "see below", ""},
	} {
		if got := acronymName(tt.text, tt.acronym); got != tt.want {
			t.Errorf("acronymName(%q, %q) = %q, want %q", tt.text, tt.acronym, got, tt.want)
		}
	}
}

// TestAcronymAsksForItsName checks that a question asking about an
// acronym the corpus defines, written as the corpus writes it, is matched
// through its name by a sentence that writes the name and not the acronym.
func TestAcronymAsksForItsName(t *testing.T) {
	dir := writeCorpus(t, map[string]string{
		"guild.txt": "The keepers of the coast formed the Guild of Lamp Keepers (GLK) in the spring.\n\n" +
			"Odo, warden of the Guild of Lamp Keepers, trimmed the wicks each night.\n",
	})
	e := testEngine(t, dir)
	spans, err := e.Spans(context.Background(), EvalQuestion{Q: "Who is the warden of the GLK?"})
	if err != nil {
		t.Fatal(err)
	}
	f := spanOf(t, spans, "Odo, warden of the Guild of Lamp Keepers, trimmed the wicks each night.").Features
	if f[FeatSynonym] == 0 {
		t.Errorf("the acronym's name does not count: %s", f.Format(&e.weights))
	}
	spans, err = e.Spans(context.Background(), EvalQuestion{Q: "Who is the warden of the glk?"})
	if err != nil {
		t.Fatal(err)
	}
	if f := spanOf(t, spans, "Odo, warden of the Guild of Lamp Keepers, trimmed the wicks each night.").Features; f[FeatSynonym] != 0 {
		t.Errorf("the acronym's name counts for a word written otherwise: %s", f.Format(&e.weights))
	}
	a, err := e.Answer(context.Background(), "Who is the warden of the GLK?")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || a.Text != "Odo, warden of the Guild of Lamp Keepers, trimmed the wicks each night." {
		t.Errorf("answer %q, found %v", a.Text, a.Found)
	}
}
