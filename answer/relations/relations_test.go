package relations

import (
	"bufio"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestRelated(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want Kind
	}{
		{"help", "assist", Synonym},
		{"assist", "help", Synonym},
		{"rule", "ruler", Derivation},
		{"ruler", "rule", Derivation},
		{"french", "france", Pertainym},
		{"paris", "france", Holonym},
		{"newspaper", "press", Hypernym},
		{"paris", "capital", Hypernym},
		{"good", "bad", Antonym},
		{"weapon", "arm", Synonym},
		{"korean", "korea", Pertainym},
	} {
		if !has(tc.a, tc.b, tc.want) {
			t.Errorf("%q has no %v %q: %v", tc.a, tc.want, tc.b, Lookup(tc.a))
		}
		if _, ok := Related(tc.a, tc.b); !ok {
			t.Errorf("Related(%q, %q) found nothing", tc.a, tc.b)
		}
	}
	// Related gives the closest kind: rule and ruler share a sense (a
	// measuring stick) before one is made from the other.
	if k, _ := Related("rule", "ruler"); k != Synonym {
		t.Errorf("Related(rule, ruler) = %v, want synonym", k)
	}
	for _, pair := range [][2]string{{"help", "banana"}, {"france", "korea"}, {"", "help"}, {"zzzz", "help"}} {
		if k, ok := Related(pair[0], pair[1]); ok {
			t.Errorf("Related(%q, %q) = %v; want no relation", pair[0], pair[1], k)
		}
	}
}

func has(a, b string, k Kind) bool {
	for _, r := range Lookup(a) {
		if r.Word == b && r.Kind == k {
			return true
		}
	}
	return false
}

func TestLookup(t *testing.T) {
	if got := Lookup("nosuchwordatall"); got != nil {
		t.Errorf("Lookup of an unknown word = %v", got)
	}
	var syn bool
	for _, r := range Lookup("help") {
		if r.Word == "help" {
			t.Error("help is listed as related to itself")
		}
		syn = syn || r.Word == "aid" && r.Kind == Synonym
	}
	if !syn {
		t.Errorf("Lookup(help) lacks the synonym aid: %v", Lookup("help"))
	}
	for w, rs := range table().own {
		for _, r := range rs {
			if r.Kind < Synonym || r.Kind > Antonym || r.Word == "" {
				t.Fatalf("%s: bad relation %+v", w, r)
			}
		}
	}
}

// BenchmarkLoad reads the embedded table, reporting the heap it holds.
func BenchmarkLoad(b *testing.B) {
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		m := load()
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(m)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-held")
}

func BenchmarkRelated(b *testing.B) {
	table()
	for b.Loop() {
		Related("paris", "france")
	}
}

// TestLoadAsReadLineByLine checks the loader against the data read the
// plain way: each line split into fields, and the inverse built from the
// words in sorted order.
func TestLoadAsReadLineByLine(t *testing.T) {
	own := map[string][]Relation{}
	sc := bufio.NewScanner(strings.NewReader(relationsText))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		for _, r := range f[2:] {
			own[f[0]] = append(own[f[0]], Relation{Word: r, Kind: kindOf(f[1][0])})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	named := map[string][]Relation{}
	for _, w := range slices.Sorted(maps.Keys(own)) {
		for _, r := range own[w] {
			named[r.Word] = append(named[r.Word], Relation{Word: w, Kind: r.Kind})
		}
	}
	got := load()
	if !reflect.DeepEqual(got.own, own) {
		t.Error("the words' own relations differ from the file's lines")
	}
	if !reflect.DeepEqual(got.named, named) {
		t.Error("the inverse differs from the one built from the sorted words")
	}
}
