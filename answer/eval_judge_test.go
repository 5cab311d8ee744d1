package answer

import "testing"

// TestJudgeFoldsGoldLikeAnswer checks that the judge strips Markdown from
// the gold passages as from the answer: an answer quoting a passage that
// holds a backtick or asterisks stands in it.
func TestJudgeFoldsGoldLikeAnswer(t *testing.T) {
	gold := "The keeper mixed the `simples’ for the lamp. Odo wrote the **log** each night."
	for _, text := range []string{
		"The keeper mixed the `simples’ for the lamp.",
		"Odo wrote the **log** each night.",
		"The keeper mixed the `simples’ for the lamp. Odo wrote the **log** each night.",
	} {
		q := EvalQuestion{Q: "Who wrote the log?", Keys: []string{"Odo", "simples'"}, Gold: []string{gold}}
		a := Answer{Found: true, Text: text, Citations: []Citation{{N: 1, Text: gold}}}
		if v := Judge(q, a); !v.Answer || !v.Cite1 {
			t.Errorf("%q: answer %v, cite@1 %v; want both", text, v.Answer, v.Cite1)
		}
	}
	q := EvalQuestion{Q: "Who wrote the log?", Keys: []string{"Odo"}, Gold: []string{gold}}
	if v := Judge(q, Answer{Found: true, Text: "Odo burnt the log each night."}); v.Answer {
		t.Error("an answer not in the gold passage judged right")
	}
}
