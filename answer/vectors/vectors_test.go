package vectors

import (
	"runtime"
	"testing"
)

func sim(t *testing.T, a, b string) float32 {
	t.Helper()
	s, ok := Similarity(a, b)
	if !ok {
		t.Fatalf("no similarity for %q, %q", a, b)
	}
	return s
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct{ near, far [2]string }{
		{[2]string{"weapons", "arms"}, [2]string{"weapons", "breakfast"}},
		{[2]string{"pact", "agreement"}, [2]string{"pact", "banana"}},
		{[2]string{"help", "assist"}, [2]string{"help", "granite"}},
		{[2]string{"president", "leader"}, [2]string{"president", "carrot"}},
		{[2]string{"korea", "japan"}, [2]string{"korea", "violin"}},
	} {
		near, far := sim(t, tc.near[0], tc.near[1]), sim(t, tc.far[0], tc.far[1])
		if near <= far {
			t.Errorf("%v scores %.3f, not above %v at %.3f", tc.near, near, tc.far, far)
		}
	}
	if s := sim(t, "war", "war"); s < 0.999 || s > 1.001 {
		t.Errorf("a word's similarity to itself = %v, want 1", s)
	}
	if _, ok := Similarity("war", "zzqxv"); ok {
		t.Error("a word without a vector has a similarity")
	}
	if n := Len(); n < 20000 {
		t.Errorf("only %d words", n)
	}
}

// BenchmarkLoad reads the embedded vectors, reporting the heap they hold.
func BenchmarkLoad(b *testing.B) {
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := load(vectorsGz)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(s)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-held")
}
