package index

import (
	"os"
	"path/filepath"

	"github.com/storybot/storybot/corpus"
)

// OpenCorpus reads the corpus in folder (the embedded story when folder is
// ""), as corpus.Open does, reusing how the index in service for it under
// dataDir cut each file that has not changed since (see corpus.Layout): a
// start then reads and hashes every file but parses only the changed ones.
// Whether a file changed is decided by its content alone, so a change is
// never missed, whatever its size and modification time. When there is no
// index, or its layout cannot be read, every file is parsed.
func OpenCorpus(dataDir, folder string) (*corpus.Corpus, error) {
	if folder == "" {
		return corpus.Default()
	}
	return corpus.LoadDirReusing(folder, servedLayout(dataDir, folder))
}

// servedLayout is the layout kept with the index that CURRENT names for the
// corpus in folder, or nil. It takes no lock: a finished index folder never
// changes, and one removed meanwhile gives nil.
func servedLayout(dataDir, folder string) []byte {
	dir, err := readCurrent(rootNamed(dataDir, folder))
	if err != nil {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, layoutFile))
	if err != nil {
		return nil
	}
	return b
}
