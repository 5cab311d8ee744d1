// Package recent keeps recently computed values for a while, in a bounded
// amount of memory.
package recent

import "sync"

// Cache keeps recently computed values, in two generations: when the
// current one holds Size values it becomes the old one, and what the old
// one held and was not asked for since is dropped; a value found in the old
// one goes back into the current one. The zero Cache with Size set is
// ready to use; it is safe for concurrent use, and is not to be copied
// once used.
type Cache[K comparable, V any] struct {
	// Size is how many values a generation holds.
	Size int

	mu       sync.Mutex
	cur, old map[K]V
}

// Get returns the value kept for k, if any.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[k]; ok {
		return v, true
	}
	v, ok := c.old[k]
	if ok {
		c.putLocked(k, v)
	}
	return v, ok
}

// GetAll sets vals[i] and found[i] to what Get(keys[i]) returns, for each
// of keys in turn, under one lock: the lookups of many keys, each apt to
// miss the processor's caches, wait on memory together rather than one
// after the other. vals and found are at least as long as keys.
func (c *Cache[K, V]) GetAll(keys []K, vals []V, found []bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	vals, found = vals[:len(keys)], found[:len(keys)]
	for i, k := range keys {
		if vals[i], found[i] = c.cur[k]; found[i] {
			continue
		}
		if vals[i], found[i] = c.old[k]; found[i] {
			c.putLocked(k, vals[i])
		}
	}
}

// Put keeps v for k.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(k, v)
}

func (c *Cache[K, V]) putLocked(k K, v V) {
	if c.cur == nil || len(c.cur) >= c.Size {
		c.old, c.cur = c.cur, make(map[K]V, c.Size)
	}
	c.cur[k] = v
}

// Len is how many values the cache holds, in both generations.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur) + len(c.old)
}
