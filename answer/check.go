package answer

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuestionLen bounds a question, in characters (code points) once
// cleaned; longer questions are refused.
const MaxQuestionLen = 2000

// Reason says why a question is refused.
type Reason int

// Why a question is refused.
const (
	// ReasonEmpty: nothing is left once white space and invisible
	// characters are dropped.
	ReasonEmpty Reason = iota + 1
	// ReasonTooLong: more characters than the limit.
	ReasonTooLong
	// ReasonNotText: not valid UTF-8.
	ReasonNotText
	// ReasonNoWords: no letter or digit, only punctuation and symbols.
	ReasonNoWords
)

func (r Reason) String() string {
	switch r {
	case ReasonEmpty:
		return "empty"
	case ReasonTooLong:
		return "too long"
	case ReasonNotText:
		return "not text"
	case ReasonNoWords:
		return "no words"
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// RefusedError is the error for a question that cannot be answered at all.
// errors.Is matches it against the sentinel for its reason: ErrEmptyQuestion
// (empty, no words), ErrLongQuestion and ErrInvalidQuestion.
type RefusedError struct {
	Reason Reason
	// Max is the limit a question over it broke, in characters (for
	// ReasonTooLong).
	Max int
}

func (e *RefusedError) Error() string {
	switch e.Reason {
	case ReasonEmpty:
		return "empty question"
	case ReasonTooLong:
		return fmt.Sprintf("question longer than %d characters", e.Max)
	case ReasonNotText:
		return "question is not valid UTF-8 text"
	case ReasonNoWords:
		return "question has no words to look for"
	}
	return "question refused: " + e.Reason.String()
}

// Is matches the sentinel of e's reason.
func (e *RefusedError) Is(target error) bool {
	switch target {
	case ErrEmptyQuestion:
		return e.Reason == ReasonEmpty || e.Reason == ReasonNoWords
	case ErrLongQuestion:
		return e.Reason == ReasonTooLong
	case ErrInvalidQuestion:
		return e.Reason == ReasonNotText
	}
	return false
}

// Sentinels a RefusedError matches with errors.Is; errors.As with a
// *RefusedError gives the precise reason.
var (
	ErrEmptyQuestion   = errors.New("empty question")
	ErrLongQuestion    = errors.New("question too long")
	ErrInvalidQuestion = errors.New("question is not valid UTF-8 text")
)

// Refusal returns the reason err refuses a question, and false when err is
// not a refusal.
func Refusal(err error) (Reason, bool) {
	var r *RefusedError
	if errors.As(err, &r) {
		return r.Reason, true
	}
	return 0, false
}

// CheckQuestion is the one check every question passes, whichever way it
// came (a terminal, a slash command, a mention): it cleans q (CleanQuestion)
// and refuses, with a *RefusedError, a question that is not UTF-8, is empty,
// holds more than max characters (max <= 0 or above MaxQuestionLen means
// MaxQuestionLen) or has no letter or digit. It returns the cleaned question.
func CheckQuestion(q string, max int) (string, error) {
	if max <= 0 || max > MaxQuestionLen {
		max = MaxQuestionLen
	}
	if !utf8.ValidString(q) {
		return "", &RefusedError{Reason: ReasonNotText}
	}
	q = CleanQuestion(q)
	if q == "" {
		return "", &RefusedError{Reason: ReasonEmpty}
	}
	if utf8.RuneCountInString(q) > max {
		return "", &RefusedError{Reason: ReasonTooLong, Max: max}
	}
	if strings.IndexFunc(q, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return "", &RefusedError{Reason: ReasonNoWords}
	}
	return q, nil
}

// Invisible reports characters that take no room on screen and may hide or
// split a word: zero-width spaces and joiners, the word joiner, the BOM, soft
// hyphens, bidi controls and other format characters, and the Hangul fillers.
func Invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || r == '\u180e' || r == '\u3164' || r == '\u115f' || r == '\u1160' || r == '\uffa0'
}

// CleanQuestion drops invisible characters (Invisible) and invalid UTF-8
// from q, turns each run of white space and control characters into one
// space and trims it, so that "pa\u200dct" and "pact" are the same word.
func CleanQuestion(q string) string {
	if cleanASCII(q) {
		return q // most questions: nothing to drop, nothing to copy
	}
	return cleanQuestion(q)
}

// cleanQuestion is CleanQuestion, copying q.
func cleanQuestion(q string) string {
	var b strings.Builder
	b.Grow(len(q))
	space := false
	for _, r := range q {
		switch {
		case r == utf8.RuneError || Invisible(r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// cleanASCII reports whether q is printable ASCII with single spaces
// between its words and none around them: what CleanQuestion leaves as it
// is.
func cleanASCII(q string) bool {
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c == ' ':
			if i == 0 || i == len(q)-1 || q[i-1] == ' ' {
				return false
			}
		case c < '!' || c > '~':
			return false
		}
	}
	return true
}
