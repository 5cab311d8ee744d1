package index

import "github.com/blevesearch/bleve/v2/analysis"

// The classes of ASCII bytes in Unicode's word boundaries (UAX #29), as
// the segmenter under bleve's unicode tokenizer has them.
const (
	wbOther        uint8 = iota // spaces, controls, most punctuation: never in a word
	wbLetter                    // A-Z, a-z (ALetter)
	wbDigit                     // 0-9 (Numeric)
	wbMidLetter                 // ':' (MidLetter): within a word between letters
	wbMidNumLet                 // '.', '\'' (MidNumLet, Single_Quote): between letters or between digits
	wbMidNum                    // ',', ';' (MidNum): between digits
	wbExtendNumLet              // '_' (ExtendNumLet): joins whatever word stands on either side
)

// asciiClass is the word-boundary class of each ASCII byte.
var asciiClass = func() (c [128]uint8) {
	for b := 'a'; b <= 'z'; b++ {
		c[b], c[b-'a'+'A'] = wbLetter, wbLetter
	}
	for b := '0'; b <= '9'; b++ {
		c[b] = wbDigit
	}
	c[':'] = wbMidLetter
	c['.'], c['\''] = wbMidNumLet, wbMidNumLet
	c[','], c[';'] = wbMidNum, wbMidNum
	c['_'] = wbExtendNumLet
	return c
}()

// isASCII reports whether s is all ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// eachASCIIWord calls fn with the byte offsets of each word of text, a
// text of ASCII bytes only, and the word's type, in order: the tokens
// bleve's unicode tokenizer makes of it, found without the segmenter,
// which looks at every byte through tables of all of Unicode. A word is a
// run of letters, digits and underscores, with a colon, full stop or
// apostrophe between two letters, and a comma, semicolon, full stop or
// apostrophe between two digits; a word without letters but with a digit
// is numeric.
func eachASCIIWord(text string, fn func(start, end int, typ analysis.TokenType)) {
	for i := 0; i < len(text); {
		c := asciiClass[text[i]]
		if c != wbLetter && c != wbDigit && c != wbExtendNumLet {
			i++
			continue
		}
		start, letters, digits := i, c == wbLetter, c == wbDigit
		prev := c
		for i++; i < len(text); {
			c := asciiClass[text[i]]
			if c == wbLetter || c == wbDigit || c == wbExtendNumLet {
				letters, digits, prev = letters || c == wbLetter, digits || c == wbDigit, c
				i++
				continue
			}
			if i+1 < len(text) {
				next := asciiClass[text[i+1]]
				betweenLetters := prev == wbLetter && next == wbLetter && (c == wbMidLetter || c == wbMidNumLet)
				betweenDigits := prev == wbDigit && next == wbDigit && (c == wbMidNum || c == wbMidNumLet)
				if betweenLetters || betweenDigits {
					prev = next
					i += 2
					continue
				}
			}
			break
		}
		typ := analysis.AlphaNumeric
		if digits && !letters {
			typ = analysis.Numeric
		}
		fn(start, i, typ)
	}
}
