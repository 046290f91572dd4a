package tabular

import (
	"fmt"
	"io"

	"tambon/internal/apperr"
)

// WriteProblemsXLSX writes problems as a workbook an official can filter and
// work through beside the file they sent: one row per problem with file,
// sheet, row, column, value and the reason in Thai and in English.
func WriteProblemsXLSX(w io.Writer, problems apperr.Problems) error {
	x := NewXLSXWriter(w)
	if err := x.NewSheet("ปัญหา (Problems)", []string{
		"ไฟล์ (File)", "ชีต (Sheet)", "แถว (Row)", "คอลัมน์ (Column)", "ค่า (Value)",
		"เหตุผล (ไทย)", "Reason (English)",
	}); err != nil {
		return fmt.Errorf("write problems: %w", err)
	}
	for _, p := range problems {
		var row any
		if p.Row > 0 {
			row = p.Row
		}
		column := p.Column
		if column == "" {
			column = p.Field
		}
		if err := x.Write(p.File, p.Sheet, row, column, p.Value, p.Reason.TH, p.Reason.EN); err != nil {
			return fmt.Errorf("write problems: %w", err)
		}
	}
	if err := x.Close(); err != nil {
		return fmt.Errorf("write problems: %w", err)
	}
	return nil
}
