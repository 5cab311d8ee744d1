package corpus

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func TestParseSynonyms(t *testing.T) {
	got := ParseSynonyms("# comment\nKiev,  Kyiv\n\nlonely\n Putin , Vladimir   Putin,\r\n,,\n")
	want := [][]string{{"Kiev", "Kyiv"}, {"Putin", "Vladimir Putin"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseSynonyms = %q, want %q", got, want)
	}
}

func TestLoadSynonyms(t *testing.T) {
	doc := &fstest.MapFile{Data: []byte("The ferry left Kyiv.\n")}
	tests := []struct {
		name    string
		file    *fstest.MapFile
		want    [][]string
		skipped string
	}{
		{"none", nil, nil, ""},
		{"groups", &fstest.MapFile{Data: []byte("Kiev, Kyiv\n")}, [][]string{{"Kiev", "Kyiv"}}, ""},
		{"not UTF-8", &fstest.MapFile{Data: []byte("Kiev, K\xffyiv\n")}, nil, "not UTF-8 text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"a.txt": doc}
			if tt.file != nil {
				fsys[SynonymsFile] = tt.file
			}
			c, err := Load(fsys, "test")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Synonyms, tt.want) {
				t.Errorf("Synonyms = %q, want %q", c.Synonyms, tt.want)
			}
			if len(c.Documents) != 1 {
				t.Errorf("%d documents, want the one", len(c.Documents))
			}
			var reason string
			for _, s := range c.Skipped {
				if s.Path == SynonymsFile {
					reason = s.Reason
				}
			}
			if reason != tt.skipped {
				t.Errorf("skipped %s: %q, want %q", SynonymsFile, reason, tt.skipped)
			}
		})
	}
}

func TestDefaultHasSynonyms(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Synonyms) == 0 {
		t.Error("the embedded story ships no synonyms")
	}
}
