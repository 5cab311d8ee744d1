package relations

import (
	"bufio"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
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
		{"senseless", "sense", Derivation},
		{"home", "homeless", Derivation},
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
	own := table().own
	for i := range own.len() {
		w := own.word(i)
		for _, r := range Lookup(w) {
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

// TestLoadAsReadLineByLine checks every word's Lookup and Either against
// the data read the plain way: each line split into fields, and the inverse
// built from the words in sorted order.
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
	// Every word either file has a line for, every word the plain reading
	// knows, and a few words neither knows.
	words := map[string]bool{"": true, "nosuchwordatall": true, "zzzzzz": true, "a": true, "help me": true, "help\n": true}
	for _, l := range []lines{table().own, table().named} {
		for i := range l.len() {
			words[l.word(i)] = true
		}
	}
	for w := range own {
		words[w] = true
	}
	for w := range named {
		words[w] = true
	}
	bad := 0
	for _, w := range slices.Sorted(maps.Keys(words)) {
		gotOwn, gotNamed := Either(w)
		if !reflect.DeepEqual(Lookup(w), own[w]) || !reflect.DeepEqual(gotOwn, own[w]) {
			t.Errorf("%q: own relations %v, want %v", w, gotOwn, own[w])
			bad++
		}
		if !reflect.DeepEqual(gotNamed, named[w]) {
			t.Errorf("%q: named by %v, want %v", w, gotNamed, named[w])
			bad++
		}
		if bad > 10 {
			t.Fatal("too many differences")
		}
	}
}

// TestConcurrentLookups reads relations from several goroutines at once,
// for the race detector.
func TestConcurrentLookups(t *testing.T) {
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, w := range []string{"help", "france", "paris", "good", "rule"} {
				own, named := Either(w)
				if len(own) == 0 || len(named) == 0 {
					t.Errorf("Either(%q) = %v, %v", w, own, named)
				}
			}
		})
	}
	wg.Wait()
}
