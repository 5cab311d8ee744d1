package recent

import "testing"

// TestCacheKeepsTwoGenerations fills a cache with many times what a
// generation holds: it holds at most two generations, keeps a value asked
// for again and again, and the values put last.
func TestCacheKeepsTwoGenerations(t *testing.T) {
	const size, n = 8, 100
	c := Cache[int, int]{Size: size}
	for i := range n {
		if _, ok := c.Get(i); ok {
			t.Fatalf("%d kept before it was put", i)
		}
		c.Put(i, i*i)
		if v, ok := c.Get(0); !ok || v != 0 {
			t.Fatalf("after %d values, 0 is no longer kept", i+1)
		}
	}
	if got := c.Len(); got > 2*size {
		t.Errorf("cache holds %d values, want at most %d", got, 2*size)
	}
	for i := n - size + 1; i < n; i++ {
		if v, ok := c.Get(i); !ok || v != i*i {
			t.Errorf("recent value %d: %d, %v; want %d, true", i, v, ok, i*i)
		}
	}
	if _, ok := c.Get(n / 2); ok {
		t.Errorf("%d still kept, many generations after it was put", n/2)
	}
}
