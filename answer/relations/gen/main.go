// Command gen regenerates answer/relations/relations.txt, and its inverse
// answer/relations/named.txt, from WordNet 3.0 (Debian package
// wordnet-base) and the answer package's English word list.
//
// From the repository's root:
//
//	apt-get install -y wordnet-base
//	go run ./answer/relations/gen
//
// It keeps the relations between single lower-case words: synonyms (words of
// one synset), derivationally related forms (rule, ruler), pertainyms
// (french → france, quickly → quick), part holonyms (paris → france), one
// level of hypernyms and instance hypernyms (newspaper → press, paris →
// capital, past a hypernym named only in many words: national_capital) and
// antonyms (good, bad), and derivations WordNet lacks between an adjective
// saying its noun is lacking and the noun (senseless, sense). A word is kept when the English word
// list holds it or WordNet spells it with a capital (a name: France, Paris).
// The output is one line a word and kind, sorted, so the same WordNet gives
// the same file. The inverse has one line a word, sorted: the word, then
// each word whose lines name it, in the order of those lines, with its
// kind's letter before it (france pfrench hparis ...).
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	wordnet := fs.String("wordnet", "/usr/share/wordnet", "folder of WordNet 3.0's data.* files")
	englishPath := fs.String("english", "answer/english.txt.gz", "the English word list")
	out := fs.String("out", "answer/relations/relations.txt", "file to write")
	namedOut := fs.String("named", "answer/relations/named.txt", "file to write the inverse to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	english, err := readEnglish(*englishPath)
	if err != nil {
		return err
	}
	text, err := build(*wordnet, english)
	if err != nil {
		return err
	}
	named := inverse(text)
	if err := os.WriteFile(*out, text, 0o644); err != nil {
		return fmt.Errorf("write relations: %w", err)
	}
	if err := os.WriteFile(*namedOut, named, 0o644); err != nil {
		return fmt.Errorf("write the relations' inverse: %w", err)
	}
	fmt.Printf("wrote %s: %d bytes, %s: %d bytes\n", *out, len(text), *namedOut, len(named))
	return nil
}

// readEnglish reads a gzipped word list, one word a line.
func readEnglish(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read word list: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("read word list %q: %w", path, err)
	}
	words := map[string]bool{}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		words[sc.Text()] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read word list %q: %w", path, err)
	}
	return words, nil
}

// Kind letters, as the relations package reads them.
const (
	synonym    = 's'
	derivation = 'd'
	pertainym  = 'p'
	holonym    = 'h'
	hypernym   = 'y'
	antonym    = 'a'
)

// pointers maps WordNet's pointer symbols to the kind they give.
var pointers = map[string]byte{
	"+":  derivation,
	"\\": pertainym,
	"#p": holonym,
	"@":  hypernym,
	"@i": hypernym,
	"!":  antonym,
}

// synset is one parsed line of a data.* file.
type synset struct {
	words []string // as WordNet spells them, markers stripped
	ptrs  []pointer
}

type pointer struct {
	kind     byte
	target   string // offset and part of speech, "08929922 n"
	src, dst int    // word numbers from 1; 0 for the whole synset
}

// build reads WordNet's data files in folder dir and returns the relations
// file's text.
func build(dir string, english map[string]bool) ([]byte, error) {
	synsets := map[string]*synset{}
	var order []string
	for _, part := range []string{"noun", "verb", "adj", "adv"} {
		path := filepath.Join(dir, "data."+part)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read WordNet: %w", err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line == "" || line[0] == ' ' {
				continue // the licence at the head of the file
			}
			key, s, err := parseSynset(line)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", path, err)
			}
			synsets[key] = s
			order = append(order, key)
		}
	}
	keep := func(w string) (string, bool) {
		lw := strings.ToLower(w)
		for _, r := range lw {
			if r < 'a' || r > 'z' {
				return "", false
			}
		}
		if len(lw) < 2 {
			return "", false
		}
		return lw, english[lw] || lw != w
	}
	edges := map[string]map[byte]map[string]bool{}
	add := func(a, b string, k byte) {
		a, okA := keep(a)
		b, okB := keep(b)
		if !okA || !okB || a == b {
			return
		}
		if edges[a] == nil {
			edges[a] = map[byte]map[string]bool{}
		}
		if edges[a][k] == nil {
			edges[a][k] = map[string]bool{}
		}
		edges[a][k][b] = true
	}
	for _, key := range order {
		s := synsets[key]
		for _, a := range s.words {
			for _, b := range s.words {
				add(a, b, synonym)
			}
		}
		for _, p := range s.ptrs {
			t, ok := synsets[p.target]
			if !ok {
				return nil, fmt.Errorf("synset %s points at %s, which is missing", key, p.target)
			}
			from, to := s.words, t.words
			if p.kind == hypernym && !anyKept(t.words, keep) {
				// A hypernym of many words only (national_capital) gives
				// way to its own hypernyms (capital).
				to = nil
				for _, q := range t.ptrs {
					if u, ok := synsets[q.target]; ok && q.kind == hypernym {
						to = append(to, u.words...)
					}
				}
			}
			if p.src > 0 {
				if p.src > len(s.words) || p.dst > len(t.words) || p.dst == 0 {
					return nil, fmt.Errorf("synset %s: pointer %d→%d out of range", key, p.src, p.dst)
				}
				from, to = s.words[p.src-1:p.src], t.words[p.dst-1:p.dst]
			}
			for _, a := range from {
				for _, b := range to {
					add(a, b, p.kind)
				}
			}
		}
	}
	addWithout(synsets, order, add)
	var buf bytes.Buffer
	for _, w := range slices.Sorted(maps.Keys(edges)) {
		kinds := make([]byte, 0, len(edges[w]))
		for k := range edges[w] {
			kinds = append(kinds, k)
		}
		sort.Slice(kinds, func(i, j int) bool { return kinds[i] < kinds[j] })
		for _, k := range kinds {
			rel := make([]string, 0, len(edges[w][k]))
			for r := range edges[w][k] {
				rel = append(rel, r)
			}
			sort.Strings(rel)
			fmt.Fprintf(&buf, "%s %c %s\n", w, k, strings.Join(rel, " "))
		}
	}
	return buf.Bytes(), nil
}

