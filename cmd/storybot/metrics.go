package main

import (
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/storybot/storybot/bot"
)

// This file is the one importer of Prometheus's client.

// metricsNamespace starts the name of every metric storybot exports.
const metricsNamespace = "storybot"

// Label names.
const (
	labelSource  = "source"  // bot.Source's label: slash, mention, dm, context_menu, http
	labelOutcome = "outcome" // bot.Outcome's label: answered, not_found, refused, …
	labelVote    = "vote"    // up or down
	labelAction  = "action"  // a corpus change: reindex, add, replace, remove
	labelResult  = "result"  // ok or failed
)

// latencyBuckets are the upper bounds, in seconds, of the question latency
// histogram: from well under a millisecond (the story answers in about
// 0.2 ms) to Discord's 3 s for a first response and the bot's 30 s limit on
// one question.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3, 10, 30}

// metrics is what a serve exports at /metrics, on a registry of its own:
// the bot's Observer (questions, votes, reconnects), gauges read from the
// engine's Info at each scrape, corpus changes, and the Go runtime's and the
// process's collectors.
type metrics struct {
	reg        *prometheus.Registry
	questions  *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	votes      *prometheus.CounterVec
	reconnects prometheus.Counter
	changes    *prometheus.CounterVec
	lastChange prometheus.Gauge
}

var _ bot.Observer = (*metrics)(nil)

// newMetrics returns the metrics of a serve whose state st tells, built
// from version.
func newMetrics(st *status, version string) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: metricsNamespace, Name: "questions_total",
			Help: "Questions (asks, searches and their pages, mentions, DMs, the message command) by how they came in and how they ended.",
		}, []string{labelSource, labelOutcome}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: metricsNamespace, Name: "question_duration_seconds",
			Help:    "Time from a question's arrival to its reply being handed to Discord.",
			Buckets: latencyBuckets,
		}, []string{labelSource, labelOutcome}),
		votes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: metricsNamespace, Name: "feedback_votes_total",
			Help: "Feedback buttons clicked under answers.",
		}, []string{labelVote}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: metricsNamespace, Name: "gateway_reconnects_total",
			Help: "Times the Discord gateway connected again after its first connection.",
		}),
		changes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: metricsNamespace, Name: "corpus_changes_total",
			Help: "Changes to the corpus (reindexes, uploads, removals) by action and result.",
		}, []string{labelAction, labelResult}),
		lastChange: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: metricsNamespace, Name: "corpus_change_last_success_timestamp_seconds",
			Help: "When the corpus last changed successfully (0: not since the start), in Unix seconds.",
		}),
	}
	// Every label pair counted from zero, so that a rate is defined before
	// the first question of its kind.
	for _, src := range bot.Sources {
		for _, o := range bot.Outcomes {
			m.questions.WithLabelValues(src.String(), o.String())
		}
	}
	m.votes.WithLabelValues(voteLabel(true))
	m.votes.WithLabelValues(voteLabel(false))

	infoGauge := func(name, help string, f func(info infoView) float64) prometheus.GaugeFunc {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: metricsNamespace, Name: name, Help: help},
			func() float64 {
				info, _ := st.info()
				return f(infoView{info.Documents, info.Passages, info.Indexed})
			})
	}
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: metricsNamespace, Name: "build_info",
		Help:        "Always 1; the labels name the build.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	buildInfo.Set(1)
	m.reg.MustRegister(
		m.questions, m.latency, m.votes, m.reconnects, m.changes, m.lastChange,
		infoGauge("index_documents", "Documents in the corpus in service (0 until the index is loaded).",
			func(i infoView) float64 { return float64(i.documents) }),
		infoGauge("index_passages", "Passages in the index in service (0 until it is loaded).",
			func(i infoView) float64 { return float64(i.passages) }),
		infoGauge("index_built_timestamp_seconds", "When the index in service was built, in Unix seconds (0 until it is loaded).",
			func(i infoView) float64 { return unixSeconds(i.built) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: metricsNamespace, Name: "ready",
			Help: "1 when the serve can answer (index loaded, bot ready), else 0; as /readyz.",
		}, func() float64 {
			ok, _ := st.ready()
			return boolGauge(ok)
		}),
		buildInfo,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// infoView is what the gauges read of answer.Info.
type infoView struct {
	documents, passages int
	built               time.Time
}

// handler serves the metrics in Prometheus's text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Question counts a question and its latency.
func (m *metrics) Question(src bot.Source, o bot.Outcome, took time.Duration) {
	s, out := src.String(), o.String()
	m.questions.WithLabelValues(s, out).Inc()
	m.latency.WithLabelValues(s, out).Observe(took.Seconds())
}

// Vote counts a feedback vote.
func (m *metrics) Vote(up bool) { m.votes.WithLabelValues(voteLabel(up)).Inc() }

// Reconnect counts a gateway reconnection.
func (m *metrics) Reconnect() { m.reconnects.Inc() }

// corpusChanged counts a change to the corpus (action is "reindex", "add",
// "replace" or "remove"), made at when, and keeps the time of the last
// successful one. It is the hook for the corpus's change reports (an
// answer.Change: Action, OK, Time), for the serve that makes changes to
// call once each is done.
func (m *metrics) corpusChanged(action string, ok bool, at time.Time) {
	result := "ok"
	if !ok {
		result = "failed"
	}
	m.changes.WithLabelValues(action, result).Inc()
	if ok {
		m.lastChange.Set(unixSeconds(at))
	}
}

func voteLabel(up bool) string {
	if up {
		return "up"
	}
	return "down"
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// unixSeconds is t in Unix seconds, 0 for the zero time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMilli()) / 1e3
}
