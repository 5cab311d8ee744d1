package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/kelseyhightower/envconfig"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// Config is read once from the environment (prefix STORYBOT_).
type Config struct {
	Corpus        string        `envconfig:"CORPUS" desc:"folder of .txt and .md documents to answer from (default: the embedded story)"`
	DataDir       string        `envconfig:"DATA_DIR" desc:"folder for the index (default: the user's cache folder)"`
	DiscordToken  string        `envconfig:"DISCORD_TOKEN" desc:"Discord bot token (DISCORD_TOKEN is read too)"`
	GuildID       string        `envconfig:"GUILD_ID" desc:"register commands in this guild only (instant; for testing)"`
	RateLimit     int           `envconfig:"RATE_LIMIT" default:"5" desc:"questions a user may ask per RATE_WINDOW"`
	RateWindow    time.Duration `envconfig:"RATE_WINDOW" default:"30s" desc:"window of the per-user rate limit"`
	MaxConcurrent int           `envconfig:"MAX_CONCURRENT" default:"8" desc:"questions answered at once"`
	LogLevel      string        `envconfig:"LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
}

// usageError is a mistake in how storybot was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

const usage = `usage: storybot <command> [flags]

commands:
  ask [--json] [--top N] [QUESTION...]   answer a question (or one a line from stdin)
  index                                  build or rebuild the index
  eval [-v] QUESTIONS.jsonl              measure answer quality on a question set
  serve                                  run the Discord bot
  help                                   show this help and the environment it reads

common flags: --corpus DIR, --data-dir DIR
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg Config
	if err := envconfig.Process("storybot", &cfg); err != nil {
		return usagef("read environment: %v", err)
	}
	if cfg.DiscordToken == "" {
		cfg.DiscordToken = os.Getenv("DISCORD_TOKEN")
	}
	logger, err := newLogger(stderr, cfg.LogLevel)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("no command given")
	}
	cmd, rest := args[0], args[1:]
	logger = logger.With("cmd", cmd)
	switch cmd {
	case "ask":
		return runAsk(ctx, cfg, logger, rest, stdin, stdout, stderr)
	case "index":
		return runIndex(ctx, cfg, logger, rest, stdout, stderr)
	case "eval":
		return runEval(ctx, cfg, logger, rest, stdout, stderr)
	case "serve":
		return runServe(ctx, cfg, logger, rest, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		fmt.Fprintln(stdout, "\nenvironment:")
		return envconfig.Usagef("storybot", &cfg, stdout, envconfig.DefaultTableFormat)
	default:
		fmt.Fprint(stderr, usage)
		return usagef("unknown command %q", cmd)
	}
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("STORYBOT_LOG_LEVEL: %v", err)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// sourceFlags are the flags every command that loads the corpus takes.
type sourceFlags struct {
	corpus  string
	dataDir string
}

func (s *sourceFlags) register(fs *flag.FlagSet, cfg Config) {
	fs.StringVar(&s.corpus, "corpus", cfg.Corpus, "folder of .txt and .md documents (default: the embedded story)")
	fs.StringVar(&s.dataDir, "data-dir", cfg.DataDir, "folder for the index (default: the user's cache folder)")
}

// parse parses a command's flags, which may stand before, between or after
// its arguments ("--" ends them), and returns the arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		}
		if err != nil {
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

var errHelp = errors.New("help requested")

// loadCorpus reads the configured corpus, logging the files it skipped.
func loadCorpus(s sourceFlags, logger *slog.Logger) (*corpus.Corpus, error) {
	var c *corpus.Corpus
	var err error
	if s.corpus == "" {
		c, err = corpus.Default()
	} else {
		c, err = corpus.LoadDir(s.corpus)
	}
	if err != nil {
		return nil, fmt.Errorf("load corpus: %w", err)
	}
	for _, sk := range c.Skipped {
		logger.Warn("skipped corpus file", "file", sk.Path, "reason", sk.Reason)
	}
	return c, nil
}

func dataDir(s sourceFlags) (string, error) {
	if s.dataDir != "" {
		return s.dataDir, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "storybot-cache"), nil
	}
	return filepath.Join(dir, "storybot"), nil
}

// openEngine loads the corpus, opens (or builds) its index and returns an
// answer engine over both. The caller closes it.
func openEngine(ctx context.Context, s sourceFlags, opts answer.Options, logger *slog.Logger) (*answer.Engine, error) {
	c, err := loadCorpus(s, logger)
	if err != nil {
		return nil, err
	}
	dir, err := dataDir(s)
	if err != nil {
		return nil, err
	}
	return answer.Open(ctx, c, dir, logger, opts)
}
