package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/storybot/storybot/answer"
)

// How `storybot index` shows a build's progress.
const (
	// progressLogEvery is the least time between two log lines of progress
	// when standard error is no terminal (a log file, a container's log):
	// often enough to see a long build move, rarely enough not to flood.
	progressLogEvery = 5 * time.Second
	// barWidth is the progress bar's width in cells, which with the figures
	// after it fits an 80-column terminal.
	barWidth = 20
)

// buildProgress shows how a build goes: on a terminal, one line redrawn in
// place (a bar, documents and passages done, the rate, the time left);
// elsewhere, a log line now and then. Its report is the progress callback of a rebuild,
// called from the building goroutine only.
type buildProgress struct {
	term   io.Writer // the terminal, or nil
	logger *slog.Logger
	now    func() time.Time
	start  time.Time
	logged time.Time // the last log line; zero before the first
	drawn  int       // the length of the line on the terminal, 0 if none
}

// newBuildProgress shows progress on stderr when it is a terminal, or else
// through logger; now is the clock, start when the build began.
func newBuildProgress(stderr io.Writer, logger *slog.Logger, now func() time.Time) *buildProgress {
	p := &buildProgress{logger: logger, now: now, start: now()}
	if isTerminal(stderr) {
		p.term = stderr
	}
	return p
}

// report is told how far the build is.
func (p *buildProgress) report(pr answer.Progress) {
	t := p.now()
	if p.term == nil {
		if !p.logged.IsZero() && t.Sub(p.logged) < progressLogEvery {
			return
		}
		p.logged = t
		rate, left := p.pace(pr, t)
		p.logger.Info("indexing",
			"documents", pr.Documents, "of_documents", pr.TotalDocuments,
			"passages", pr.Passages, "of_passages", pr.TotalPassages,
			"passages_per_s", int(rate), "left", left.String())
		return
	}
	line := p.line(pr, t)
	pad := ""
	if n := p.drawn - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprint(p.term, "\r"+line+pad)
	p.drawn = len(line)
}

// finish ends the progress line on a terminal, so that what follows starts
// a line of its own.
func (p *buildProgress) finish() {
	if p.term != nil && p.drawn > 0 {
		fmt.Fprintln(p.term)
		p.drawn = 0
	}
}

// pace is the rate so far, in passages a second, and the time left at it
// (rounded to the second; 0 when unknown).
func (p *buildProgress) pace(pr answer.Progress, t time.Time) (float64, time.Duration) {
	took := t.Sub(p.start).Seconds()
	if took <= 0 || pr.Passages == 0 {
		return 0, 0
	}
	rate := float64(pr.Passages) / took
	left := time.Duration(float64(pr.TotalPassages-pr.Passages) / rate * float64(time.Second))
	return rate, left.Round(time.Second)
}

// line is the terminal's progress line:
//
//	indexing [########            ]  40%  20/50 documents  22,736/56,842 passages  9,100/s  3s left
func (p *buildProgress) line(pr answer.Progress, t time.Time) string {
	frac := 0.0
	if pr.TotalPassages > 0 {
		frac = float64(pr.Passages) / float64(pr.TotalPassages)
	}
	frac = min(max(frac, 0), 1)
	full := int(frac * barWidth)
	rate, left := p.pace(pr, t)
	s := fmt.Sprintf("indexing [%s%s] %3d%%  %d/%d documents  %s/%s passages",
		strings.Repeat("#", full), strings.Repeat(" ", barWidth-full), int(frac*100),
		pr.Documents, pr.TotalDocuments, thousands(pr.Passages), thousands(pr.TotalPassages))
	if rate > 0 {
		s += fmt.Sprintf("  %s/s  %s left", thousands(int(rate)), left)
	}
	return s
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
