package surveyfile

import (
	"fmt"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/tabular"
	"tambon/internal/thai"
)

// DefaultMaxProblems is how many problems Read lists when
// ReadOptions.MaxProblems is zero. A file with a wrong column can have one
// problem per row; the first thousand tell the official what to fix.
const DefaultMaxProblems = 1000

// ReadOptions are what Read needs from outside the file.
type ReadOptions struct {
	// KnownVillage reports whether a village code exists in the area tree;
	// nil accepts every well-formed code.
	KnownVillage func(code string) bool
	// Now is the clock; a survey date after today is refused. Nil means
	// time.Now.
	Now func() time.Time
	// MaxProblems caps the problems listed (households past the cap are
	// still checked and marked invalid); zero means DefaultMaxProblems.
	MaxProblems int
	// Progress, when set, is told how many rows have been read, every
	// thousand rows, so a terminal or a page can show that a big file moves.
	// Stream counts each of its two passes from zero.
	Progress func(rows int)
	// Planned, when set, is told by Stream how many households the file
	// holds once its first pass is over, before any is handed on.
	Planned func(households int)
}

// Result is what Read found. Households holds only the valid households, in
// the order their first row appears, so a caller that imports all or nothing
// writes Households when Problems is empty, and one that skips invalid rows
// writes Households regardless.
type Result struct {
	Households []*survey.Household
	// Rows maps every household key in the file, valid or not, to the
	// row of its first member, for reports.
	Rows map[string]int
	// Invalid holds the keys of the households refused.
	Invalid map[string]bool
	// Problems lists what was refused, located by file, sheet, row and
	// column, in Thai and English. Empty means every household is valid.
	Problems apperr.Problems
	// Warnings lists what was accepted but should be checked: the file's
	// encoding, skipped title rows, ignored sheets and columns, and the era
	// (BE or CE) each date column was read in.
	Warnings []apperr.Problem
	// Total is the number of households in the file, valid or not.
	Total int
	// More counts problems found beyond MaxProblems and not listed.
	More int
}

