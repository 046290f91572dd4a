package tabular

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"tambon/internal/apperr"
)

// start finds the header, maps columns and checks merged cells. On failure
// it closes the Reader, so Open's callers have nothing to release.
func (r *Reader) start(opts Options) (*Reader, error) {
	if err := r.findHeader(opts); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (r *Reader) findHeader(opts Options) error {
	limit := 1
	if len(opts.Expect) > 0 {
		limit = opts.headerScan()
	}
	var scanned []bufRow
	best, bestScore := -1, 0
	for len(scanned) < limit {
		cells, num, err := r.src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if blank(cells) {
			continue
		}
		scanned = append(scanned, bufRow{num: num, cells: slices.Clone(cells)})
		if len(opts.Expect) == 0 {
			best = 0
			break
		}
		score, complete := matchHeader(cells, opts.Expect)
		if complete {
			best = len(scanned) - 1
			break
		}
		if score > bestScore {
			best, bestScore = len(scanned)-1, score
		}
	}
	if len(scanned) == 0 {
		if r.sheet != "" {
			return apperr.New(apperr.Invalid, apperr.Tf(
				"ชีต %[2]q ในไฟล์ %[1]s ไม่มีข้อมูล — โปรดตรวจว่าเลือกไฟล์และชีตถูกต้อง",
				"sheet %[2]q of %[1]s has no rows; check that this is the right file and sheet.", r.name, r.sheet))
		}
		return apperr.New(apperr.Invalid, apperr.Tf(
			"ไฟล์ %s ไม่มีข้อมูลในตาราง — โปรดตรวจว่าเลือกไฟล์ถูกต้อง",
			"%s has no rows; check that this is the right file.", r.name))
	}
	if best < 0 {
		best = 0
	}
	r.header, r.headerRow = scanned[best].cells, scanned[best].num
	r.pending = scanned[best+1:]
	if best > 0 {
		r.warnings = append(r.warnings, apperr.Problem{File: r.name, Sheet: r.sheet, Row: scanned[0].num, Reason: apperr.Tf(
			"ข้ามแถวหัวเรื่อง %d แถว (แถวที่ %d ถึง %d) หัวตารางอยู่ที่แถวที่ %d",
			"skipped %d title rows (rows %d to %d); the header is row %d",
			best, scanned[0].num, scanned[best-1].num, r.headerRow)})
	}
	problems := r.mapColumns(opts.Expect)
	problems = append(problems, r.mergeProblems()...)
	if len(problems) > 0 {
		return problems
	}
	return nil
}

// matchHeader counts how many expected columns a row names, and whether it
// names every required one.
func matchHeader(cells []string, expect []Column) (score int, complete bool) {
	have := make(map[string]bool, len(cells))
	for _, c := range cells {
		have[normHeader(c)] = true
	}
	complete = true
	for _, col := range expect {
		found := false
		for _, a := range col.names() {
			if have[normHeader(a)] {
				found = true
				break
			}
		}
		if found {
			score++
		} else if col.Required {
			complete = false
		}
	}
	return score, complete && score > 0
}

func (c Column) names() []string { return append([]string{c.Key}, c.Aliases...) }

// mapColumns builds the key → column map and reports duplicate headers,
// missing required columns (with the most similar header, since a renamed
// column is the usual cause) and, as a warning, columns nobody expects.
func (r *Reader) mapColumns(expect []Column) apperr.Problems {
	var problems apperr.Problems
	r.cols = make(map[string]int, 2*len(r.header)+2*len(expect))
	norms := make([]string, len(r.header))
	firstAt := map[string]int{}
	for i, h := range r.header {
		norms[i] = normHeader(h)
		if norms[i] == "" {
			continue
		}
		if j, dup := firstAt[norms[i]]; dup {
			problems = append(problems, r.headerProblem(i, apperr.Tf(
				"หัวคอลัมน์ %q ซ้ำกับคอลัมน์ %s — โปรดเปลี่ยนชื่อหรือลบคอลัมน์ใดคอลัมน์หนึ่ง",
				"the header %q repeats column %s; rename or delete one of them",
				strings.TrimSpace(h), columnLetter(j))))
			continue
		}
		firstAt[norms[i]] = i
		r.cols[h] = i
		r.cols[norms[i]] = i
	}
	if len(expect) == 0 {
		return problems
	}

	claimed := map[int]bool{}
	var missing []Column
	for _, col := range expect {
		at := -1
		for _, a := range col.names() {
			i, ok := firstAt[normHeader(a)]
			if !ok {
				continue
			}
			if at >= 0 && i != at {
				problems = append(problems, r.headerProblem(i, apperr.Tf(
					"คอลัมน์ %s และ %s หมายถึงข้อมูลเดียวกัน (%s) — โปรดเก็บไว้คอลัมน์เดียว",
					"columns %s and %s both mean %s; keep only one of them",
					columnLetter(at), columnLetter(i), col.label())))
				continue
			}
			at = i
		}
		if at < 0 {
			if col.Required {
				missing = append(missing, col)
			}
			continue
		}
		claimed[at] = true
		r.cols[col.Key] = at
		r.cols[normHeader(col.Key)] = at
	}

	var unknown []int
	for i, n := range norms {
		if n != "" && !claimed[i] {
			if _, first := firstAt[n]; first && firstAt[n] == i {
				unknown = append(unknown, i)
			}
		}
	}
	if len(missing) > 0 {
		problems = append(problems, r.missingProblem(missing, unknown))
	}
	if len(unknown) > 0 {
		labels := make([]string, len(unknown))
		for k, i := range unknown {
			labels[k] = r.columnLabel(i)
		}
		r.warnings = append(r.warnings, apperr.Problem{File: r.name, Sheet: r.sheet, Row: r.headerRow, Reason: apperr.Tf(
			"ไม่รู้จักคอลัมน์ %s จึงไม่นำเข้าข้อมูลในคอลัมน์เหล่านี้",
			"unknown columns %s were not imported", strings.Join(labels, ", "))})
	}
	return problems
}

func (r *Reader) headerProblem(i int, reason apperr.Text) apperr.Problem {
	return apperr.Problem{File: r.name, Sheet: r.sheet, Row: r.headerRow, Column: columnLetter(i),
		Value: strings.TrimSpace(r.header[i]), Reason: reason}
}

// missingProblem is one Problem for all missing columns, so the official
// fixes the header once. For each it names the most similar unclaimed header,
// if any is close: "เลขบัตรประชาชน" for an expected "เลขประจำตัวประชาชน" is a
// rename, not a missing column.
func (r *Reader) missingProblem(missing []Column, unknown []int) apperr.Problem {
	p := apperr.Problem{File: r.name, Sheet: r.sheet, Row: r.headerRow}
	var th, en []string
	suggested := 0
	for _, col := range missing {
		i, ok := closestHeader(col, r.header, unknown)
		if !ok {
			th = append(th, col.label())
			en = append(en, col.label())
			continue
		}
		suggested++
		h := strings.TrimSpace(r.header[i])
		th = append(th, fmt.Sprintf("%s (ใกล้เคียงกับคอลัมน์ %s %q — เปลี่ยนชื่อหรือไม่?)", col.label(), columnLetter(i), h))
		en = append(en, fmt.Sprintf("%s (closest header: column %s %q — was it renamed?)", col.label(), columnLetter(i), h))
		if len(missing) == 1 {
			p.Column, p.Value = columnLetter(i), h
		}
	}
	found := make([]string, 0, len(r.header))
	for _, h := range r.header {
		if h = strings.TrimSpace(h); h != "" {
			found = append(found, fmt.Sprintf("%q", h))
		}
	}
	list := strings.Join(found, ", ")
	p.Reason = apperr.Text{
		TH: fmt.Sprintf("ไม่พบคอลัมน์ที่ต้องมี: %s — โปรดแก้หัวตารางในแถวที่ %d (หัวคอลัมน์ที่พบ: %s)", strings.Join(th, "; "), r.headerRow, list),
		EN: fmt.Sprintf("required columns missing: %s. Correct the header in row %d (headers found: %s)", strings.Join(en, "; "), r.headerRow, list),
	}
	return p
}

// closestHeader returns the unclaimed header nearest to any of a column's
// names by edit distance, if it differs in at most half its letters.
func closestHeader(col Column, header []string, candidates []int) (int, bool) {
	best, bestScore := -1, 2.0
	for _, i := range candidates {
		h := []rune(normHeader(header[i]))
		for _, name := range col.names() {
			a := []rune(normHeader(name))
			d := levenshtein(a, h)
			score := float64(d) / float64(max(len(a), len(h), 1))
			if score < bestScore {
				best, bestScore = i, score
			}
		}
	}
	return best, best >= 0 && bestScore <= 0.5
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// mergeProblems reports merged ranges that reach the header or data rows.
// A merged cell keeps its value in the top-left cell only, so every other row
// it covers would import as blank; merged titles above the header are fine.
func (r *Reader) mergeProblems() apperr.Problems {
	var out apperr.Problems
	for _, ref := range r.merges {
		last := ref
		if i := strings.IndexByte(ref, ':'); i >= 0 {
			last = ref[i+1:]
		}
		_, row, err := excelize.CellNameToCoordinates(last)
		if err != nil || row < r.headerRow {
			continue
		}
		col, row := splitRef(ref)
		out = append(out, apperr.Problem{File: r.name, Sheet: r.sheet, Row: row, Column: col, Value: ref, Reason: apperr.Tf(
			"เซลล์ %s ถูกผสาน (Merge) ไว้ ข้อมูลจะอยู่เฉพาะเซลล์แรก — โปรดเลือกเซลล์แล้วกด \"ยกเลิกการผสานเซลล์\" (Unmerge) และกรอกค่าให้ครบทุกแถว",
			"cells %s are merged, so only the first holds the value; select them, choose Unmerge Cells, and fill in every row", ref)})
	}
	return out
}

// splitRef returns the column letters and row of a range's first cell.
func splitRef(ref string) (string, int) {
	first, _, _ := strings.Cut(ref, ":")
	col, row, err := excelize.SplitCellName(first)
	if err != nil {
		return "", 0
	}
	return col, row
}

// normHeader folds the differences officials do not see: case, runs of
// spaces (including no-break and zero-width spaces from web copies), Unicode
// compatibility forms (ำ typed as ํ + า, full-width letters) and a trailing
// "*" or ":" that marks a required field on paper forms.
func normHeader(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	space := false
	for _, c := range s {
		switch {
		case c == '\u200b' || c == '\ufeff' || c == '\u200c' || c == '\u200d':
			continue
		case unicode.IsSpace(c):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(c))
	}
	return strings.TrimRight(b.String(), "*: ")
}
