package corpus_test

import (
	"fmt"

	"github.com/storybot/storybot/corpus"
)

func ExampleSplitSentences() {
	text := `“Come here!” he said. Mr. Holm met J. R. R. Tolkien in the U.S. in 1971… and paid 3.5 crowns. He said "Stop." Then he left`
	for _, s := range corpus.SplitSentences(text) {
		fmt.Printf("%d-%d %s\n", s.Start, s.End, s.Text)
	}
	// Output:
	// 0-25 “Come here!” he said.
	// 26-99 Mr. Holm met J. R. R. Tolkien in the U.S. in 1971… and paid 3.5 crowns.
	// 100-115 He said "Stop."
	// 116-128 Then he left
}
