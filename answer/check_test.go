package answer

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestCheckQuestion(t *testing.T) {
	for _, tt := range []struct {
		name, q  string
		max      int
		want     string // the cleaned question, when accepted
		reason   Reason // else why it is refused
		sentinel error
	}{
		{"spaces", "  who   is\n\tMara? ", 0, "who is Mara?", 0, nil},
		{"zero width", "wh\u200bo is Ma\u200dra", 0, "who is Mara", 0, nil},
		{"soft hyphen", "light\u00adhouse", 0, "lighthouse", 0, nil},
		{"bidi", "\u202ewho\u202c is \u2066Mara\u2069", 0, "who is Mara", 0, nil},
		{"control", "who\x00is\x1bMara", 0, "who is Mara", 0, nil},
		{"empty", "", 0, "", ReasonEmpty, ErrEmptyQuestion},
		{"white space", " \t\n\u3000 ", 0, "", ReasonEmpty, ErrEmptyQuestion},
		{"invisible", "\u200b\u200c\u200d\u2060\ufeff\u00ad", 0, "", ReasonEmpty, ErrEmptyQuestion},
		{"punctuation", "?!", 0, "", ReasonNoWords, ErrEmptyQuestion},
		{"symbols", "?!… \u200b\u200d ☃", 0, "", ReasonNoWords, ErrEmptyQuestion},
		{"not UTF-8", "who is \xff Mara", 0, "", ReasonNotText, ErrInvalidQuestion},
		{"too long", strings.Repeat("keeper ", 1000), 0, "", ReasonTooLong, ErrLongQuestion},
		{"over a limit", "one two three", 10, "", ReasonTooLong, ErrLongQuestion},
		{"at a limit", "one two th", 10, "one two th", 0, nil},
		// Characters, not bytes: ten Hangul syllables are 30 bytes.
		{"characters", "북한북한북한북한북한", 10, "북한북한북한북한북한", 0, nil},
		{"limit after cleaning", "one\u200b\u200b\u200b two", 7, "one two", 0, nil},
		{"limit above the most", strings.Repeat("a", MaxQuestionLen+1), MaxQuestionLen * 2, "", ReasonTooLong, ErrLongQuestion},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckQuestion(tt.q, tt.max)
			if tt.reason == 0 {
				if err != nil || got != tt.want {
					t.Fatalf("CheckQuestion(%q) = %q, %v; want %q", tt.q, got, err, tt.want)
				}
				return
			}
			var r *RefusedError
			if !errors.As(err, &r) || r.Reason != tt.reason {
				t.Fatalf("CheckQuestion(%.40q) error = %v, want a refusal for %v", tt.q, err, tt.reason)
			}
			if reason, ok := Refusal(err); !ok || reason != tt.reason {
				t.Errorf("Refusal = %v, %v", reason, ok)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v is not %v", err, tt.sentinel)
			}
			for _, other := range []error{ErrEmptyQuestion, ErrLongQuestion, ErrInvalidQuestion} {
				if other != tt.sentinel && errors.Is(err, other) {
					t.Errorf("error %v is also %v", err, other)
				}
			}
			if tt.reason == ReasonTooLong && (r.Max <= 0 || !strings.Contains(err.Error(), "characters")) {
				t.Errorf("too long: %+v %q", r, err)
			}
		})
	}
	if _, ok := Refusal(context.DeadlineExceeded); ok {
		t.Errorf("a deadline is a refusal")
	}
}

// The engine cleans questions itself, so that a terminal gets the answer
// Discord gets: a zero-width joiner, a soft hyphen or a bidi control inside a
// word does not hide the word.
func TestAnswerCleansQuestion(t *testing.T) {
	e := storyEngine(t)
	ctx := context.Background()
	plain, err := e.Answer(ctx, "Who signed the pact?")
	if err != nil {
		t.Fatal(err)
	}
	if !plain.Found {
		t.Fatalf("plain question not found: %+v", plain)
	}
	for _, q := range []string{"Who signed the pa\u200dct?", "Who sig\u00adned the pact?", "Who signed the \u202epact\u202c?", " Who\tsigned  the pact?\u200b"} {
		t.Run(q, func(t *testing.T) {
			a, err := e.Answer(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Question != plain.Question || a.Text != plain.Text || !a.Found || a.DidYouMean != "" {
				t.Errorf("Answer(%q) = %q (found %v, did you mean %q), want %q", q, a.Text, a.Found, a.DidYouMean, plain.Text)
			}
			if !reflect.DeepEqual(a.Citations, plain.Citations) {
				t.Errorf("citations differ from the plain question's")
			}
		})
	}
	want, err := e.Search(ctx, "security pact", 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Search(ctx, "secu\u200bri\u00adty pa\u200dct", 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want.Total == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("Search with invisible characters = %+v, want %+v", got, want)
	}
}

func TestRefusedQuestions(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	ctx := context.Background()
	for _, tt := range []struct {
		q      string
		reason Reason
	}{
		{"?!", ReasonNoWords},
		{"\u200b\u200d", ReasonEmpty},
		{"keeper \xfe", ReasonNotText},
		{strings.Repeat("keeper ", 400), ReasonTooLong},
	} {
		if _, err := e.Answer(ctx, tt.q); !isRefusal(err, tt.reason) {
			t.Errorf("Answer(%.20q) error = %v, want refused as %v", tt.q, err, tt.reason)
		}
		if _, err := e.Search(ctx, tt.q, 0, 5); !isRefusal(err, tt.reason) {
			t.Errorf("Search(%.20q) error = %v, want refused as %v", tt.q, err, tt.reason)
		}
	}
}

func isRefusal(err error, want Reason) bool {
	r, ok := Refusal(err)
	return ok && r == want
}

// cleanCases are questions clean and not: spaces around, doubled, of other
// kinds, controls, invisible characters, invalid UTF-8.
var cleanCases = []string{"", " ", "Who is Mara?", "Who  is Mara?", " Who", "Who ", "a\tb", "a\nb", "a\x7fb", "a\x00b",
	"~!@#$%^&*()_+`-=[]{}|;':\",./<>?", "café", "wh\u200bo", "x\xffy", "a \u00a0b", "1 2 3"}

// TestCleanQuestionCopies checks that CleanQuestion, which leaves a clean
// question as it is, cleans as copying it rune by rune does.
func TestCleanQuestionCopies(t *testing.T) {
	for _, q := range cleanCases {
		if got, want := CleanQuestion(q), cleanQuestion(q); got != want {
			t.Errorf("CleanQuestion(%q) = %q, copied %q", q, got, want)
		}
	}
}

func FuzzCleanQuestion(f *testing.F) {
	for _, q := range cleanCases {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if got, want := CleanQuestion(q), cleanQuestion(q); got != want {
			t.Errorf("CleanQuestion(%q) = %q, copied %q", q, got, want)
		}
	})
}
