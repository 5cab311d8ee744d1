package recent

import (
	"reflect"
	"testing"
)

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

// TestGetAllIsGet looks up keys of both generations, again and again, and
// keys never put, with GetAll and with Get one key after the other on a
// copy filled alike: the same values found, and the two caches left the
// same.
func TestGetAllIsGet(t *testing.T) {
	const size = 8
	fill := func() *Cache[int, int] {
		c := &Cache[int, int]{Size: size}
		for i := range 2*size - 2 {
			c.Put(i, 10*i)
		}
		return c
	}
	keys := []int{0, 3, 9, 100, 3, 12, 7, 1, -1}
	byGet, byAll := fill(), fill()
	vals, found := make([]int, len(keys)), make([]bool, len(keys))
	byAll.GetAll(keys, vals, found)
	for i, k := range keys {
		v, ok := byGet.Get(k)
		if vals[i] != v || found[i] != ok {
			t.Errorf("GetAll of %d: %d, %v; Get: %d, %v", k, vals[i], found[i], v, ok)
		}
	}
	if !reflect.DeepEqual(byAll.cur, byGet.cur) || !reflect.DeepEqual(byAll.old, byGet.old) {
		t.Errorf("after GetAll, generations %v and %v; after Get, %v and %v", byAll.cur, byAll.old, byGet.cur, byGet.old)
	}
}
