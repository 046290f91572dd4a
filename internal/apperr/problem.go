package apperr

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a piece of input, located as precisely as the
// input allows: a file, a sheet, a row and a column for imports; a field (and a
// member number) for a form. Reason says why, in Thai and English.
type Problem struct {
	File   string `json:"file,omitempty"`
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`    // 1-based, as the spreadsheet shows it; 0 when not about a row
	Column string `json:"column,omitempty"` // the column's header, or its letter when there is no header
	Field  string `json:"field,omitempty"`  // the field's key in the record (e.g. "members[2].citizen_id")
	Value  string `json:"value,omitempty"`
	Reason Text   `json:"reason"`
}

// Where returns a short location such as "households.csv row 12, column citizen_id".
func (p Problem) Where() string {
	var parts []string
	if p.File != "" {
		parts = append(parts, p.File)
	}
	if p.Sheet != "" {
		parts = append(parts, "sheet "+p.Sheet)
	}
	if p.Row > 0 {
		parts = append(parts, fmt.Sprintf("row %d", p.Row))
	}
	if p.Column != "" {
		parts = append(parts, "column "+p.Column)
	} else if p.Field != "" {
		parts = append(parts, p.Field)
	}
	return strings.Join(parts, ", ")
}

func (p Problem) String() string {
	s := p.Where()
	if p.Value != "" {
		s += fmt.Sprintf(" (%q)", p.Value)
	}
	if s != "" {
		s += ": "
	}
	return s + p.Reason.String()
}

// Problems is an error made of one or more Problems. Its code is Invalid.
type Problems []Problem

func (ps Problems) Error() string {
	switch len(ps) {
	case 0:
		return "no problems"
	case 1:
		return ps[0].String()
	}
	return fmt.Sprintf("%d problems, first: %s", len(ps), ps[0].String())
}
