package mpi

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"tambon/internal/apperr"
)

// maxProblems caps the problems Calculate reports for one file: past that,
// the file is wrong in some systematic way and more rows add nothing.
const maxProblems = 50

// CalcOptions tells Calculate how to read a CSV file of people.
type CalcOptions struct {
	// File names the input in problems ("people.csv"); optional.
	File string
	// Indicators are the columns that hold indicators, in order. Empty means
	// every column except Group.
	Indicators []string
	// Dimensions, if set, gives each indicator's dimension (parallel to the
	// indicators). Empty means each indicator is its own dimension.
	Dimensions []string
	// Weights, if set, gives each indicator's relative weight (parallel to
	// the indicators); they are normalised to sum to 1. Empty means equal
	// weights of 1 each.
	Weights []Frac
	// Cutoffs, if set, says the cells are achievements: a person is deprived
	// in indicator j when their value is strictly below Cutoffs[j]. Empty
	// means the cells are deprivations already, 1 (deprived) or 0.
	Cutoffs []float64
	// K is the poverty cut-off in weight units: the same units as Weights,
	// so with the default weights it counts indicators (K = 2: deprived in at
	// least 2), as in Alkire and Foster (2011) and R's MPI package. A person
	// is poor when their weighted deprivations add up to at least K. Unset
	// means one third of the total weight (the global MPI's k).
	K Frac
	// Vulnerable and Severe are fractions of the total weight; unset means
	// DefaultVulnerable and DefaultSevere.
	Vulnerable, Severe Frac
	// Group, if set, is the column whose values split people into groups
	// (village, sex, …); the report decomposes M0 by them.
	Group string
}

// Report is what Calculate computes: the measure it used, the MPI of
// everyone, and, with a group column, each group's part.
type Report struct {
	Spec    Spec          `json:"spec"`              // normalised weights; K as a fraction of the total weight
	Cutoffs []float64     `json:"cutoffs,omitempty"` // the achievement cut-offs used, if any
	Total   Result        `json:"total"`             // everyone
	Groups  []GroupResult `json:"groups"`            // in order of first appearance; empty without a group column
	// Snapped lists the rounded decimals among the weights and k that were
	// read as simple fractions (0.1667 as 1/6), so the reader knows.
	Snapped []Snap `json:"snapped,omitempty"`
}

// Calculate reads one person per row from a CSV file with a header row and
// computes the Alkire-Foster MPI overall and per group. Bad input (a cell
// that is not a number, a missing column, weights or cut-offs that do not
// match the indicators, an empty file) is reported as apperr.Problems, each
// with its row (1-based, the header is row 1) and column, in Thai and English.
func Calculate(r io.Reader, opts CalcOptions) (*Report, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked below, with a better message
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	var ps apperr.Problems
	prob := func(row int, col, value string, reason apperr.Text) {
		ps = append(ps, apperr.Problem{File: opts.File, Row: row, Column: col, Value: value, Reason: reason})
	}

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		prob(0, "", "", apperr.T("ไฟล์ว่าง ไม่มีแถวหัวตาราง", "The file is empty: there is no header row."))
		return nil, ps
	}
	if err != nil {
		prob(csvLine(err), "", "", csvReason(err))
		return nil, ps
	}
	header = slices.Clone(header)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // Excel's byte-order mark
	}
	cols := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		if _, dup := cols[h]; dup {
			prob(1, h, "", apperr.T("ชื่อคอลัมน์ซ้ำ", "This column name appears twice."))
			continue
		}
		cols[h] = i
	}

	groupCol := -1
	if opts.Group != "" {
		var ok bool
		if groupCol, ok = cols[opts.Group]; !ok {
			prob(1, opts.Group, "", apperr.T("ไม่พบคอลัมน์กลุ่มในแถวหัวตาราง", "The group column is not in the header row."))
		}
	}
	names := opts.Indicators
	if len(names) == 0 {
		for _, h := range header {
			if h != opts.Group || opts.Group == "" {
				names = append(names, h)
			}
		}
	}
	indCols := make([]int, len(names))
	for j, name := range names {
		c, ok := cols[name]
		if !ok {
			prob(1, name, "", apperr.T("ไม่พบคอลัมน์ตัวชี้วัดในแถวหัวตาราง", "The indicator column is not in the header row."))
		}
		indCols[j] = c
	}
	optionCount := func(field string, n int) {
		if n != 0 && n != len(names) {
			ps = append(ps, apperr.Problem{File: opts.File, Field: field, Value: strconv.Itoa(n), Reason: apperr.Tf(
				"มี %[1]d ค่า แต่มีตัวชี้วัด %[2]d ตัว ต้องมีเท่ากัน",
				"There are %[1]d values but %[2]d indicators; there must be one for each.", n, len(names))})
		}
	}
	optionCount("weights", len(opts.Weights))
	optionCount("cutoffs", len(opts.Cutoffs))
	optionCount("dimensions", len(opts.Dimensions))

	// Weights and k copied from a paper come as rounded decimals.
	var snaps []Snap
	if len(opts.Weights) == len(names) {
		ws, sn, err := snapWeights(opts.Weights, func(j int) string { return fmt.Sprintf("weights[%d]", j) })
		if err != nil {
			var sp apperr.Problems
			errors.As(err, &sp)
			for _, p := range sp {
				p.File = opts.File
				ps = append(ps, p)
			}
		} else {
			opts.Weights, snaps = ws, sn
		}
	}
	if k, sn, ok := snapField("k", opts.K); ok {
		snaps = append(snaps, sn)
		opts.K = k
	}

	spec, specErr := calcSpec(names, opts)
	var idx *Index
	if specErr == nil && len(ps) == 0 {
		idx, specErr = New(spec)
	}
	if specErr != nil {
		var sp apperr.Problems
		if errors.As(specErr, &sp) {
			for _, p := range sp {
				p.File = opts.File
				ps = append(ps, p)
			}
		} else {
			return nil, specErr
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}

	total := idx.NewStats()
	var groups []Group
	byName := map[string]*Stats{}
	for len(ps) < maxProblems {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			prob(csvLine(err), "", "", csvReason(err))
			break
		}
		row, _ := cr.FieldPos(0) // the line, so blank lines do not shift row numbers
		if len(rec) != len(header) {
			prob(row, "", "", apperr.Tf("แถวนี้มี %d ช่อง แต่หัวตารางมี %d ช่อง",
				"This row has %d cells but the header has %d.", len(rec), len(header)))
			continue
		}
		var mask uint64
		ok := true
		for j, c := range indCols {
			cell := strings.TrimSpace(rec[c])
			v, err := strconv.ParseFloat(cell, 64)
			switch {
			case err != nil || v != v: // v != v: NaN
				prob(row, names[j], cell, apperr.T("ไม่ใช่ตัวเลข", "This is not a number."))
				ok = false
			case opts.Cutoffs != nil:
				if v < opts.Cutoffs[j] {
					mask |= 1 << uint(j)
				}
			case v == 1:
				mask |= 1 << uint(j)
			case v != 0:
				prob(row, names[j], cell, apperr.T("ต้องเป็น 1 (ขาดแคลน) หรือ 0 (ไม่ขาดแคลน)",
					"This must be 1 (deprived) or 0 (not deprived)."))
				ok = false
			}
		}
		if !ok {
			continue
		}
		_ = total.AddMask(mask) // cannot fail: mask only has indicator bits
		if groupCol >= 0 {
			name := strings.TrimSpace(rec[groupCol])
			g, seen := byName[name]
			if !seen {
				g = idx.NewStats()
				byName[name] = g
				groups = append(groups, Group{Name: name, Stats: g})
			}
			_ = g.AddMask(mask)
		}
	}
	if len(ps) == 0 && total.N == 0 {
		prob(0, "", "", apperr.T("ไม่มีข้อมูลบุคคล มีแต่แถวหัวตาราง", "There are no people: the file has only a header row."))
	}
	if len(ps) > 0 {
		return nil, ps
	}

	rep := &Report{Spec: idx.Spec(), Cutoffs: opts.Cutoffs, Snapped: snaps}
	var err2 error
	if len(groups) > 0 {
		d, err := Decompose(idx.K(), groups)
		rep.Total, rep.Groups, err2 = d.Total, d.Groups, err
	} else {
		rep.Groups = []GroupResult{} // [] rather than null in JSON
		rep.Total, err2 = total.Result(idx.K())
	}
	if err2 != nil {
		return nil, err2
	}
	return rep, nil
}

