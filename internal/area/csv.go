package area

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// table is a CSV file read whole: its header columns by name and its rows
// with their line numbers.
type table struct {
	name string         // file name without ".gz", used in the report
	cols map[string]int // header name → column
	rows [][]string     // data rows, header excluded
	line []int          // line number of each row in the file
}

// readTable reads name from fsys, or name+".gz" decompressing it, so large
// files can be embedded gzipped while small ones stay readable in the repo.
// Rows may have any number of fields; the caller decides what a short or
// long row means.
func readTable(fsys fs.FS, name string) (*table, error) {
	f, err := fsys.Open(name)
	var r io.Reader = f
	if errors.Is(err, fs.ErrNotExist) {
		f, err = fsys.Open(name + ".gz")
		if err == nil {
			zr, zerr := gzip.NewReader(f)
			if zerr != nil {
				f.Close()
				return nil, fmt.Errorf("read %s.gz: %w", name, zerr)
			}
			defer zr.Close()
			r = zr
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()

	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read %s: header: %w", name, err)
	}
	t := &table{name: name, cols: make(map[string]int, len(header)), rows: make([][]string, 0, 1024)}
	for i, h := range header {
		if i == 0 {
			h = trimBOM(h)
		}
		t.cols[h] = i
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		t.rows = append(t.rows, rec)
		t.line = append(t.line, line)
	}
	return t, nil
}

// need returns the column indexes of the named header columns, or an error
// naming the first one missing.
func (t *table) need(names ...string) ([]int, error) {
	idx := make([]int, len(names))
	for i, n := range names {
		c, ok := t.cols[n]
		if !ok {
			return nil, fmt.Errorf("%s: no %q column", t.name, n)
		}
		idx[i] = c
	}
	return idx, nil
}

// field returns column c of row i, or "" when the row is short.
func (t *table) field(i, c int) string {
	if c < len(t.rows[i]) {
		return t.rows[i][c]
	}
	return ""
}

func trimBOM(s string) string {
	if len(s) >= 3 && s[:3] == "\ufeff" {
		return s[3:]
	}
	return s
}
