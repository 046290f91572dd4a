package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
	"tambon/internal/welfare"
)

// welfarePeopleData is one welfare group of an area listed person by
// person, masked as the household list masks, a page at a time.
type welfarePeopleData struct {
	Area      area.Area
	Crumbs    []area.Area
	Round     survey.Round
	Group     welfare.Group
	Tabs      []welfareTab
	Rows      []welfareRow
	Total     int
	Page      int
	PrevPage  string
	NextPage  string
	XLSX      string
	Personal  bool // may download names and IDs unmasked
	NoMapping bool // the round's set has no TPMAP dimensions
	Lists     int  // register lists covering the area
	Mapping   welfare.Mapping
}

type welfareTab struct {
	Group   welfare.Group
	N       int64
	URL     string
	Current bool
}

type welfareRow struct {
	HouseholdID int64
	Moo         int
	HouseNo     string
	Name        string // masked
	CitizenID   string // masked
	Dims        []string
	Year        int
	Status      string
	IncomeBand  string
	Row         int // the list file's row, for someone not found in the survey
}

func (s *Server) welfarePeople(w http.ResponseWriter, r *http.Request) error {
	a, err := s.welfareArea(r.PathValue("code"))
	if err != nil {
		return err
	}
	u, err := allow(r, user.ViewHouseholds, a.Code)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	rd, j, ok, err := s.welfareJudge(ctx, r.PathValue("round"))
	if err != nil {
		return err
	}
	d := &welfarePeopleData{Area: a, Crumbs: s.areas.Ancestors(a.Code), Round: rd, Personal: u.CanAt(user.ExportPersonal, a.Code),
		Group: welfare.Group(r.URL.Query().Get("group"))}
	if !d.Group.Valid() {
		d.Group = welfare.PoorUnregistered
	}
	base := "/rounds/" + url.PathEscape(rd.ID) + "/areas/" + a.Code + "/welfare"
	if !ok {
		d.NoMapping = true
		return s.render(w, r, http.StatusOK, "welfare_people", s.msgs.text(lang, "welfare.people.title", "area", areaTitle(lang, a)), d)
	}
	d.Mapping = j.Mapping
	ws, err := s.wstore()
	if err != nil {
		return err
	}
	rep, err := ws.WelfareArea(ctx, j, rd.ID, a.Code, d.Group)
	if err != nil {
		return err
	}
	d.Lists = len(rep.Lists)
	for _, g := range welfare.Groups {
		d.Tabs = append(d.Tabs, welfareTab{Group: g, N: rep.Counts.Of(g), URL: base + "?group=" + string(g), Current: g == d.Group})
	}
	d.Total = len(rep.People)
	if r.URL.Query().Get("format") == "xlsx" {
		return s.welfareXLSX(w, r, d, rep.People)
	}
	d.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	pages := max((d.Total+listPageSize-1)/listPageSize, 1)
	d.Page = min(max(d.Page, 1), pages)
	link := func(p int) string { return base + "?group=" + string(d.Group) + "&page=" + strconv.Itoa(p) }
	if d.Page > 1 {
		d.PrevPage = link(d.Page - 1)
	}
	if d.Page < pages {
		d.NextPage = link(d.Page + 1)
	}
	from := (d.Page - 1) * listPageSize
	for _, p := range rep.People[from:min(from+listPageSize, d.Total)] {
		d.Rows = append(d.Rows, s.welfareRow(p, j.Mapping, lang, false))
	}
	d.XLSX = base + "?group=" + string(d.Group) + "&format=xlsx"
	return s.render(w, r, http.StatusOK, "welfare_people", s.msgs.text(lang, "welfare.people.title", "area", areaTitle(lang, a)), d)
}

// welfareRow is a person as a page or a masked file shows them; full
// leaves the name and ID as they are (an audited download).
func (s *Server) welfareRow(p store.WelfarePerson, m welfare.Mapping, lang string, full bool) welfareRow {
	row := welfareRow{HouseholdID: p.HouseholdID, HouseNo: p.HouseNo, Name: p.Name, CitizenID: p.CitizenID}
	if !full {
		first, _, _ := strings.Cut(p.Name, " ")
		row.Name = maskName(first)
		if p.CitizenID != "" {
			row.CitizenID = thai.MaskCitizenID(p.CitizenID)
		}
	}
	village := p.Village
	if p.Entry != nil {
		row.Year, row.Status, row.IncomeBand = p.Entry.Year, p.Entry.Status, p.Entry.IncomeBand
		if p.HouseholdID == 0 {
			row.Row = p.Entry.Row
		}
	}
	if v, ok := s.areas.Get(village); ok && v.Level == area.Village {
		row.Moo = v.Moo
	}
	for i, dim := range m.Dimensions {
		if p.Dims&(1<<uint(i)) != 0 {
			row.Dims = append(row.Dims, dim.Name().In(lang))
		}
	}
	return row
}

// welfareXLSX writes the whole group as a workbook, masked as the page
// unless the account may export personal data and asks for it (names=1);
// every download is in the audit log (sendSheets, as the other lists).
func (s *Server) welfareXLSX(w http.ResponseWriter, r *http.Request, d *welfarePeopleData, people []store.WelfarePerson) error {
	lang := langFrom(r.Context())
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	full := d.Personal && r.URL.Query().Get("names") == "1"
	sh := xlsxSheet{name: t("welfare.group." + string(d.Group)), head: []string{t("hh.moo"), t("hh.house_no"), t("welfare.col.name"),
		t("welfare.col.cid"), t("welfare.col.dims"), t("welfare.col.year"), t("welfare.col.status"), t("welfare.col.income"), t("welfare.col.row")}}
	for _, p := range people {
		row := s.welfareRow(p, d.Mapping, lang, full)
		var moo, year, line any
		if row.Moo > 0 {
			moo = row.Moo
		}
		if row.Year > 0 {
			year = row.Year
		}
		if row.Row > 0 {
			line = row.Row
		}
		sh.add(moo, row.HouseNo, row.Name, row.CitizenID, strings.Join(row.Dims, ", "), year, row.Status, row.IncomeBand, line)
	}
	return s.sendSheets(w, r, exportName("welfare", string(d.Group), d.Area.Code, d.Round.ID), []xlsxSheet{sh}, &personalFile{
		area: d.Area.Code, object: "welfare:" + d.Round.ID,
		detail: map[string]any{"list": "welfare", "group": d.Group, "round": d.Round.ID, "masked": !full}})
}
