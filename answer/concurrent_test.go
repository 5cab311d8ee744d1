package answer

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"sync"
	"testing"
)

// TestAnswersConcurrently asks one engine the same questions from several
// goroutines at once: each answer must be the one a lone asker gets. The
// buffers kept between questions (a question's term IDs, its query's terms,
// its ranked spans) are each one question's while it is answered.
func TestAnswersConcurrently(t *testing.T) {
	e := storyEngine(t)
	f, err := os.Open("testdata/devset/story-paraphrase.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, err := ReadQuestions(f)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	want := make([]Answer, len(qs))
	for i, q := range qs {
		if want[i], err = e.Answer(ctx, q.Q); err != nil {
			t.Fatalf("%q: %v", q.Q, err)
		}
	}
	const askers, rounds = 4, 3
	var wg sync.WaitGroup
	errs := make(chan error, askers)
	for g := range askers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				// Each asker starts at another question, so that
				// different questions are answered at the same time.
				for k := range qs {
					i := (k + g*len(qs)/askers) % len(qs)
					got, err := e.Answer(ctx, qs[i].Q)
					if err != nil || !reflect.DeepEqual(got, want[i]) {
						errs <- fmt.Errorf("asker %d, round %d, %q: got %+v (%v), want %+v", g, r, qs[i].Q, got, err, want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
