package tabular_test

import (
	"strings"
	"testing"

	"tambon/internal/tabular"
)

// Row.At trims a cell exactly as Get does, whatever its first and last
// characters: the fast path for untrimmed text must never keep a space.
func TestRowAtTrimsLikeTrimSpace(t *testing.T) {
	cells := []string{"", " ", "a", " a", "a ", "\ta\n", "ใช่", " ใช่", "ใช่ ", "ใช่\u00a0", "\u00a0ใช่", "\u3000x\u3000",
		"x\u2003", "\u2003x", "๑๒๓", "é", "é ", "\u0085a", "a\u0085", "\x7f", "ก", "\xe0", "\xe0\xb8", "a\xb8\x81", "\xff"}
	row := tabular.Row{Cells: cells}
	for i, c := range cells {
		if got, want := row.At(i), strings.TrimSpace(c); got != want {
			t.Errorf("At(%q) = %q, want %q", c, got, want)
		}
	}
	if row.At(-1) != "" || row.At(len(cells)) != "" {
		t.Error("a missing cell is not blank")
	}
}
