package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf8"
)

// SynonymsFile is the file, at the root of a corpus folder, that lists
// words and names meaning the same: one group a line, comma-separated
// ("Kiev, Kyiv" or "Putin, Vladimir Putin, the Russian president"); lines
// starting with "#" are comments. Moderators edit it so that a nickname finds
// the full name and another spelling finds the one the story uses.
const SynonymsFile = "synonyms.csv"

// maxSynonymsSize bounds the synonyms file.
const maxSynonymsSize = 1 << 20

// readSynonyms reads SynonymsFile from fsys, if there is one.
func readSynonyms(fsys fs.FS) ([][]string, error) {
	b, err := fs.ReadFile(fsys, SynonymsFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("unreadable: %w", err)
	}
	if len(b) > maxSynonymsSize {
		return nil, fmt.Errorf("over the size limit of %d bytes", maxSynonymsSize)
	}
	if !utf8.Valid(b) {
		return nil, errors.New("not UTF-8 text")
	}
	return ParseSynonyms(string(b)), nil
}

// ParseSynonyms parses the text of a synonyms file: a group a line, its
// members separated by commas. Blank lines, comments and groups of fewer
// than two members are left out.
func ParseSynonyms(text string) [][]string {
	var groups [][]string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var g []string
		for _, m := range strings.Split(line, ",") {
			if m = strings.Join(strings.Fields(m), " "); m != "" {
				g = append(g, m)
			}
		}
		if len(g) >= 2 {
			groups = append(groups, g)
		}
	}
	return groups
}