// Read streams the rows of r, which must have been opened with
// Options.Expect = Columns(set), and builds the households of round.
//
// Rows are grouped by household key (house code, else village code + house
// number); a household's rows need not be adjacent, and a row without the
// house code joins the household at the same village code and house number. A row whose key columns
// are all blank continues the household of the row above, and blank
// household cells on a household's later rows take the first row's values;
// a non-blank cell that disagrees with the first row is a problem naming
// both rows. Every cell is parsed with a precise problem, then each
// household goes through survey.Validate, whose problems are mapped back to
// the row and column they came from. A citizen ID in two households is a
// problem on both rows.
//
// Read returns an error only when the file cannot be read to its end (a
// broken CSV quote, a damaged workbook); what is wrong with the data is in
// Result.Problems.
func Read(r *tabular.Reader, set *indicator.Set, round survey.Round, opts ReadOptions) (*Result, error) {
	rd := newReader(r, set, round, opts)
	n := 0
	for r.Next() {
		rd.row(r.Row())
		if n++; opts.Progress != nil && n%1000 == 0 {
			opts.Progress(n)
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("read households: %w", err)
	}
	return rd.finish(), nil
}

// household is a household being assembled, with the rows it came from.
type household struct {
	h          *survey.Household
	firstRow   int
	memberRows []int
	bad        bool
	tooMany    bool              // past MaxMembers: reported once, further rows dropped
	failed     map[string]string // household cells refused on the first row, by key
}

// idRef is where a citizen ID was first seen.
type idRef struct {
	row int
	hh  *household
}

type reader struct {
	set      *indicator.Set
	round    survey.Round
	opts     ReadOptions
	layout   *layout
	hhCols   []*column
	memCols  []*column
	labelRow tabular.Row // a row of the file, for column labels after streaming
	haveRow  bool
	today    time.Time

	byKey     map[string]*household
	byAddr    map[string]*household // households with a house code, by village code and house number
	order     []*household
	prev      *household
	prevText  []string // the household cells of the previous row, as typed
	ids       map[string]idRef
	villages  map[string]bool
	eraWarned map[string]bool

	res     *Result
	scratch survey.Household

	// Streaming (Stream): the first pass's grouping, the households open
	// (first row read, last row not yet), and those complete but not yet
	// validated and handed on.
	plan    *plan
	dataRow int
	stream  *streamState
	// Indexes of the columns the grouping reads on every row.
	atVillage, atHouseCode, atHouseNo, atStatus int
}

func newReader(r *tabular.Reader, set *indicator.Set, round survey.Round, opts ReadOptions) *reader {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxProblems <= 0 {
		opts.MaxProblems = DefaultMaxProblems
	}
	now := opts.Now().In(thai.Bangkok())
	rd := &reader{
		set: set, round: round, opts: opts, layout: newLayout(set),
		today:     time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		byKey:     map[string]*household{},
		byAddr:    map[string]*household{},
		ids:       map[string]idRef{},
		villages:  map[string]bool{},
		eraWarned: map[string]bool{},
		res:       &Result{Rows: map[string]int{}, Invalid: map[string]bool{}},
	}
	at := func(key string) int {
		if i, ok := r.Index(key); ok {
			return i
		}
		return -1
	}
	rd.atVillage, rd.atHouseCode, rd.atHouseNo, rd.atStatus = at("village_code"), at("house_code"), at("house_no"), at("status")
	for i := range rd.layout.cols {
		c := &rd.layout.cols[i]
		c.at = at(c.key)
		if c.member {
			rd.memCols = append(rd.memCols, c)
		} else {
			rd.hhCols = append(rd.hhCols, c)
		}
	}
	rd.res.Warnings = ownWarnings(r.Warnings())
	return rd
}

// ownWarnings drops the reader's warnings about tambon's own help sheet.
func ownWarnings(ws []apperr.Problem) []apperr.Problem {
	var out []apperr.Problem
	for _, w := range ws {
		if w.Sheet == HelpSheet {
			continue // tambon's own instructions, never data
		}
		out = append(out, w)
	}
	return out
}

// problem records p against hh (which becomes invalid), up to the cap.
func (rd *reader) problem(hh *household, p apperr.Problem) {
	if hh != nil {
		hh.bad = true
	}
	if len(rd.res.Problems) >= rd.opts.MaxProblems {
		rd.res.More++
		return
	}
	rd.res.Problems = append(rd.res.Problems, p)
}

// cellProblem locates a reason at a cell of the current row.
func cellProblem(row tabular.Row, key string, reason apperr.Text) apperr.Problem {
	return row.Problem(key, reason)
}

// row handles one data row: find or start its household, read the household
// cells (or check them against the household's first row), add the member.
func (rd *reader) row(row tabular.Row) {
	if !rd.haveRow {
		rd.labelRow, rd.haveRow = row, true
	}
	var (
		hh        *household
		key, addr string
		ord       int32
	)
	if rd.plan != nil {
		// The first pass grouped the rows: the household is known, and
		// open from its first row.
		ord = rd.plan.rowHH[rd.dataRow]
		rd.dataRow++
		if ord < 0 {
			rd.noHousehold(row)
			return
		}
		hh = rd.stream.open[ord]
	} else {
		vc, hc, hn := row.At(rd.atVillage), row.At(rd.atHouseCode), row.At(rd.atHouseNo)
		if vc == "" && hc == "" && hn == "" {
			if rd.prev == nil {
				rd.noHousehold(row)
				return
			}
			hh = rd.prev // a continuation row
		} else {
			key, addr = householdKey(vc, hc, hn), householdKey(vc, "", hn)
			hh = rd.byKey[key]
			if hh == nil && hn != "" {
				// The house code given on some of a household's rows only:
				// the rows still meet at the address, and agree reports a
				// code that differs.
				if hc == "" {
					hh = rd.byAddr[addr]
				} else {
					hh = rd.byKey[addr]
				}
			}
		}
	}
	rd.scratch = survey.Household{}
	var (
		known map[string]string
		same  func(int, string) bool
	)
	if hh != nil {
		known = hh.failed
		if hh == rd.prev {
			same = func(i int, s string) bool { return rd.prevText[i] == s }
		}
	}
	failed := rd.householdCells(row, &rd.scratch, known, same)
	if hh == nil {
		h := rd.scratch
		h.RoundID = rd.round.ID
		if row.At(rd.atStatus) == "" {
			h.Status = survey.Complete
		}
		hh = &household{h: &h, firstRow: row.Num, bad: failed != nil, failed: failed}
		if rd.plan != nil {
			rd.opened(ord, hh)
		} else {
			rd.byKey[key] = hh
			if _, ok := rd.byAddr[addr]; !ok && row.At(rd.atHouseCode) != "" {
				rd.byAddr[addr] = hh
			}
			rd.order = append(rd.order, hh)
			rd.res.Rows[h.Key()] = row.Num
		}
		rd.householdChecks(row, hh)
	} else {
		if failed != nil {
			hh.bad = true
		}
		rd.agree(row, hh, &rd.scratch, failed, same)
	}
	if hh != rd.prev || rd.prevText == nil {
		rd.prevText = rd.prevText[:0]
		for _, c := range rd.hhCols {
			rd.prevText = append(rd.prevText, row.At(c.at))
		}
	}
	rd.prev = hh
	rd.member(row, hh)
	if rd.plan != nil && rd.plan.last[ord] == int32(rd.dataRow-1) {
		rd.complete(ord, hh) // its last row
	}
}

// noHousehold refuses a row that names no household and continues none.
func (rd *reader) noHousehold(row tabular.Row) {
	rd.problem(nil, cellProblem(row, "village_code", apperr.T(
		"แถวนี้ไม่มีรหัสหมู่บ้าน รหัสประจำบ้าน หรือบ้านเลขที่ จึงไม่รู้ว่าเป็นของครัวเรือนใด",
		"this row has no village code, house code or house number, so it belongs to no household")))
}

// householdKey groups rows before their cells are parsed: the house code
// with dashes and spaces removed, else village code and house number, as
// survey.Household.Key does after parsing.
func householdKey(vc, hc, hn string) string {
	if hc != "" {
		if c, bad := parseCode(hc); bad == nil {
			return c
		}
		return hc
	}
	if c, bad := parseCode(vc); bad == nil {
		vc = c
	}
	return vc + "/" + strings.Join(strings.Fields(hn), " ")
}

// agree reports every non-blank household cell of row that differs from the
// household's first row.
func (rd *reader) agree(row tabular.Row, hh *household, h *survey.Household, failed map[string]string, same func(int, string) bool) {
	for i, c := range rd.hhCols {
		if s := row.At(c.at); s == "" || same != nil && same(i, s) {
			continue
		}
		if _, ok := failed[c.key]; ok {
			continue // already reported as a bad cell
		}
		if _, ok := hh.failed[c.key]; ok {
			continue // the first row's cell was refused: nothing to agree with
		}
		if a, b := cellValue(c, h, nil), cellValue(c, hh.h, nil); a != b {
			rd.problem(hh, cellProblem(row, c.key, apperr.Tf(
				"ข้อมูลครัวเรือนไม่ตรงกับแถวที่ %[1]d ของครัวเรือนเดียวกัน (แถวที่ %[1]d กรอก %[2]q) — ทุกแถวของครัวเรือนเดียวกันต้องกรอกข้อมูลครัวเรือนเหมือนกัน",
				"the household's data disagrees with row %[1]d of the same household (row %[1]d has %[2]q); every row of a household must repeat the same household data",
				hh.firstRow, fmt.Sprint(orBlank(b)))))
		}
	}
}

func orBlank(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// householdChecks are the checks on a household's own columns that need
// more than the cell: a known village, a survey date in the past and in the
// round.
func (rd *reader) householdChecks(row tabular.Row, hh *household) {
	h := hh.h
	if rd.opts.KnownVillage != nil && len(h.VillageCode) == 8 {
		known, seen := rd.villages[h.VillageCode]
		if !seen {
			known = rd.opts.KnownVillage(h.VillageCode)
			rd.villages[h.VillageCode] = known
		}
		if !known {
			rd.problem(hh, cellProblem(row, "village_code", apperr.Tf(
				"ไม่พบหมู่บ้านรหัส %s ในทะเบียนพื้นที่ — โปรดตรวจรหัสหมู่บ้าน 8 หลัก (จังหวัด อำเภอ ตำบล หมู่ที่)",
				"no village has the code %s; check the 8-digit village code (province, district, sub-district, village no.)", h.VillageCode)))
		}
	}
	if d := h.SurveyDate; !d.IsZero() {
		switch {
		case d.After(rd.today):
			rd.problem(hh, cellProblem(row, "survey_date", apperr.Tf(
				"วันที่สำรวจ %[1]s อยู่ในอนาคต (วันนี้ %[2]s) — ปีอาจสับสนระหว่าง พ.ศ. กับ ค.ศ.",
				"the survey date %[3]s is in the future (today is %[4]s); the year may mix up BE and CE",
				thai.FormatDate(d, thai.DateShort), thai.FormatDate(rd.today, thai.DateShort),
				thai.FormatDate(d, thai.DateEnglish), thai.FormatDate(rd.today, thai.DateEnglish))))
		case rd.round.SurveyYear > 0 && (d.Year() < rd.round.SurveyYear-thai.BEOffset-1 || d.Year() > rd.round.SurveyYear-thai.BEOffset):
			rd.problem(hh, cellProblem(row, "survey_date", apperr.Tf(
				"วันที่สำรวจ %[1]s ไม่อยู่ในรอบการสำรวจ จปฐ. ปี %[3]d (ต้องเป็นปี พ.ศ. %[4]d หรือ %[3]d) — ปีอาจสับสนระหว่าง พ.ศ. กับ ค.ศ.",
				"the survey date %[2]s is outside the round of survey year %[3]d (it must fall in BE %[4]d or %[3]d); the year may mix up BE and CE",
				thai.FormatDate(d, thai.DateShort), thai.FormatDate(d, thai.DateEnglish), rd.round.SurveyYear, rd.round.SurveyYear-1)))
		}
	}
}
