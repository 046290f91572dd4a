package web

import (
	"net/http"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// householdListData is the list of a village's or tambon's households in a
// round, with personal data masked.
type householdListData struct {
	Area       area.Area
	Crumbs     []area.Area
	Round      survey.Round
	Rows       []householdRow
	Drafts     int
	CanEdit    bool   // may add households here (a village) or import
	NewVillage string // the village a new household goes into
	Villages   []area.Area
	Tambon     string // for the review link
	Status     survey.Status
}

type householdRow struct {
	ID        int64
	Village   int // หมู่ที่
	HouseNo   string
	Head      string // masked
	HouseCode string // masked
	Members   int
	Draft     bool
	Failed    []string // codes of the indicators the household fails
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
	set := eng.Set()
	d := &householdListData{Area: a, Crumbs: s.areas.Ancestors(a.Code), Round: rd, Tambon: a.Code[:6]}
	if d.Status, err = hs.RoundStatus(r.Context(), rd.ID, d.Tambon); err != nil {
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
		}
	}
	out := make([]indicator.Outcome, 0, len(set.Indicators))
	err = hs.EachHousehold(r.Context(), rd.ID, a.Code, func(rec survey.Record) error {
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
		if row.Draft {
			d.Drafts++
		}
		out = set.EvaluateCounts(h, rd.SurveyYear, out[:0])
		for i, o := range out {
			if o.Applicable && o.Passed < o.Eligible {
				row.Failed = append(row.Failed, set.Indicators[i].Code)
			}
		}
		d.Rows = append(d.Rows, row)
		return nil
	})
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	return s.render(w, r, http.StatusOK, "household_list", s.msgs.text(lang, "hh.list.title", "area", areaTitle(lang, a)), d)
}

func areaTitle(lang string, a area.Area) string {
	if lang == "en" {
		return a.TitleEN()
	}
	return a.TitleTH()
}
