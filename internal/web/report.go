package web

import (
	"net/http"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/thai"
)

// reportData is the printable report: the department's table (surveyed,
// passed, %, failed, % per indicator, หมวด by หมวด) with the previous round's
// columns beside it.
type reportData struct {
	*profile
	RoundQ  string
	Printed string
	Groups  []reportGroup
	Signs   []signature // report_sign.go
	TPMAP   *tpmapView  // TPMAP's published target poor: tpmap_box.go
}

type reportGroup struct {
	Name string
	Rows []reportRow
}

type reportRow struct {
	Cur     engine.IndicatorResult
	HasPrev bool
	Prev    engine.IndicatorResult
	// PrevWithheld: the previous round's counts are hidden from the public.
	PrevWithheld bool
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	p, err := s.loadProfile(r.Context(), a, r.URL.Query().Get("round"), false)
	if err != nil {
		return err
	}
	if !p.HasRound {
		return apperr.New(apperr.NotFound, apperr.T("ยังไม่มีข้อมูลของพื้นที่นี้", "there are no figures for this area yet"))
	}
	lang := langFrom(r.Context())
	d := &reportData{profile: p, RoundQ: roundQuery(p)}
	now := s.now().In(thai.Bangkok())
	if lang == "en" {
		d.Printed = thai.FormatDate(now, thai.DateEnglish)
	} else {
		d.Printed = thai.FormatDate(now, thai.DateLong)
	}
	var prev engine.Report
	if p.HasPrev {
		pt, err := s.totalsAs(r.Context(), p.Eng, p.Prev, a.Code)
		if err != nil {
			return err
		}
		prev = engine.Results(p.Eng.Set(), pt, nil, p.Targets)
	}
	if d.Signs, err = s.reportSignatures(r.Context(), lang, p); err != nil {
		return err
	}
	d.Groups = reportGroups(p.Eng.Set(), lang, p.Report, prev, p.HasPrev)
	tpYear, err := tpmapYearOf(r, "tpmap")
	if err != nil {
		return err
	}
	if d.TPMAP, err = s.tpmapFor(r.Context(), a.Code, tpYear); err != nil {
		return err
	}
	title := s.msgs.text(lang, "report.title") + " · " + view{Lang: lang}.withSrv(s).Name(a)
	return s.render(w, r, http.StatusOK, "report", title, d)
}

func reportGroups(set *indicator.Set, lang string, cur, prev engine.Report, hasPrev bool) []reportGroup {
	var out []reportGroup
	for _, g := range set.Groups {
		rg := reportGroup{Name: g.Name.In(lang)}
		for i, ir := range cur.Indicators {
			if ir.Group != g.Code {
				continue
			}
			row := reportRow{Cur: ir}
			if hasPrev && i < len(prev.Indicators) && prev.Indicators[i].Surveyed > 0 {
				row.HasPrev, row.Prev = true, prev.Indicators[i]
			} else if hasPrev && i < len(prev.Indicators) && prev.Indicators[i].Withheld {
				row.PrevWithheld, row.Prev = true, prev.Indicators[i]
			}
			rg.Rows = append(rg.Rows, row)
		}
		out = append(out, rg)
	}
	return out
}
