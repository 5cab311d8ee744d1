package answer

import "strings"

// A spelling variant is a word's other regular British or American
// spelling: "colour" and "color", "centre" and "center", "organise" and
// "organize", "travelled" and "traveled". A question word the corpus never
// uses, one of whose variants it does use, is read as that variant: the
// word the reader meant, spelt as the corpus spells it. Unlike a correction
// it is no guess, so it counts fully and is not offered as a "did you
// mean".

// variantRule is one pair of endings that spell the same word: a word
// ending in british after a stem of at least minStem letters (whose last
// letter, when after is set, is one of after) is spelt ending in american
// instead, and the other way round.
type variantRule struct {
	british, american string
	minStem           int
	after             string
}

// variantRules are the pairs of endings, with their inflections. A stem of
// three letters or more keeps short words out ("four" is no "for", "rise"
// no "rize"); the doubled l is only that of an unstressed -el or -al
// ("travelled", "signalled"), never of "filled" or "smiled".
var variantRules = func() []variantRule {
	var rs []variantRule
	add := func(minStem int, after string, pairs ...string) {
		for i := 0; i+1 < len(pairs); i += 2 {
			rs = append(rs, variantRule{pairs[i], pairs[i+1], minStem, after})
		}
	}
	for _, x := range []string{"", "s", "ed", "ing", "er", "ers", "ful", "fully", "less", "able", "ably", "ite", "ites", "ist", "ists"} {
		add(3, "", "our"+x, "or"+x)
	}
	add(3, "btgvh", "re", "er", "res", "ers", "red", "ered", "ring", "ering")
	for _, x := range []string{"e", "es", "ed", "ing", "er", "ers", "ation", "ations", "able"} {
		add(3, "", "is"+x, "iz"+x, "ys"+x, "yz"+x)
	}
	add(3, "", "ogue", "og", "ogues", "ogs", "ogued", "oged", "oguing", "oging")
	add(3, "", "ence", "ense", "ences", "enses", "enced", "ensed", "enceless", "enseless")
	add(3, "ae", "lled", "led", "lling", "ling", "ller", "ler", "llers", "lers", "llous", "lous")
	return rs
}()

// spellingVariants calls fn with each spelling variant of lower-case word
// w, by each rule that applies to it.
func spellingVariants(w string, fn func(string)) {
	try := func(from, to string, r variantRule) {
		stem, ok := strings.CutSuffix(w, from)
		if !ok || len(stem) < r.minStem || !isLetters(stem) {
			return
		}
		if r.after != "" && !strings.ContainsRune(r.after, rune(stem[len(stem)-1])) {
			return
		}
		fn(stem + to)
	}
	for _, r := range variantRules {
		try(r.british, r.american, r)
		try(r.american, r.british, r)
	}
}

// isLetters reports whether s is all lower-case ASCII letters.
func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// respelling is the spelling variant of lower-case word lw that the corpus
// uses, the most used of them, when the corpus does not use lw itself
// (possessives counted, see uses), or "". The variant of a possessive is
// that of the word it is of.
func (v *vocabulary) respelling(lw string) string {
	if v.uses(lw) > 0 {
		return ""
	}
	for _, possessive := range possessives {
		if base, ok := strings.CutSuffix(lw, possessive); ok {
			lw = base
			break
		}
	}
	best, bestN := "", 0
	spellingVariants(lw, func(c string) {
		if n := v.uses(c); n > bestN || n == bestN && n > 0 && c < best {
			best, bestN = c, n
		}
	})
	return best
}
