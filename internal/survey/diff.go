package survey

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// Change is one field that an edit changed, for the household's history:
// who changed what, from what, to what.
type Change struct {
	Field string `json:"field"` // a path such as "members[1].birth_date" or "income.main_occupation"
	Old   any    `json:"old,omitempty"`
	New   any    `json:"new,omitempty"`
}

// Diff lists the fields that differ between two versions of a household
// (old may be nil for a new household), sorted by field.
func Diff(old, new *Household) ([]Change, error) {
	a, err := flatten(old)
	if err != nil {
		return nil, err
	}
	b, err := flatten(new)
	if err != nil {
		return nil, err
	}
	var out []Change
	for k, v := range b {
		if w, ok := a[k]; !ok || !equalJSON(v, w) {
			out = append(out, Change{Field: k, Old: a[k], New: v})
		}
	}
	for k, v := range a {
		if _, ok := b[k]; !ok {
			out = append(out, Change{Field: k, Old: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out, nil
}

// equalJSON compares two decoded JSON scalars as their printed forms (so a
// number and the same digits as text count as equal); equal strings,
// numbers or booleans, most of a household, need no printing.
func equalJSON(a, b any) bool {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok && x == y {
			return true
		}
	case float64:
		if y, ok := b.(float64); ok && x == y && math.Signbit(x) == math.Signbit(y) {
			return true
		}
	case bool:
		if y, ok := b.(bool); ok && x == y {
			return true
		}
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// flatten turns a household into path → scalar value, through its JSON form.
func flatten(h *Household) (map[string]any, error) {
	out := map[string]any{}
	if h == nil {
		return out, nil
	}
	b, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	walk("", v, out)
	return out, nil
}

func walk(prefix string, v any, out map[string]any) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			walk(p, c, out)
		}
	case []any:
		for i, c := range x {
			walk(fmt.Sprintf("%s[%d]", prefix, i), c, out)
		}
	default:
		out[prefix] = x
	}
}
