package tpmap

import (
	"fmt"
	"slices"
	"strconv"

	"tambon/internal/apperr"
)

// CheckSums checks the files of one TPMAP year against each other, the way
// TPMAP's published figures fit together:
//
//   - every row of a file that has a deeper file of the same kind and
//     province beside it (a tambon file beside the village file) must equal
//     the sum of its rows there, column by column, happiness to the last
//     published digit; an area the deeper file has but the file lacks is
//     reported too;
//   - a poverty row must have a row with the same area id in the common file
//     of its level, when that file is given, with no more poor people than
//     people, and JPT.MOFval.pov.rate = 100 × target poor ÷ people;
//   - two files of the same kind, province and level are one too many.
//
// It returns apperr.Problems naming the file, row, column and published
// value of each fault, in Thai and English, or nil.
func CheckSums(files []*File) error {
	c := &checker{}
	type key struct {
		kind     Kind
		province string
	}
	groups := map[key][]*File{}
	var keys []key
	for _, f := range files {
		k := key{f.Kind, f.Province}
		for _, g := range groups[k] {
			if g.Level == f.Level {
				c.add(apperr.Problem{File: f.Name, Reason: apperr.Tf(
					"ไฟล์นี้เป็นข้อมูลชนิดเดียวกัน จังหวัดเดียวกัน ระดับเดียวกันกับ %s ให้ใช้เพียงไฟล์เดียว",
					"this file holds the same kind, province and level as %s; give only one of them", g.Name)})
			}
		}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	if len(c.ps) > 0 {
		return c.ps
	}
	for _, k := range keys {
		fs := slices.Clone(groups[k])
		slices.SortStableFunc(fs, func(a, b *File) int { return b.Level - a.Level }) // deepest first
		base := fs[0]
		for _, f := range fs[1:] {
			if k.kind == KindCommon {
				c.commonSums(base, f)
			} else {
				c.povertySums(base, f)
			}
		}
	}
	for _, f := range files {
		if f.Kind != KindPoverty {
			continue
		}
		for _, g := range groups[key{KindCommon, f.Province}] {
			if g.Level == f.Level {
				c.rates(f, g)
			}
		}
	}
	if len(c.ps) > 0 {
		return c.ps
	}
	return nil
}

type checker struct {
	ps   apperr.Problems
	full bool
}

func (c *checker) add(p apperr.Problem) {
	if c.full {
		return
	}
	if len(c.ps) == maxProblems {
		c.full = true
		p = apperr.Problem{File: p.File, Reason: apperr.Tf(
			"พบปัญหามากกว่า %d รายการ หยุดตรวจแล้ว", "more than %d problems; stopped checking", maxProblems)}
	}
	c.ps = append(c.ps, p)
}

// column is one published figure of a row, by its column name.
type column struct {
	name string
	n    int64
}

func commonColumns(r Row) []column {
	cols := []column{
		{commonHead[0], r.Households}, {commonHead[1], r.Members}, {commonHead[2], r.MOFReg},
		{commonHead[3], r.MOFVal}, {commonHead[4], r.Elderly}, {commonHead[5], r.Disabled}, {commonHead[6], r.Chronic},
	}
	for k, n := range r.Indicators {
		cols = append(cols, column{fmt.Sprintf("indicator%d.ALL", k+1), n.All})
	}
	for k, n := range r.Indicators {
		cols = append(cols, column{fmt.Sprintf("indicator%d.CNT", k+1), n.Fail})
	}
	return cols
}

func povertyColumns(r PovertyRow) []column {
	cols := []column{{povertyHead[0], r.PoorHouseholds}, {povertyHead[1], r.Poor}, {povertyHead[2], r.PoorMOFReg}, {povertyHead[3], r.TargetPoor}}
	for k, n := range r.Dimensions {
		cols = append(cols, column{povertyHead[4+k], n})
	}
	for k, n := range r.Indicators {
		cols = append(cols, column{fmt.Sprintf("poor.JPT.MOFval.ind%d.CNT", k+1), n})
	}
	return cols
}

// children counts the rows of a file under each area above them.
func children(codes []string) map[string]int {
	n := map[string]int{}
	for _, code := range codes {
		for _, key := range ancestors(code)[1:] {
			n[key]++
		}
	}
	return n
}

// mismatch reports a published row whose column differs from its sum.
func (c *checker) mismatch(f, base *File, line int, col, value string, sum string, n int) {
	bth, ben := levelWord(base.Level)
	c.add(apperr.Problem{File: f.Name, Row: line, Column: col, Value: value, Reason: apperr.Text{
		TH: fmt.Sprintf("TPMAP เผยแพร่ %s แต่ผลรวมของ%s %d แห่งในไฟล์ %s คือ %s: ไฟล์ไม่ครบหรือมาจากคนละชุด", value, bth, n, base.Name, sum),
		EN: fmt.Sprintf("TPMAP published %s, but the sum of its %d %s rows in %s is %s: the files are incomplete or from different releases", value, n, ben, base.Name, sum),
	}})
}

// missing reports an area of f that base has no rows under, or an area base
// has rows under that f lacks.
func (c *checker) missing(f, base *File, line int, id string, n int) {
	th, en := levelWord(f.Level)
	bth, ben := levelWord(base.Level)
	col := idColumnOf(f.Level)
	if line > 0 {
		c.add(apperr.Problem{File: f.Name, Row: line, Column: col, Value: id, Reason: apperr.Text{
			TH: fmt.Sprintf("ไฟล์ %s ไม่มี%sใดในพื้นที่นี้: ไฟล์ไม่ครบหรือมาจากคนละชุด", base.Name, bth),
			EN: fmt.Sprintf("%s has no %s rows in this area: the files are incomplete or from different releases", base.Name, ben),
		}})
		return
	}
	c.add(apperr.Problem{File: f.Name, Column: col, Value: id, Reason: apperr.Text{
		TH: fmt.Sprintf("ไม่มีแถวของ%sรหัส %s แต่ไฟล์ %s มี%sในพื้นที่นี้ %d แห่ง", th, id, base.Name, bth, n),
		EN: fmt.Sprintf("there is no row for %s %s, but %s has %d %s rows in it", en, id, base.Name, n, ben),
	}})
}

func idColumnOf(level int) string {
	for _, id := range idColumns {
		if id.level == level {
			return id.name
		}
	}
	return ""
}

func (c *checker) commonSums(base, f *File) {
	sums := RollUp(base.Rows)
	codes := make([]string, len(base.Rows))
	for i, r := range base.Rows {
		codes[i] = r.Code
	}
	n := children(codes)
	c.absent(base, f, n, func(code string) bool {
		return slices.ContainsFunc(f.Rows, func(r Row) bool { return r.Code == code })
	})
	for _, r := range f.Rows {
		s, ok := sums[r.Code]
		if !ok {
			c.missing(f, base, r.Line, r.ID, 0)
			continue
		}
		got := commonColumns(s)
		for i, col := range commonColumns(r) {
			if got[i].n != col.n {
				c.mismatch(f, base, r.Line, col.name, strconv.FormatInt(col.n, 10), strconv.FormatInt(got[i].n, 10), n[r.Code])
			}
		}
		if g15(s.Happiness) != g15(r.Happiness) {
			c.mismatch(f, base, r.Line, commonHead[7], g15(r.Happiness), g15(s.Happiness), n[r.Code])
		}
	}
}

func (c *checker) povertySums(base, f *File) {
	sums := RollUpPoverty(base.Poverty, nil)
	codes := make([]string, len(base.Poverty))
	for i, r := range base.Poverty {
		codes[i] = r.Code
	}
	n := children(codes)
	c.absent(base, f, n, func(code string) bool {
		return slices.ContainsFunc(f.Poverty, func(r PovertyRow) bool { return r.Code == code })
	})
	for _, r := range f.Poverty {
		s, ok := sums[r.Code]
		if !ok {
			c.missing(f, base, r.Line, r.ID, 0)
			continue
		}
		got := povertyColumns(s)
		for i, col := range povertyColumns(r) {
			if got[i].n != col.n {
				c.mismatch(f, base, r.Line, col.name, strconv.FormatInt(col.n, 10), strconv.FormatInt(got[i].n, 10), n[r.Code])
			}
		}
	}
}

// absent reports the areas of f's level that base has rows under but f
// lacks, in code order.
func (c *checker) absent(base, f *File, n map[string]int, has func(code string) bool) {
	var codes []string
	for code := range n {
		if levelOf(code) == f.Level && !has(code) {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	for _, code := range codes {
		c.missing(f, base, 0, code, n[code])
	}
}

// rates checks a poverty file against the common file of its level.
func (c *checker) rates(f, common *File) {
	byID := make(map[string]Row, len(common.Rows))
	for _, r := range common.Rows {
		byID[r.ID] = r
	}
	col := idColumnOf(f.Level)
	for _, r := range f.Poverty {
		m, ok := byID[r.ID]
		if !ok {
			c.add(apperr.Problem{File: f.Name, Row: r.Line, Column: col, Value: r.ID, Reason: apperr.Tf(
				"ไฟล์ %s ไม่มีแถวของพื้นที่นี้: ไฟล์ทั้งสองมาจากคนละชุด",
				"%s has no row for this area: the two files are from different releases", common.Name)})
			continue
		}
		if r.Poor > m.Members {
			c.add(apperr.Problem{File: f.Name, Row: r.Line, Column: povertyHead[1], Value: strconv.FormatInt(r.Poor, 10), Reason: apperr.Tf(
				"คนจนตาม จปฐ. มากกว่าจำนวนคนที่สำรวจในไฟล์ %s (%d คน แถวที่ %d): ไฟล์ทั้งสองมาจากคนละชุด",
				"more people are poor by จปฐ. than %s counts surveyed (%d, row %d): the two files are from different releases",
				common.Name, m.Members, m.Line)})
			continue
		}
		if want := PovertyRate(r.TargetPoor, m.Members); g15(want) != g15(r.Rate) {
			c.add(apperr.Problem{File: f.Name, Row: r.Line, Column: povertyHead[9], Value: g15(r.Rate), Reason: apperr.Tf(
				"ร้อยละคนจนเป้าหมายต้องเป็น 100 × %d ÷ %d คน (ไฟล์ %s แถวที่ %d) = %s: ไฟล์ทั้งสองมาจากคนละชุด",
				"the target-poor rate must be 100 × %d ÷ %d people (%s row %d) = %s: the two files are from different releases",
				r.TargetPoor, m.Members, common.Name, m.Line, g15(want))})
		}
	}
}

// g15 writes a float as R writes it by default, with 15 significant digits,
// which is how TPMAP's files were written.
func g15(f float64) string { return strconv.FormatFloat(f, 'g', 15, 64) }