// calcSpec builds the Spec Calculate measures with, turning K from weight
// units into a fraction of the total weight.
func calcSpec(names []string, opts CalcOptions) (Spec, error) {
	s := Spec{
		ID: "calculate", Name: apperr.T("คำนวณจากไฟล์", "Calculated from a file"),
		Vulnerable: opts.Vulnerable, Severe: opts.Severe,
	}
	total := new(big.Rat)
	seenDim := map[string]bool{}
	for j, name := range names {
		in := Indicator{ID: name, Name: apperr.T(name, name), Dimension: name, Weight: F(1, 1)}
		if len(opts.Weights) == len(names) {
			in.Weight = opts.Weights[j]
		}
		if len(opts.Dimensions) == len(names) {
			in.Dimension = opts.Dimensions[j]
		}
		if !seenDim[in.Dimension] {
			seenDim[in.Dimension] = true
			s.Dimensions = append(s.Dimensions, Dimension{ID: in.Dimension, Name: apperr.T(in.Dimension, in.Dimension)})
		}
		s.Indicators = append(s.Indicators, in)
		total.Add(total, in.Weight.Rat())
	}
	switch {
	case opts.K.IsZero():
		s.K = F(1, 3)
	case total.Sign() > 0:
		k, err := fracOf(new(big.Rat).Quo(opts.K.Rat(), total), opts.K.String())
		if err != nil {
			return s, err
		}
		if k.Num > k.Den {
			return s, apperr.Problems{{File: opts.File, Field: "k", Value: opts.K.String(), Reason: apperr.Tf(
				"K มากกว่าน้ำหนักรวม (%s) จึงไม่มีใครยากจนได้",
				"K is more than the total weight (%s), so nobody could be poor.", total.RatString())}}
		}
		s.K = k
	}
	return s, nil
}

// csvLine returns the line of a csv.ParseError, or 0.
func csvLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return 0
}

// csvReason explains a CSV syntax error in both languages.
func csvReason(err error) apperr.Text {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return apperr.Tf("รูปแบบ CSV ไม่ถูกต้อง: %v", "The CSV is malformed: %v", pe.Err)
	}
	return apperr.Tf("อ่านไฟล์ไม่ได้: %v", "The file cannot be read: %v", err)
}

// String summarises the report for a terminal.
func (rep *Report) String() string {
	return fmt.Sprintf("n=%d q=%d H=%g A=%g M0=%g (k=%s)", rep.Total.N, rep.Total.Q, rep.Total.H, rep.Total.A, rep.Total.M0, rep.Total.K)
}
