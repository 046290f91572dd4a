package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// listPageSize keeps a page of the household list small enough for a phone
// on a slow line.
const listPageSize = 50

// listStore is what the household list and the review checklist need from
// storage. *store.Store implements it.
type listStore interface {
	ListHouseholds(ctx context.Context, q store.HouseholdQuery) (store.HouseholdPage, error)
	PreviousHouseholdRound(ctx context.Context, r survey.Round) (survey.Round, error)
	RoundChecklist(ctx context.Context, round, tambon string) (store.Checklist, error)
	ReviewChecked(ctx context.Context, round, area string, step survey.Review, by, comment, override string) (survey.Status, error)
}

func (s *Server) lstore() (listStore, error) {
	ls, ok := s.store.(listStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับรายชื่อครัวเรือน", "this store does not list households"))
	}
	return ls, nil
}

// householdListData is the list of a village's or tambon's households in a
// round, filtered, sorted and paged, with personal data masked.
type householdListData struct {
	Area       area.Area
	Crumbs     []area.Area
	Round      survey.Round
	Rows       []householdRow
	Total      int // rows of the whole filtered list
	Drafts     int
	CanEdit    bool   // may add households here (a village) or import
	NewVillage string // the village a new household goes into
	Villages   []area.Area
	Tambon     string // for the review link
	Status     survey.Status

	F          listFilter
	Filtered   bool          // some filter is set
	Active     int           // filters set under "more" (the search box aside), shown on its summary
	InVillages []area.Area   // the villages a tambon's list can be narrowed to
	Indicators []listOption  // the failing-indicator filter's choices
	NameSearch bool          // the search box also finds names (roles that may see them)
	Prev       *survey.Round // the previous household round, for "not re-surveyed"
	Page       int
	Pages      []listPageLink
	PrevPage   string
	NextPage   string
	XLSX       string // the same list as Excel
	Personal   bool   // may download names unmasked
	Resurvey   bool   // rows of the "not re-surveyed" list open "start from last round" (household_resurvey.go)
	Base       string // the list's path
}

type listOption struct{ Value, Label string }

type listPageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool // an ellipsis stands here
}

type householdRow struct {
	ID        int64
	Village   int // หมู่ที่
	HouseNo   string
	Head      string // masked
	HouseCode string // masked
	Members   int
	Draft     bool
	Poor      bool
	Failed    []string // codes of the indicators the household fails
}

// listFilter is the list's query string, read and checked.
type listFilter struct {
	Q       string
	Village string
	Status  string // draft, complete
	Poor    bool
	Fails   string // an indicator code
	Helped  string // "1" helped, "0" never helped
	Missing bool   // not re-surveyed: in the previous round, not in this one
	Sort    string // house, -house, updated
	Page    int
}

