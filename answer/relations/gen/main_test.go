package main

import (
	"bytes"
	"os"
	"testing"
)

// TestReproduces checks that the committed relations file and its inverse
// are what gen makes from WordNet.
func TestReproduces(t *testing.T) {
	const wordnet = "/usr/share/wordnet"
	if _, err := os.Stat(wordnet + "/data.noun"); err != nil {
		t.Skipf("WordNet is not installed (%v): apt-get install wordnet-base", err)
	}
	english, err := readEnglish("../../english.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	got, err := build(wordnet, english)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../relations.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("relations.txt is not what gen makes (%d bytes made, %d committed): run go run ./answer/relations/gen", len(got), len(want))
	}
	gotNamed := inverse(got)
	wantNamed, err := os.ReadFile("../named.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotNamed, wantNamed) {
		t.Errorf("named.txt is not what gen makes (%d bytes made, %d committed): run go run ./answer/relations/gen", len(gotNamed), len(wantNamed))
	}
}

func TestParseSynset(t *testing.T) {
	key, s, err := parseSynset(`02958393 01 a 02 French 0 Gallic 1 003 + 09708648 n 0202 \ 08929922 n 0201 \ 08929922 n 0101 | of or pertaining to France`)
	if err != nil {
		t.Fatal(err)
	}
	if key != "02958393 a" || len(s.words) != 2 || s.words[0] != "French" || len(s.ptrs) != 3 || s.ptrs[1].kind != pertainym || s.ptrs[1].src != 2 || s.ptrs[1].dst != 1 {
		t.Errorf("parseSynset = %q %+v", key, s)
	}
	for _, bad := range []string{"", "1 2 n", "02958393 01 a zz French 0 000", "02958393 01 a 01 French 0 001 + 1 n 01"} {
		if _, _, err := parseSynset(bad); err == nil {
			t.Errorf("parseSynset(%q) gave no error", bad)
		}
	}
}

// TestAddWithout checks that an adjective saying its noun is lacking is
// derived from the noun, when WordNet has the noun, both ways round.
func TestAddWithout(t *testing.T) {
	synsets := map[string]*synset{
		"1 n": {words: []string{"hope"}},
		"2 a": {words: []string{"hopeless", "despairing"}},
		"3 a": {words: []string{"wireless"}},
		"4 n": {words: []string{"bless"}},
	}
	got := map[[2]string]byte{}
	addWithout(synsets, []string{"1 n", "2 a", "3 a", "4 n"}, func(a, b string, k byte) { got[[2]string{a, b}] = k })
	want := map[[2]string]byte{{"hopeless", "hope"}: derivation, {"hope", "hopeless"}: derivation}
	if len(got) != len(want) || got[[2]string{"hopeless", "hope"}] != derivation || got[[2]string{"hope", "hopeless"}] != derivation {
		t.Errorf("addWithout added %v, want %v", got, want)
	}
}
