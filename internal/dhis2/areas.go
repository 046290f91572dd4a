package dhis2

import (
	"slices"
	"strings"

	"tambon/internal/area"
)

// InSubtree reports whether code lies in the subtree of root (root itself
// included): area codes nest by prefix, and "TH" holds everything.
func InSubtree(code, root string) bool {
	return root == area.CountryCode || strings.HasPrefix(code, root)
}

// SortCodes puts area codes in the order values are written: the country
// first, then by code, so every area comes after its parent.
func SortCodes(codes []string) {
	slices.SortFunc(codes, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == area.CountryCode:
			return -1
		case b == area.CountryCode:
			return 1
		}
		return strings.Compare(a, b)
	})
}

// Areas are the organisation units of a subtree for its metadata: root's
// ancestors (so the parent links reach the country), root and every area
// under it, parents before children.
func Areas(tree *area.Tree, root string) []area.Area {
	out := tree.Ancestors(root)
	var sub []area.Area
	for _, a := range tree.All() {
		if a.Code == root || a.Code != area.CountryCode && InSubtree(a.Code, root) {
			sub = append(sub, a)
		}
	}
	slices.SortFunc(sub, func(a, b area.Area) int {
		if a.Level != b.Level {
			return int(a.Level) - int(b.Level)
		}
		return strings.Compare(a.Code, b.Code)
	})
	return append(out, sub...)
}
