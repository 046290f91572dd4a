package tabular

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"time"
)

// CSVWriter writes one table as CSV in UTF-8 with a byte-order mark and
// CRLF line ends. The BOM is what makes Thai Excel open the file as UTF-8:
// without it Excel assumes Windows-874 and shows Thai as mojibake. Values are
// written as text; note that Excel, opening a CSV, turns long digit strings
// such as citizen IDs into 1.23457E+12, so offer XLSX for tables holding
// them.
type CSVWriter struct {
	w       io.Writer
	cw      *csv.Writer
	started bool
	ncols   int
	rec     []string
	err     error
}

var _ Writer = (*CSVWriter)(nil)

// NewCSVWriter returns a writer that writes CSV to w.
func NewCSVWriter(w io.Writer) *CSVWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &CSVWriter{w: w, cw: cw}
}

// NewSheet writes the BOM and the header row. The name is ignored: a CSV
// file has no sheets, and a second call is an error.
func (c *CSVWriter) NewSheet(_ string, header []string) error {
	if c.err != nil {
		return c.err
	}
	if c.started {
		return errors.New("csv: a CSV file holds one table") // the first table is still fine
	}
	c.started = true
	if _, err := c.w.Write(bomUTF8); err != nil {
		return c.fail(fmt.Errorf("write csv: %w", err))
	}
	c.ncols = len(header)
	c.rec = c.rec[:0]
	for _, h := range header {
		c.rec = append(c.rec, SafeCSVText(h))
	}
	return c.record(c.rec)
}

// Write adds a row; numbers are plain decimals and dates YYYY-MM-DD. Only
// text cells are made safe from formula injection: a negative number stays
// a number.
func (c *CSVWriter) Write(values ...any) error {
	if c.err != nil {
		return c.err
	}
	if !c.started {
		return c.fail(errors.New("csv: Write before NewSheet"))
	}
	c.rec = c.rec[:0]
	for _, v := range values {
		s, err := textOf(v)
		if err != nil {
			return c.fail(fmt.Errorf("write csv: %w", err))
		}
		if isText(v) {
			s = SafeCSVText(s)
		}
		c.rec = append(c.rec, s)
	}
	return c.record(c.rec)
}

// isText reports whether v is written as text rather than as a number, a
// boolean or a date.
func isText(v any) bool {
	switch v.(type) {
	case nil, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, bool, time.Time:
		return false
	}
	return true
}

func (c *CSVWriter) record(rec []string) error {
	if err := c.cw.Write(rec); err != nil {
		return c.fail(fmt.Errorf("write csv: %w", err))
	}
	return nil
}

// Close flushes buffered rows.
func (c *CSVWriter) Close() error {
	if c.err != nil {
		return c.err
	}
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return c.fail(fmt.Errorf("write csv: %w", err))
	}
	c.err = errors.New("csv: writer closed")
	return nil
}

func (c *CSVWriter) fail(err error) error {
	if c.err == nil {
		c.err = err
	}
	return err
}
