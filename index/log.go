package index

import (
	"log"
	"log/slog"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// RouteLogs sends the lines bleve logs by itself through h, as warnings, so
// that a process's logs have one format. bleve logs through loggers of its
// own packages (bleve, mapping, query: discarded unless set) and, in its
// scorch engine, through the standard library's default logger ("unable to
// load snapshot"); RouteLogs sets all of them. They are process-wide, which
// is why Open does not do it: main's wiring calls RouteLogs once.
func RouteLogs(h slog.Handler) {
	l := slog.NewLogLogger(h, slog.LevelWarn)
	bleve.SetLog(l)
	mapping.SetLog(l)
	query.SetLog(l)
	log.SetFlags(0)
	log.SetPrefix("")
	log.SetOutput(l.Writer())
}
