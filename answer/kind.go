package answer

import (
	"regexp"
	"strings"
	"unicode"
)

// answerKind is what a question asks for.
type answerKind struct {
	kind  int
	words map[string]bool // the question's own words, lower-cased
}

const (
	kindAny = iota
	kindPerson
	kindTime
	kindNumber
	kindPlace
	kindReason
	kindFeeling
)

func kindOf(q string) answerKind {
	k := answerKind{words: map[string]bool{}}
	for _, w := range strings.FieldsFunc(strings.ToLower(q), notAlnum) {
		k.words[w] = true
	}
	lq := strings.ToLower(q)
	switch {
	case k.words["feel"] || k.words["felt"] || k.words["feeling"] || k.words["react"] || k.words["reacted"]:
		k.kind = kindFeeling
	case strings.HasPrefix(lq, "how many") || strings.HasPrefix(lq, "how much") ||
		strings.Contains(lq, "how many") || strings.Contains(lq, "how much") ||
		strings.HasPrefix(lq, "how long") || strings.HasPrefix(lq, "how old") ||
		strings.Contains(lq, "what percentage"):
		k.kind = kindNumber
	case strings.HasPrefix(lq, "when") || strings.Contains(lq, "what year") ||
		strings.Contains(lq, "which year") || strings.Contains(lq, "what century") ||
		strings.Contains(lq, "what date") || strings.Contains(lq, "what day"):
		k.kind = kindTime
	case strings.HasPrefix(lq, "who") || strings.HasPrefix(lq, "whom") || strings.HasPrefix(lq, "whose"):
		k.kind = kindPerson
	case strings.HasPrefix(lq, "where"):
		k.kind = kindPlace
	case strings.HasPrefix(lq, "why") || strings.Contains(lq, "what caused") || strings.Contains(lq, "what reason"):
		k.kind = kindReason
	}
	return k
}

var (
	reNumber  = regexp.MustCompile(`\d+(?:[.,]\d+)*|\b(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half)\b`)
	reTime    = regexp.MustCompile(`\b(1\d{3}|20\d{2})s?\b|\b\d+(st|nd|rd|th)\b|\b(?i:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|century|centuries|morning|evening|night|noon|midnight|spring|summer|autumn|winter|year|years|day|days|week|weeks|month|months|ago|later|after|before|until|during)\b`)
	reReason  = regexp.MustCompile(`\b(?i:because|since|after|as a result|due to|owing to|so that|in order to|in response|following|reason|caused|cause|so as to|for fear)\b`)
	reFeeling = regexp.MustCompile(`\b(?i:glad|happy|happiness|joy|joyful|joyous|delight|delighted|pleased|proud|grateful|thankful|relieved|content|sad|sadness|sorrow|sorrowful|sorry|grief|grieved|unhappy|miserable|wretched|tears|wept|weep|cried|angry|anger|furious|rage|wrath|annoyed|vexed|cross|afraid|fear|feared|frightened|terrified|terror|scared|alarmed|anxious|worried|uneasy|nervous|astonished|astonishment|amazed|amazement|surprised|surprise|wonder|bewildered|ashamed|shame|embarrassed|jealous|envious|envy|lonely|disappointed|despair|hopeless|hopeful|eager|excited|curious|troubled|distress|distressed|honoured|honored|heartbroken|overjoyed|comforted|calm|shocked|horrified|disgusted|pity|love|loved|hated|hate)\b`)
	rePlace   = regexp.MustCompile(`\b(?:in|at|from|near|to|on|into|across)\s+(?:the\s+)?\p{Lu}`)
)

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// matches reports whether a sentence holds the kind of thing asked for,
// other than what the question itself says.
func (k answerKind) matches(s string) bool {
	switch k.kind {
	case kindNumber:
		return k.newMatch(reNumber, s)
	case kindTime:
		return k.newMatch(reTime, s)
	case kindPlace:
		return k.newMatch(rePlace, s)
	case kindPerson:
		return k.newName(s)
	case kindReason:
		return reReason.MatchString(s)
	case kindFeeling:
		return reFeeling.MatchString(s)
	}
	return false
}

// newMatch reports whether re matches s somewhere the question's words do
// not.
func (k answerKind) newMatch(re *regexp.Regexp, s string) bool {
	for _, m := range re.FindAllString(s, -1) {
		for _, w := range strings.FieldsFunc(strings.ToLower(m), notAlnum) {
			if !k.words[w] && !stopWords[w] {
				return true
			}
		}
	}
	return false
}

// newName reports whether s holds a capitalised word, not at its start, that
// the question does not.
func (k answerKind) newName(s string) bool {
	found := false
	first := true
	eachWord(s, func(w string, _, _ int) {
		if found {
			return
		}
		if first {
			first = false
			return
		}
		r := []rune(w)[0]
		if unicode.IsUpper(r) && !k.words[strings.ToLower(w)] && w != "I" {
			found = true
		}
	})
	return found
}
