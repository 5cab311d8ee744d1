package answer

// asksDeed reports whether a question asks what someone did or what
// happened ("What did the keeper do when the panes broke?", "What happened
// to the boat?"), and not for a kind of thing (a time, a person, a place, a
// number, a reason): the words it shares with the story tend to stand in
// the sentence that sets the scene, and the answer in the one after.
func asksDeed(pq question) bool {
	if pq.kind.kind != kindAny {
		return false
	}
	w := pq.kind.words
	return w["do"] || w["did"] || w["does"] || w["doing"] || w["happen"] || w["happened"] || w["happens"]
}

// answerSpan is the span whose sentences answer a question, given the best
// span the ranker found: for a question that asks what someone did or what
// happened (see asksDeed), the span goes on with the sentence after it,
// when its passage has one and the answer has room for it. A question that
// asks what came after something is left to its own rule (see parts).
//
// The ranker's spans are fitted, and labelled right or wrong, as they are
// found (see Spans): fitted on spans that went on so, the weights answered
// fewer questions of every set, the training set's own included, while the
// spans found and then continued answer more.
func answerSpan(pq question, best candidate) candidate {
	p := best.passage
	if !pq.follows && asksDeed(pq) && best.last+1 < len(p.Sentences) &&
		p.Sentences[best.last+1].End-p.Sentences[best.first].Start <= MaxAnswerLen {
		best.last++
	}
	return best
}
