package answer

import (
	"slices"
	"testing"

	"github.com/storybot/storybot/index"
)

// TestSortedFormsPointsBackAtEveryForm: the forms of every term, once each
// in ascending order, and each form of each term found where it points.
func TestSortedFormsPointsBackAtEveryForm(t *testing.T) {
	for _, forms := range [][][]index.TermID{
		nil,
		{{}},
		{{7}},
		{{9, 3, 5}, {3}, {}, {12, 1, 9}},
		{{4, 4}, {2, 8}, {8, 2, 4}},
	} {
		// Buffers holding what an earlier question left.
		flat, at := sortedForms(forms, []index.TermID{99, 0, 42}, []int32{5, 5})
		if !slices.IsSorted(flat) || len(slices.Compact(slices.Clone(flat))) != len(flat) {
			t.Errorf("%v: forms %v not ascending once each", forms, flat)
		}
		k := 0
		for j, f := range forms {
			for _, id := range f {
				if k >= len(at) || flat[at[k]] != id {
					t.Fatalf("%v: form %d of term %d not where it points (%v in %v)", forms, id, j, at, flat)
				}
				k++
			}
		}
		if k != len(at) {
			t.Errorf("%v: %d places for %d forms", forms, len(at), k)
		}
		for _, id := range flat {
			if !slices.ContainsFunc(forms, func(f []index.TermID) bool { return slices.Contains(f, id) }) {
				t.Errorf("%v: %d is no term's form", forms, id)
			}
		}
	}
}
