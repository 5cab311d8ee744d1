package corpus

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"white space", " \t\n ", nil},
		{"one", "The cat sat.", []string{"The cat sat."}},
		{"no final stop", "The cat sat. The dog did not", []string{"The cat sat.", "The dog did not"}},
		{"surrounding space", "  One.   Two.  ", []string{"One.", "Two."}},
		{"exclamation and question", "Stop! Who goes there? Friend.", []string{"Stop!", "Who goes there?", "Friend."}},
		{"repeated marks", "Really?! Yes!!! Fine.", []string{"Really?!", "Yes!!!", "Fine."}},

		// Abbreviations.
		{"titles", "Mr. Smith met Mrs. Jones and Dr. Who at St. Paul's. They talked.",
			[]string{"Mr. Smith met Mrs. Jones and Dr. Who at St. Paul's.", "They talked."}},
		{"dotted abbreviation before a name", "The U.S. Secretary of State spoke. Then he left.",
			[]string{"The U.S. Secretary of State spoke.", "Then he left."}},
		{"dotted abbreviation before lower case", "They are U.S. regional allies.", []string{"They are U.S. regional allies."}},
		{"dotted abbreviation ending a sentence", "He moved to the U.S. The move was hard.",
			[]string{"He moved to the U.S.", "The move was hard."}},
		{"e.g. and i.e.", "Fruit, e.g. apples, i.e. the red kind. Good.", []string{"Fruit, e.g. apples, i.e. the red kind.", "Good."}},
		{"etc. before lower case", "Apples, pears, etc. are sold here. Come in.", []string{"Apples, pears, etc. are sold here.", "Come in."}},
		{"etc. ending a sentence", "Apples, pears, etc. The shop is open.", []string{"Apples, pears, etc.", "The shop is open."}},
		{"Jr.", "Martin Luther King Jr. was born in Atlanta. He spoke.",
			[]string{"Martin Luther King Jr. was born in Atlanta.", "He spoke."}},
		{"Jr. ending a sentence", "He met Sammy Davis Jr. He was kind.", []string{"He met Sammy Davis Jr.", "He was kind."}},
		{"St. before a name", "Or else St. Lawrence's eyes.", []string{"Or else St. Lawrence's eyes."}},
		{"No. before a number", "He lives at No. 5 and works at No. 10. Good.", []string{"He lives at No. 5 and works at No. 10.", "Good."}},
		{"no as a word", `"No." Hans shook his head.`, []string{`"No."`, "Hans shook his head."}},
		{"circa", "Jacques Lefevre (c. 1455–1536) wrote it.", []string{"Jacques Lefevre (c. 1455–1536) wrote it."}},

		// Initials.
		{"initials", "The Hobbit is by J. R. R. Tolkien. It is long.", []string{"The Hobbit is by J. R. R. Tolkien.", "It is long."}},
		{"middle initial", "Nixon named William E. Simon as the first Administrator.", []string{"Nixon named William E. Simon as the first Administrator."}},
		{"initials without spaces", "J.R.R. Tolkien wrote it. He was a professor.", []string{"J.R.R. Tolkien wrote it.", "He was a professor."}},
		{"initial and a single-letter word", "Written by J. A. Hobson. A classic.", []string{"Written by J. A. Hobson.", "A classic."}},
		{"name ending in a short word", "He met Kim Jong Un. They signed a pact.", []string{"He met Kim Jong Un.", "They signed a pact."}},
		{"roman numeral", "He served King Charles III. He was loyal.", []string{"He served King Charles III.", "He was loyal."}},

		// Quotes.
		{"curly quote then lower case", "“Come here!” he said. She came.", []string{"“Come here!” he said.", "She came."}},
		{"straight quote then lower case", `"Come here!" he said. She came.`, []string{`"Come here!" he said.`, "She came."}},
		{"single quotes", `'Are you asleep?' asked he. 'No.'`, []string{`'Are you asleep?' asked he.`, `'No.'`}},
		{"closing curly quote ends the sentence", "He said “Stop.” Then he left.", []string{"He said “Stop.”", "Then he left."}},
		{"closing straight quote ends the sentence", `He said "Stop." Then he left.`, []string{`He said "Stop."`, "Then he left."}},
		{"opening quote starts a sentence", "Chang added. “It makes no sense.”", []string{"Chang added.", "“It makes no sense.”"}},
		{"two sentences in one quote", `"Wait a little. I must not forget the Emperor," she said.`,
			[]string{`"Wait a little.`, `I must not forget the Emperor," she said.`}},
		{"exclamation inside a sentence", `"Climb up! little boy," said the Tree.`, []string{`"Climb up! little boy," said the Tree.`}},
		{"brackets", "He left (for good.) Nobody cried.", []string{"He left (for good.)", "Nobody cried."}},
		{"quoted ellipsis", "Moscow is “…” [make] “If South Korea sends weapons,” Putin said.",
			[]string{"Moscow is “…” [make] “If South Korea sends weapons,” Putin said."}},

		// Ellipses.
		{"ellipsis before lower case", "I thought... and then I slept. Done.", []string{"I thought... and then I slept.", "Done."}},
		{"ellipsis before upper case", "It is going to rise... Certainly! And how!... You buy our oil.",
			[]string{"It is going to rise...", "Certainly!", "And how!...", "You buy our oil."}},
		{"ellipsis character", "Well… maybe. Or not… Who knows?", []string{"Well… maybe.", "Or not…", "Who knows?"}},
		{"spaced ellipsis", "And so . . . the end. Next.", []string{"And so . . . the end.", "Next."}},

		// Numbers.
		{"decimal", "The rate rose 3.5 percent. Then it fell.", []string{"The rate rose 3.5 percent.", "Then it fell."}},
		{"thousands", "It cost 7,000,000 crowns. That is a lot.", []string{"It cost 7,000,000 crowns.", "That is a lot."}},
		{"number ending a sentence", "It was built in 1871. It still stands.", []string{"It was built in 1871.", "It still stands."}},
		{"sentence starting with a number", "It was built. 1871 was the year.", []string{"It was built.", "1871 was the year."}},
		{"list number", "1. Take the coast road north.", []string{"1. Take the coast road north."}},
		{"version and domain", "See example.com or v1.2.3 for more. Thanks.", []string{"See example.com or v1.2.3 for more.", "Thanks."}},

		// Other.
		{"missing space after stop", "But the Spring never came, nor the Summer.The Autumn gave golden fruit.",
			[]string{"But the Spring never came, nor the Summer.", "The Autumn gave golden fruit."}},
		{"dot inside a name", "He works at ASP.NET Core daily.", []string{"He works at ASP.NET Core daily."}},
		{"blank line", "A heading\n\nThe text follows.", []string{"A heading", "The text follows."}},
		{"single line break", "A line\nthat goes on.", []string{"A line\nthat goes on."}},
		{"dash after stop", "He stopped. — Then he ran.", []string{"He stopped. — Then he ran."}},
		{"full-width stops", "你好。世界！", []string{"你好。", "世界！"}},
		{"non-Latin upper case", "Он пришёл. Она ушла.", []string{"Он пришёл.", "Она ушла."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSentences(tt.text)
			var texts []string
			for _, s := range got {
				texts = append(texts, s.Text)
				if tt.text[s.Start:s.End] != s.Text {
					t.Errorf("text[%d:%d] = %q, Text = %q", s.Start, s.End, tt.text[s.Start:s.End], s.Text)
				}
			}
			if !slices.Equal(texts, tt.want) {
				t.Errorf("SplitSentences(%q)\n got %q\nwant %q", tt.text, texts, tt.want)
			}
			checkSentences(t, tt.text, got)
		})
	}
}

// checkSentences checks that sentences are non-empty, trimmed, in order,
// do not overlap, index text, and leave out nothing but white space.
func checkSentences(t *testing.T, text string, sents []Sentence) {
	t.Helper()
	last := 0
	for i, s := range sents {
		switch {
		case s.Start < last || s.End <= s.Start || s.End > len(text):
			t.Fatalf("sentence %d: bad span [%d:%d] after %d in %d bytes", i, s.Start, s.End, last, len(text))
		case text[s.Start:s.End] != s.Text:
			t.Fatalf("sentence %d: text[%d:%d] = %q, Text = %q", i, s.Start, s.End, text[s.Start:s.End], s.Text)
		case strings.TrimSpace(s.Text) != s.Text || s.Text == "":
			t.Fatalf("sentence %d: %q is empty or not trimmed", i, s.Text)
		case strings.TrimSpace(text[last:s.Start]) != "":
			t.Fatalf("sentence %d: %q before it is in no sentence", i, text[last:s.Start])
		}
		last = s.End
	}
	if rest := strings.TrimSpace(text[last:]); rest != "" {
		t.Fatalf("%q at the end is in no sentence", rest)
	}
}