func readListFilter(q url.Values) listFilter {
	f := listFilter{Q: strings.TrimSpace(q.Get("q")), Village: q.Get("village"), Status: q.Get("status"),
		Poor: q.Get("poor") == "1", Fails: strings.TrimSpace(q.Get("fails")), Helped: q.Get("helped"),
		Missing: q.Get("missing") == "1", Sort: q.Get("sort")}
	if len([]rune(f.Q)) > 60 {
		f.Q = string([]rune(f.Q)[:60])
	}
	if f.Status != string(survey.Draft) && f.Status != string(survey.Complete) {
		f.Status = ""
	}
	if f.Helped != "1" && f.Helped != "0" {
		f.Helped = ""
	}
	if f.Sort != "-house" && f.Sort != "updated" {
		f.Sort = ""
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	f.Page = max(f.Page, 1)
	return f
}

// values is the filter as a query string, without the page.
func (f listFilter) values() url.Values {
	v := url.Values{}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	set("q", f.Q)
	set("village", f.Village)
	set("status", f.Status)
	if f.Poor {
		v.Set("poor", "1")
	}
	set("fails", f.Fails)
	set("helped", f.Helped)
	if f.Missing {
		v.Set("missing", "1")
	}
	set("sort", f.Sort)
	return v
}

// isHouseNumber reports whether a search reads as a house number (digits,
// slashes, dashes) rather than a name.
func isHouseNumber(q string) bool {
	for _, r := range q {
		if unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func (s *Server) householdList(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	u, err := allow(r, user.ViewHouseholds, code)
	if err != nil {
		return err
	}
	a, err := s.areaOr404(code)
	if err != nil {
		return err
	}
	if a.Level != area.Village && a.Level != area.Subdistrict {
		return apperr.New(apperr.NotFound, apperr.T("รายชื่อครัวเรือนมีเฉพาะระดับตำบลและหมู่บ้าน", "household lists exist for tambons and villages only"))
	}
	rd, eng, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return err
	}
	hs, err := s.hstore()
	if err != nil {
		return err
	}
	ls, err := s.lstore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	d := &householdListData{Area: a, Crumbs: s.areas.Ancestors(a.Code), Round: rd, Tambon: a.Code[:6],
		F: readListFilter(r.URL.Query()), NameSearch: u.CanAt(user.RevealPersonal, a.Code), Personal: u.CanAt(user.ExportPersonal, a.Code)}
	d.Base = "/rounds/" + url.PathEscape(rd.ID) + "/areas/" + a.Code + "/households"
	if d.Status, err = hs.RoundStatus(ctx, rd.ID, d.Tambon); err != nil {
		return err
	}
	d.CanEdit = u.CanAt(user.EditHouseholds, a.Code) && !d.Status.Locked()
	if a.Level == area.Village {
		d.NewVillage = a.Code
	} else {
		for _, v := range s.areas.Children(a.Code) {
			if u.CanAt(user.EditHouseholds, v.Code) {
				d.Villages = append(d.Villages, v)
			}
			d.InVillages = append(d.InVillages, v)
		}
	}
	set := eng.Set()
	for _, in := range set.Indicators {
		d.Indicators = append(d.Indicators, listOption{Value: in.Code, Label: in.Code + " " + in.Name.In(lang)})
	}
	if p, err := ls.PreviousHouseholdRound(ctx, rd); err == nil {
		d.Prev = &p
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	d.Resurvey = d.Prev != nil && d.F.Missing && d.CanEdit && u.CanAt(user.RevealPersonal, a.Code)

	// The query: what SQL answers, then what only the record tells.
	f := &d.F
	q := store.HouseholdQuery{Round: rd.ID, Area: a.Code, Sort: f.Sort}
	if f.Village != "" {
		if v, ok := s.areas.Get(f.Village); ok && a.Level == area.Subdistrict && v.Level == area.Village && strings.HasPrefix(v.Code, a.Code) {
			q.Area = v.Code
		} else {
			f.Village = ""
		}
	}
	if f.Status != "" {
		q.Status = survey.HouseholdStatus(f.Status)
	}
	switch f.Helped {
	case "1":
		q.Helped = 1
	case "0":
		q.Helped = -1
	}
	if f.Missing {
		if d.Prev == nil {
			f.Missing = false
		} else {
			q.Missing, q.Prev = true, d.Prev.ID
			// The rows are the previous round's: judge them by its rules.
			if _, prevEng, err := s.roundOf(ctx, d.Prev.ID); err == nil {
				eng, set = prevEng, prevEng.Set()
			}
		}
	}
	failIdx := -1
	if f.Fails != "" {
		if i := slices.IndexFunc(set.Indicators, func(in indicator.Indicator) bool { return in.Code == f.Fails }); i >= 0 {
			failIdx = i
		} else {
			f.Fails = ""
		}
	}
	var name string
	if f.Q != "" {
		if isHouseNumber(f.Q) || !d.NameSearch {
			q.HouseNo = f.Q
		} else {
			name = strings.ToLower(f.Q)
		}
	}
	judge := newRowJudge(eng)
	if f.Poor && eng.Poverty() == nil {
		f.Poor = false
	}
	if f.Poor || failIdx >= 0 || name != "" {
		q.Keep = func(rec survey.Record) bool {
			h := rec.Household
			if name != "" && !nameMatches(h, name) && !strings.Contains(h.HouseNo, f.Q) {
				return false
			}
			if failIdx >= 0 && !judge.fails(h, failIdx) {
				return false
			}
			return !f.Poor || judge.poor(h)
		}
	}
	for _, on := range []bool{f.Village != "", f.Status != "", f.Poor, f.Fails != "", f.Helped != "", f.Missing, f.Sort != ""} {
		if on {
			d.Active++
		}
	}
	d.Filtered = f.Q != "" || d.Active > 0 && !(d.Active == 1 && f.Sort != "")

	xlsx := r.URL.Query().Get("format") == "xlsx"
	if !xlsx {
		q.Limit, q.Offset = listPageSize, (f.Page-1)*listPageSize
	}
	page, err := ls.ListHouseholds(ctx, q)
	if err != nil {
		return err
	}
	d.Total = page.Total
	for _, rec := range page.Rows {
		d.Rows = append(d.Rows, s.listRow(rec, judge))
	}
	if xlsx {
		return s.householdListXLSX(w, r, u, d, page.Rows)
	}
	if !f.Missing {
		drafts, err := ls.ListHouseholds(ctx, store.HouseholdQuery{Round: rd.ID, Area: a.Code, Status: survey.Draft, Limit: 1})
		if err != nil {
			return err
		}
		d.Drafts = drafts.Total
	}
	s.listPages(d)
	xv := f.values()
	xv.Set("format", "xlsx")
	d.XLSX = d.Base + "?" + xv.Encode()
	return s.render(w, r, http.StatusOK, "household_list", s.msgs.text(lang, "hh.list.title", "area", areaTitle(lang, a)), d)
}

// listPages fills the page links: first, last, and two either side of the
// current page.
func (s *Server) listPages(d *householdListData) {
	p := makePager(d.Total, listPageSize, d.F.Page, func(p int) string {
		v := d.F.values()
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		if len(v) == 0 {
			return d.Base
		}
		return d.Base + "?" + v.Encode()
	})
	d.Page, d.Pages, d.PrevPage, d.NextPage = p.Page, p.Pages, p.PrevPage, p.NextPage
}

func (s *Server) listRow(rec survey.Record, j *rowJudge) householdRow {
	h := rec.Household
	row := householdRow{ID: rec.ID, HouseNo: h.HouseNo, Members: len(h.Members), Draft: h.Status == survey.Draft}
	if v, ok := s.areas.Get(h.VillageCode); ok {
		row.Village = v.Moo
	}
	if hd := headOf(h); hd != nil {
		row.Head = maskName(hd.FirstName)
	}
	if h.HouseCode != "" {
		row.HouseCode = thai.MaskHouseCode(h.HouseCode)
	}
	row.Failed = j.failed(h)
	row.Poor = j.poor(h)
	return row
}

func nameMatches(h *survey.Household, q string) bool {
	for _, m := range h.Members {
		if strings.Contains(strings.ToLower(m.FirstName+" "+m.LastName), q) {
			return true
		}
	}
	return false
}

// rowJudge evaluates one household at a time against a round's indicators
// and poverty index.
type rowJudge struct {
	eng   *engine.Engine
	w     *engine.Worker
	out   []indicator.Outcome
	acc   *engine.Totals // every household judged so far, added up
	nPoor int64          // people of acc at or above the poverty cut-off
}

func newRowJudge(eng *engine.Engine) *rowJudge {
	return &rowJudge{eng: eng, w: eng.Worker(), acc: eng.NewTotals()}
}

func (j *rowJudge) outcomes(h *survey.Household) []indicator.Outcome {
	j.out = j.eng.Set().EvaluateCounts(h, j.eng.SurveyYear(), j.out[:0])
	return j.out
}

func (j *rowJudge) fails(h *survey.Household, i int) bool {
	o := j.outcomes(h)[i]
	return o.Applicable && o.Passed < o.Eligible
}

func (j *rowJudge) failed(h *survey.Household) []string {
	var out []string
	for i, o := range j.outcomes(h) {
		if o.Applicable && o.Passed < o.Eligible {
			out = append(out, j.eng.Set().Indicators[i].Code)
		}
	}
	return out
}

// poor reports whether the household counts at least one MPI-poor person
// at the index's cut-off: it is added to the same statistics the area
// pages count their poor from (drafts count nowhere), so a village's
// "poor Q of N" and its ?poor=1 list agree.
func (j *rowJudge) poor(h *survey.Household) bool {
	x := j.eng.Poverty()
	if x == nil || j.acc.Poverty == nil {
		return false
	}
	j.w.Add(h, j.acc)
	k, d := x.K(), x.Denominator()
	var n int64
	for s, c := range j.acc.Poverty.ByScore {
		if int64(s)*k.Den >= k.Num*d {
			n += c
		}
	}
	was := j.nPoor
	j.nPoor = n
	return n > was
}

// householdListXLSX writes the filtered list (every page) as a workbook.
// Names are masked as on the page unless the account may export personal
// data and asks for them (names=1); every download is in the audit log.
func (s *Server) householdListXLSX(w http.ResponseWriter, r *http.Request, u *user.User, d *householdListData, recs []survey.Record) error {
	lang := langFrom(r.Context())
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	full := d.Personal && r.URL.Query().Get("names") == "1"
	f := excelize.NewFile()
	defer f.Close()
	sheet := t("daily.xlsx.sheet")
	f.SetSheetName("Sheet1", sheet)
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	write := func(row int, values ...any) {
		for i, v := range values {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			f.SetCellValue(sheet, cell, v)
		}
	}
	write(1, fmt.Sprintf("%s · %s", t("hh.list.heading", "area", areaTitle(lang, d.Area)), d.Round.ID))
	note := t("daily.xlsx.masked")
	if full {
		note = t("daily.xlsx.full")
	}
	write(2, note)
	write(4, t("hh.moo"), t("hh.house_no"), t("hh.head"), t("hh.house_code"), t("hh.members"), t("hh.status"), t("daily.poor"), t("hh.failed"))
	f.SetCellStyle(sheet, "A4", "H4", head)
	for i, rec := range recs {
		row := d.Rows[i]
		hd, hc := row.Head, row.HouseCode
		if full {
			hd, hc = "", rec.Household.HouseCode
			if m := headOf(rec.Household); m != nil {
				hd = strings.TrimSpace(m.FirstName + " " + m.LastName)
			}
		}
		status, poor := t("hh.status.complete"), ""
		if row.Draft {
			status = t("hh.status.draft")
		}
		if row.Poor {
			poor = t("daily.yes")
		}
		write(5+i, row.Village, row.HouseNo, hd, hc, row.Members, status, poor, strings.Join(row.Failed, " "))
	}
	for col, width := range map[string]float64{"A": 6, "B": 10, "C": 24, "D": 16, "E": 8, "F": 10, "G": 8, "H": 30} {
		f.SetColWidth(sheet, col, col, width)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	detail, _ := json.Marshal(map[string]any{"list": "households", "round": d.Round.ID, "filter": d.F.values().Encode(), "rows": len(recs), "masked": !full})
	if err := s.audit(r.Context(), u, "export.personal", d.Area.Code, "households:"+d.Round.ID, string(detail)); err != nil {
		return err
	}
	writeXLSX(w, "households-"+asciiName(d.Area.Code)+"-"+asciiName(d.Round.ID)+".xlsx", buf.Bytes())
	return nil
}

func areaTitle(lang string, a area.Area) string {
	if lang == "en" {
		return a.TitleEN()
	}
	return a.TitleTH()
}
