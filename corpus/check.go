package corpus

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is why a file cannot be a document of the corpus.
type Problem int

// Problems Check and Load report.
const (
	// BadName: the name is empty, "." or "..", holds a path separator or a
	// control character, or is not UTF-8.
	BadName Problem = iota + 1
	// Hidden: the name starts with ".".
	Hidden
	// WrongType: the name does not end in .txt or .md.
	WrongType
	// TooLarge: the file is larger than MaxFileSize.
	TooLarge
	// UTF16: the file starts with a UTF-16 byte order mark.
	UTF16
	// Binary: the file holds NUL bytes.
	Binary
	// NotUTF8: the file is not valid UTF-8.
	NotUTF8
)

// DocumentError says why a file cannot be a document.
type DocumentError struct {
	// Name is the file's name as given to Check, or its path in the corpus.
	Name    string
	Problem Problem
	// Reason says what is wrong for people: "not valid UTF-8".
	Reason string
}

func (e *DocumentError) Error() string {
	return fmt.Sprintf("document %q: %s", e.Name, e.Reason)
}

// Check says whether a file named name (a file name, not a path) holding
// data can be a document of a corpus: nil, or a *DocumentError with the
// Problem. Load applies the same checks to every file of a folder, so an
// upload that passes Check is read as it would be from the corpus folder. A
// file that passes may still hold no text to answer from: ParseDocument then
// gives no passages.
func Check(name string, data []byte) error {
	if err := check(name, data, MaxFileSize); err != nil {
		return err
	}
	return nil
}

// check is Check with a size limit of maxSize bytes.
func check(name string, data []byte, maxSize int64) *DocumentError {
	if err := checkName(name); err != nil {
		return err
	}
	if !isDocument(name) {
		return &DocumentError{Name: name, Problem: WrongType, Reason: "not a .txt or .md file"}
	}
	return checkData(name, data, maxSize)
}

// checkName checks one element of a path: a file or folder name.
func checkName(name string) *DocumentError {
	bad := func(why string) *DocumentError {
		return &DocumentError{Name: name, Problem: BadName, Reason: "bad name: " + why}
	}
	switch {
	case name == "":
		return bad("empty")
	case name == "." || name == "..":
		return bad(`"." or ".."`)
	case strings.ContainsAny(name, `/\`):
		return bad("holds a path separator")
	case !utf8.ValidString(name):
		return bad("not UTF-8")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return bad("holds a control character")
	case strings.HasPrefix(name, "."):
		return &DocumentError{Name: name, Problem: Hidden, Reason: "hidden file"}
	}
	return nil
}

// checkData checks a document's content.
func checkData(name string, data []byte, maxSize int64) *DocumentError {
	problem := func(p Problem, reason string) *DocumentError {
		return &DocumentError{Name: name, Problem: p, Reason: reason}
	}
	switch {
	case int64(len(data)) > maxSize:
		return tooLarge(name, int64(len(data)), maxSize)
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return problem(UTF16, "UTF-16 text (save it as UTF-8)")
	case bytes.IndexByte(data, 0) >= 0:
		return problem(Binary, "holds NUL bytes (a binary file?)")
	case !utf8.Valid(data):
		return problem(NotUTF8, "not valid UTF-8")
	}
	return nil
}

func tooLarge(name string, size, maxSize int64) *DocumentError {
	return &DocumentError{Name: name, Problem: TooLarge,
		Reason: fmt.Sprintf("over the size limit of %s (%d bytes)", sizeString(maxSize), size)}
}
