package tabular

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/xuri/excelize/v2"
)

// sizingRows is how many rows XLSXWriter holds back to size columns.
// excelize's StreamWriter needs widths before the first row, and the first
// hundred rows show how wide a column's data runs well enough.
const sizingRows = 100

// XLSXWriter writes a workbook of one or more sheets through excelize's
// StreamWriter, so a 100,000-row export streams to a temporary file rather
// than building a worksheet in memory. Each sheet gets a bold header row that
// stays frozen while scrolling and carries an auto-filter, and columns sized
// to their first rows. Dates use Excel's built-in short date format, which
// Excel shows in the reader's regional setting: 15/3/2566 on a Thai Windows.
type XLSXWriter struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	sheet  string
	ncols  int
	rows   int     // rows written to the current sheet, header included
	held   [][]any // rows held back until the columns are sized
	widths []int
	sized  bool
	styles struct{ header, date, dateTime, integer int }
	err    error
}

var _ Writer = (*XLSXWriter)(nil)

// NewXLSXWriter returns a writer that writes the workbook to w on Close.
func NewXLSXWriter(w io.Writer) *XLSXWriter {
	x := &XLSXWriter{w: w, f: excelize.NewFile()}
	var err error
	if x.styles.header, err = x.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	}); err != nil {
		x.err = err
	}
	// 14 and 22 are Excel's locale-aware short date (and date-time) formats.
	x.styles.date, _ = x.f.NewStyle(&excelize.Style{NumFmt: 14})
	x.styles.dateTime, _ = x.f.NewStyle(&excelize.Style{NumFmt: 22})
	// Whole numbers of twelve digits and more show in full, not as 1.23E+12.
	x.styles.integer, _ = x.f.NewStyle(&excelize.Style{NumFmt: 1})
	return x
}

// NewSheet finishes the current sheet and starts another with a header row.
func (x *XLSXWriter) NewSheet(name string, header []string) error {
	if x.err != nil {
		return x.err
	}
	if err := x.endSheet(); err != nil {
		return x.fail(err)
	}
	if x.sheet == "" && x.f.SheetCount == 1 && x.sw == nil && x.rows == 0 {
		if err := x.f.SetSheetName(x.f.GetSheetName(0), name); err != nil {
			return x.fail(fmt.Errorf("sheet %q: %w", name, err))
		}
	} else if _, err := x.f.NewSheet(name); err != nil {
		return x.fail(fmt.Errorf("sheet %q: %w", name, err))
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return x.fail(fmt.Errorf("sheet %q: %w", name, err))
	}
	x.sw, x.sheet, x.ncols, x.rows, x.sized = sw, name, len(header), 0, false
	x.widths = make([]int, len(header))
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: x.styles.header, Value: h}
		x.widths[i] = displayWidth(h)
	}
	x.held = append(x.held[:0], row)
	return nil
}

// Write adds a data row to the current sheet.
func (x *XLSXWriter) Write(values ...any) error {
	if x.err != nil {
		return x.err
	}
	if x.sw == nil {
		return x.fail(errors.New("xlsx: Write before NewSheet"))
	}
	row := make([]any, len(values))
	for i, v := range values {
		c, err := x.cell(v)
		if err != nil {
			return x.fail(fmt.Errorf("sheet %q row %d column %s: %w", x.sheet, x.rows+len(x.held)+1, columnLetter(i), err))
		}
		row[i] = c
		if !x.sized {
			if s, _ := textOf(v); i < len(x.widths) {
				x.widths[i] = max(x.widths[i], displayWidth(s))
			} else {
				x.widths = append(x.widths, displayWidth(s))
			}
		}
	}
	if x.sized {
		return x.setRow(row)
	}
	x.held = append(x.held, row)
	if len(x.held) > sizingRows {
		return x.release()
	}
	return nil
}

// cell converts a value to what StreamWriter writes, attaching date and
// integer styles.
func (x *XLSXWriter) cell(v any) (any, error) {
	switch t := v.(type) {
	case time.Time:
		if isDate(t) {
			return excelize.Cell{StyleID: x.styles.date, Value: t}, nil
		}
		return excelize.Cell{StyleID: x.styles.dateTime, Value: t}, nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("cannot write %v as a number", t)
		}
	case float32:
		if math.IsNaN(float64(t)) || math.IsInf(float64(t), 0) {
			return nil, fmt.Errorf("cannot write %v as a number", t)
		}
	case int:
		return x.integer(int64(t)), nil
	case int64:
		return x.integer(t), nil
	case []byte:
		return string(t), nil
	case fmt.Stringer:
		return t.String(), nil
	}
	return v, nil
}

func (x *XLSXWriter) integer(n int64) any {
	if n >= 1e11 || n <= -1e11 {
		return excelize.Cell{StyleID: x.styles.integer, Value: n}
	}
	return n
}

// release sizes the columns, freezes the header and writes the held rows.
func (x *XLSXWriter) release() error {
	if x.sized {
		return nil
	}
	x.sized = true
	for i, w := range x.widths {
		width := min(max(float64(w)*1.15+2, 8), 60)
		if err := x.sw.SetColWidth(i+1, i+1, width); err != nil {
			return x.fail(err)
		}
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return x.fail(err)
	}
	for _, row := range x.held {
		if err := x.setRow(row); err != nil {
			return err
		}
	}
	x.held = x.held[:0]
	return nil
}

func (x *XLSXWriter) setRow(row []any) error {
	x.rows++
	cell, _ := excelize.CoordinatesToCellName(1, x.rows)
	if err := x.sw.SetRow(cell, row); err != nil {
		return x.fail(fmt.Errorf("sheet %q row %d: %w", x.sheet, x.rows, err))
	}
	return nil
}

// endSheet writes what is held, adds the auto-filter over the header and
// data, and flushes the sheet.
func (x *XLSXWriter) endSheet() error {
	if x.sw == nil {
		return nil
	}
	if err := x.release(); err != nil {
		return err
	}
	if x.ncols > 0 {
		last, _ := excelize.CoordinatesToCellName(x.ncols, max(x.rows, 1))
		// AutoFilter edits the worksheet StreamWriter writes after its rows,
		// so it must come before Flush.
		if err := x.f.AutoFilter(x.sheet, "A1:"+last, nil); err != nil {
			return fmt.Errorf("sheet %q auto-filter: %w", x.sheet, err)
		}
	}
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("sheet %q: %w", x.sheet, err)
	}
	x.sw = nil
	return nil
}

// Close finishes the last sheet and writes the workbook.
func (x *XLSXWriter) Close() error {
	defer x.f.Close()
	if x.err != nil {
		return x.err
	}
	if err := x.endSheet(); err != nil {
		return x.fail(err)
	}
	if _, err := x.f.WriteTo(x.w); err != nil {
		return x.fail(fmt.Errorf("write xlsx: %w", err))
	}
	x.err = errors.New("xlsx: writer closed")
	return nil
}

func (x *XLSXWriter) fail(err error) error {
	if x.err == nil {
		x.err = err
	}
	return err
}