// inverse returns the inverse of the relations file's text: for each word
// named in it, one line, in sorted order, of the word and then each word
// whose lines name it, its kind's letter before it, in the order of those
// lines.
func inverse(text []byte) []byte {
	named := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
		f := strings.Fields(line)
		for _, r := range f[2:] {
			named[r] = append(named[r], f[1]+f[0])
		}
	}
	var buf bytes.Buffer
	for _, w := range slices.Sorted(maps.Keys(named)) {
		fmt.Fprintf(&buf, "%s %s\n", w, strings.Join(named[w], " "))
	}
	return buf.Bytes()
}

// withoutSuffix is the ending of an adjective that says its noun is
// lacking (senseless, homeless): WordNet derives such an adjective only its
// own noun (senselessness), not the word it is made from, which a text
// writes as "no sense", "without a home".
const withoutSuffix = "less"

// addWithout adds, by add, a derivation each way between every adjective
// of the synsets (keyed in order) that ends in withoutSuffix and the noun
// it is made from, when WordNet has that noun.
func addWithout(synsets map[string]*synset, order []string, add func(a, b string, k byte)) {
	nouns := map[string]bool{}
	for _, key := range order {
		if strings.HasSuffix(key, " n") {
			for _, w := range synsets[key].words {
				nouns[w] = true
			}
		}
	}
	for _, key := range order {
		if !strings.HasSuffix(key, " a") {
			continue
		}
		for _, w := range synsets[key].words {
			stem, ok := strings.CutSuffix(w, withoutSuffix)
			if ok && len(stem) >= 3 && nouns[stem] {
				add(w, stem, derivation)
				add(stem, w, derivation)
			}
		}
	}
}

// anyKept reports whether keep keeps one of words.
func anyKept(words []string, keep func(string) (string, bool)) bool {
	for _, w := range words {
		if _, ok := keep(w); ok {
			return true
		}
	}
	return false
}

// parseSynset parses one line of a data.* file: offset, lexicographer file,
// part of speech, word count (hex), words with their lex ids, pointer count,
// pointers (symbol, offset, part of speech, source/target in hex), then
// verb frames and the gloss, which are not read.
func parseSynset(line string) (string, *synset, error) {
	head, _, _ := strings.Cut(line, " | ")
	f := strings.Fields(head)
	if len(f) < 4 {
		return "", nil, errors.New("short synset line")
	}
	pos := f[2]
	if pos == "s" {
		pos = "a" // adjective satellites are pointed at as adjectives
	}
	key := f[0] + " " + pos
	n, err := strconv.ParseInt(f[3], 16, 32)
	if err != nil || len(f) < 4+2*int(n)+1 {
		return "", nil, fmt.Errorf("synset %s: bad word count %q", f[0], f[3])
	}
	s := &synset{}
	i := 4
	for range n {
		w := f[i]
		if j := strings.IndexByte(w, '('); j > 0 {
			w = w[:j] // adjective markers: (a), (p), (ip)
		}
		s.words = append(s.words, w)
		i += 2
	}
	np, err := strconv.Atoi(f[i])
	if err != nil || len(f) < i+1+4*np {
		return "", nil, fmt.Errorf("synset %s: bad pointer count %q", f[0], f[i])
	}
	i++
	for range np {
		sym, off, ppos, st := f[i], f[i+1], f[i+2], f[i+3]
		i += 4
		k, ok := pointers[sym]
		if !ok {
			continue
		}
		if ppos == "s" {
			ppos = "a"
		}
		if len(st) != 4 {
			return "", nil, fmt.Errorf("synset %s: bad pointer source/target %q", f[0], st)
		}
		src, err1 := strconv.ParseUint(st[:2], 16, 8)
		dst, err2 := strconv.ParseUint(st[2:], 16, 8)
		if err1 != nil || err2 != nil {
			return "", nil, fmt.Errorf("synset %s: bad pointer source/target %q", f[0], st)
		}
		s.ptrs = append(s.ptrs, pointer{kind: k, target: off + " " + ppos, src: int(src), dst: int(dst)})
	}
	return key, s, nil
}
