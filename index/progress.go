package index

import "time"

// Progress says how far a build is.
type Progress struct {
	// Documents of TotalDocuments are indexed, and Passages of
	// TotalPassages.
	Documents, TotalDocuments int
	Passages, TotalPassages   int
}

// ProgressEvery is the least time between two reports of a build's
// progress, but for the first and the last: often enough for a person
// watching, rarely enough for a Discord message edited at each.
const ProgressEvery = 250 * time.Millisecond

// reporter throttles progress reports.
type reporter struct {
	f    func(Progress)
	p    Progress
	sent Progress  // the last report
	last time.Time // when it was sent; zero before the first
}

func newReporter(f func(Progress), docs, passages int) *reporter {
	return &reporter{f: f, p: Progress{TotalDocuments: docs, TotalPassages: passages}}
}

// documentDone reports docs documents and passages passages indexed, unless
// the last report is too recent.
func (r *reporter) documentDone(docs, passages int) {
	if r.f == nil {
		return
	}
	r.p.Documents, r.p.Passages = docs, passages
	if !r.last.IsZero() && time.Since(r.last) < ProgressEvery {
		return
	}
	r.send()
}

// done reports every document indexed, with passages passages, unless the
// last report said so.
func (r *reporter) done(passages int) {
	if r.f == nil {
		return
	}
	r.p.Documents, r.p.Passages = r.p.TotalDocuments, passages
	if !r.last.IsZero() && r.sent == r.p {
		return
	}
	r.send()
}

func (r *reporter) send() {
	r.sent, r.last = r.p, time.Now()
	r.f(r.p)
}
