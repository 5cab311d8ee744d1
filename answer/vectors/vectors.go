// Package vectors gives the similarity of English words from GloVe 6B 100d
// word vectors (Stanford NLP, Public Domain Dedication and License v1.0; see
// PDDL.LICENSE), cut to the most frequent words made of lower-case letters
// and quantised to a byte a dimension. The data is embedded and read once,
// on first use.
//
// vectors.bin.gz is made by gen (go run ./answer/vectors/gen); see its doc
// for the format.
package vectors

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"math"
	"sync"
)

//go:embed vectors.bin.gz
var vectorsGz []byte

// set is the loaded table: each word's quantised components and their
// length, from which the cosine of two words follows (a vector's scale
// cancels out of it).
type set struct {
	dims  int
	index map[string]int32
	comps []int8
	norms []float32
}

var table = sync.OnceValue(func() *set {
	s, err := load(vectorsGz)
	if err != nil {
		panic("vectors: embedded data: " + err.Error())
	}
	return s
})

func load(gz []byte) (*set, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(zr)
	var n, dims int
	if _, err := fmt.Fscanf(br, "glove100 %d %d\n", &n, &dims); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	s := &set{dims: dims, index: make(map[string]int32, n), comps: make([]int8, n*dims), norms: make([]float32, n)}
	for i := range n {
		w, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("word %d: %w", i, err)
		}
		s.index[w[:len(w)-1]] = int32(i)
	}
	rec := make([]byte, 4+dims)
	for i := range n {
		if _, err := io.ReadFull(br, rec); err != nil {
			return nil, fmt.Errorf("vector %d: %w", i, err)
		}
		var sum float64
		for j, b := range rec[4:] {
			c := int8(b)
			s.comps[i*dims+j] = c
			sum += float64(c) * float64(c)
		}
		s.norms[i] = float32(math.Sqrt(sum))
	}
	return s, nil
}

// Len is how many words have a vector.
func Len() int { return len(table().index) }

// Similarity is the cosine of the vectors of words a and b (lower-case),
// from -1 to 1; false when either has no vector.
func Similarity(a, b string) (float32, bool) {
	s := table()
	i, ok := s.index[a]
	j, ok2 := s.index[b]
	if !ok || !ok2 || s.norms[i] == 0 || s.norms[j] == 0 {
		return 0, false
	}
	va := s.comps[int(i)*s.dims : int(i+1)*s.dims]
	vb := s.comps[int(j)*s.dims : int(j+1)*s.dims]
	var dot int32
	for k := range va {
		dot += int32(va[k]) * int32(vb[k])
	}
	return float32(dot) / (s.norms[i] * s.norms[j]), true
}

// ID is word's row in the table, for SimilarityOf; false when word
// (lower-case) has no vector.
func ID(word string) (int32, bool) {
	i, ok := table().index[word]
	return i, ok
}

// SimilarityOf is Similarity for the words of rows i and j, from ID.
func SimilarityOf(i, j int32) float32 {
	s := table()
	if s.norms[i] == 0 || s.norms[j] == 0 {
		return 0
	}
	va := s.comps[int(i)*s.dims : int(i+1)*s.dims]
	vb := s.comps[int(j)*s.dims : int(j+1)*s.dims]
	var dot int32
	for k := range va {
		dot += int32(va[k]) * int32(vb[k])
	}
	return float32(dot) / (s.norms[i] * s.norms[j])
}
