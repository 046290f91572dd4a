package web

import (
	"net/http"
	"net/url"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// completenessData is the completeness dashboard of a round under an area:
// households expected (the previous round's) against surveyed, drafts,
// submissions waiting and households not yet re-surveyed, by village for a
// tambon or a village, by child area above; and the same per account that
// entered or submitted them. It reads what the review checklist reads
// (store.RoundCompleteness).
type completenessData struct {
	Area   area.Area
	Crumbs []area.Area
	Round  survey.Round
	Rounds []survey.Round // the household rounds, to switch between
	Check  store.Completeness
	Total  store.VillageCheck
	// Rows are the villages (a tambon or a village) or the child areas
	// (above a tambon), each with its own link.
	Rows   []completenessRow
	ByArea bool   // Rows are child areas, not villages
	Level  string // the rows' level, for the table's heading
	List   string // the tambon's household list ("" above a tambon)
	Review string // the tambon's review page ("" when not a tambon)
	Assign string // the tambon's assignments page, for an account that may assign work there
	// PrevName is how the previous round compared with is called.
	PrevName string
}

// completenessRow is one line of the dashboard's table.
type completenessRow struct {
	store.VillageCheck
	Area      area.Area
	Href      string        // the row's own dashboard (a child area) or household list (a village)
	Status    survey.Status // a tambon's review status ("" for other rows)
	Review    string        // a tambon's review page
	Villages  int           // register villages in a child area
	NoneYet   int           // of them, villages without any household this round
	HasStatus bool
}

func (s *Server) completenessPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.completeness(r)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	title := s.msgs.text(lang, "landing.dash.title", "area", areaTitle(lang, d.Area))
	return s.render(w, r, http.StatusOK, "completeness", title, d)
}

// completeness is the dashboard of the request's round and area, under the
// page's scope check (the page and its Excel file share it).
func (s *Server) completeness(r *http.Request) (*completenessData, error) {
	code := r.PathValue("code")
	u, err := allow(r, user.ViewHouseholds, code)
	if err != nil {
		return nil, err
	}
	a, err := s.areaOr404(code)
	if err != nil {
		return nil, err
	}
	rd, _, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return nil, err
	}
	if rd.AggregateOnly {
		return nil, apperr.New(apperr.NotFound, apperr.T("รอบนี้เป็นตัวเลขที่เผยแพร่ ไม่มีรายครัวเรือนให้ตรวจความครบถ้วน",
			"this round holds published figures, with no households to count"))
	}
	cs, ok := s.store.(completenessStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับการตรวจความครบถ้วน", "this store does not count completeness"))
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	d := &completenessData{Area: a, Crumbs: s.areas.Ancestors(a.Code), Round: rd}
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	for _, x := range rounds {
		if !x.AggregateOnly && x.Kind == rd.Kind {
			d.Rounds = append(d.Rounds, x)
		}
	}
	if d.Check, err = cs.RoundCompleteness(ctx, rd.ID, a.Code); err != nil {
		return nil, err
	}
	d.Total = d.Check.Total()
	d.PrevName = d.Check.Prev
	for _, x := range rounds {
		if x.ID == d.Check.Prev {
			d.PrevName = s.roundName(lang, x)
		}
	}
	rid := url.PathEscape(rd.ID)
	base := "/rounds/" + rid + "/areas/"
	switch a.Level {
	case area.Subdistrict, area.Village:
		d.List = base + a.Code + "/households"
		if tambon := a.Code[:6]; u.CanAt(user.ViewHouseholds, tambon) {
			d.Review = base + tambon + "/review"
		}
		if tambon := a.Code[:6]; u.CanAt(user.AssignWork, tambon) {
			d.Assign = base + tambon + "/assignments"
		}
		d.Level = s.msgs.text(lang, "level.village")
		for _, v := range d.Check.Villages {
			row := completenessRow{VillageCheck: v, Href: d.List + "?village=" + v.Code}
			row.Area, _ = s.areas.Get(v.Code)
			if row.Area.Code == "" {
				row.Area = area.Area{Code: v.Code, NameTH: v.NameTH, NameEN: v.NameEN, Level: area.Village, Moo: v.Moo}
			}
			d.Rows = append(d.Rows, row)
		}
	default:
		d.ByArea = true
		n := childLen(a)
		kids := s.areas.Children(a.Code)
		if len(kids) > 0 {
			d.Level = s.msgs.text(lang, "level."+kids[0].Level.String())
		}
		at := map[string]int{}
		for _, k := range kids {
			at[k.Code] = len(d.Rows)
			row := completenessRow{Area: k, Href: base + k.Code + "/completeness"}
			row.ExpectedKnown = true
			d.Rows = append(d.Rows, row)
		}
		for _, v := range d.Check.Villages {
			i, ok := at[v.Code[:n]]
			if !ok {
				continue
			}
			row := &d.Rows[i]
			row.Villages++
			if v.Surveyed == 0 {
				row.NoneYet++
			}
			row.Expected += v.Expected
			row.ExpectedKnown = row.ExpectedKnown && v.ExpectedKnown
			row.Surveyed += v.Surveyed
			row.Drafts += v.Drafts
			row.Waiting += v.Waiting
			row.NotResurveyed += v.NotResurveyed
		}
		if n == 6 { // the rows are tambons: their review status and page
			if cov, ok := s.store.(coverageStore); ok {
				covers, err := s.tambonCovers(ctx, cov, rd.ID, a.Code)
				if err != nil {
					return nil, err
				}
				status := map[string]survey.Status{}
				for _, c := range covers {
					status[c.Code] = c.Status
				}
				for i := range d.Rows {
					row := &d.Rows[i]
					row.HasStatus, row.Status, row.Review = true, survey.StatusOpen, base+row.Area.Code+"/review"
					if st, ok := status[row.Area.Code]; ok {
						row.Status = st
					}
				}
			}
		}
	}
	return d, nil
}
