package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/tabular"
)

// indicatorPageData is one indicator across an area's children and across
// rounds.
type indicatorPageData struct {
	*profile
	RoundQ   string
	Ind      engine.IndicatorResult
	Options  []option
	Children []indicatorChild
	History  []indicatorRound
	Map      *mapView
	Trend    *linesChart
}

type indicatorChild struct {
	Area    area.Area
	HasData bool
	R       engine.IndicatorResult
}

type indicatorRound struct {
	Round survey.Round
	R     engine.IndicatorResult
}

// indicatorData loads one indicator's figures for an area.
func (s *Server) indicatorData(r *http.Request, a area.Area) (*indicatorPageData, error) {
	p, err := s.loadProfile(r.Context(), a, r.URL.Query().Get("round"), true)
	if err != nil {
		return nil, err
	}
	if !p.HasRound {
		return nil, apperr.New(apperr.NotFound, apperr.T("ยังไม่มีข้อมูลของพื้นที่นี้", "there are no figures for this area yet"))
	}
	code := r.PathValue("ind")
	if code == "" { // the Excel export names it in the query
		code = r.URL.Query().Get("ind")
	}
	ind, ok := indicatorByCode(p.Report, code)
	if !ok {
		return nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีตัวชี้วัดที่ %s ในชุดตัวชี้วัดนี้",
			"there is no indicator %s in this indicator set", code))
	}
	lang := langFrom(r.Context())
	d := &indicatorPageData{profile: p, RoundQ: roundQuery(p), Ind: ind}
	for _, ir := range p.Report.Indicators {
		d.Options = append(d.Options, option{Value: ir.Code, Label: strconv.Itoa(ir.Number) + ". " + ir.Name.In(lang), Selected: ir.Code == code})
	}
	for _, c := range p.Children {
		ic := indicatorChild{Area: c.Area, HasData: c.HasData}
		if c.HasData {
			ic.R, _ = indicatorByCode(c.Report, code)
		}
		d.Children = append(d.Children, ic)
	}
	rounds, totals, err := s.trendRounds(r, p, a.Code)
	if err != nil {
		return nil, err
	}
	for i, rd := range rounds {
		ir, _ := indicatorByCode(engine.Results(p.Eng.Set(), totals[i], nil, p.Targets), code)
		d.History = append(d.History, indicatorRound{Round: rd, R: ir})
	}
	return d, nil
}

func (s *Server) indicatorPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	// The indicator picker submits ?ind=: go to that indicator's own URL.
	if ind := r.URL.Query().Get("ind"); ind != "" && ind != r.PathValue("ind") {
		http.Redirect(w, r, "/areas/"+a.Code+"/indicators/"+url.PathEscape(ind)+withQuery(&url.URL{RawQuery: r.URL.RawQuery}, "ind", ""), http.StatusSeeOther)
		return nil
	}
	d, err := s.indicatorData(r, a)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	if d.Map, err = s.childMap(r, d.profile, d.Ind.Code); err != nil {
		return err
	}
	if d.Map != nil {
		d.Map.Href = "/areas/{code}/indicators/" + d.Ind.Code + d.RoundQ
	}
	// The trend: this area and the areas above it, round by round.
	chain := append([]area.Area{a}, reversed(d.Ancestors)...)
	var labels []survey.Round
	for _, h := range d.History {
		labels = append(labels, h.Round)
	}
	if keep := timeline(labels); len(keep) >= 1 {
		c := &linesChart{}
		var kept []survey.Round
		for _, i := range keep {
			kept = append(kept, labels[i])
			c.Rounds = append(c.Rounds, s.roundName(lang, labels[i]))
			c.Years = append(c.Years, dataYear(labels[i]))
		}
		labels = kept
		for _, anc := range chain[:min(len(chain), 4)] {
			ser := lineSeries{Name: view{Lang: lang}.withSrv(s).Name(anc)}
			for _, rd := range labels {
				t, err := s.totalsAs(r.Context(), d.Eng, rd, anc.Code)
				if err != nil {
					return err
				}
				var v *float64
				if c := indexOfCode(d.Eng.Set().Indicators, d.Ind.Code); c >= 0 && c < len(t.Indicators) && t.Indicators[c].Eligible > 0 {
					v = ptr(round2(float64(t.Indicators[c].Passed) * 100 / float64(t.Indicators[c].Eligible)))
				}
				ser.Values = append(ser.Values, v)
			}
			c.Series = append(c.Series, ser)
		}
		c.fitAxis()
		d.Trend = c
	}
	title := strconv.Itoa(d.Ind.Number) + ". " + d.Ind.Name.In(lang) + " · " + view{Lang: lang}.withSrv(s).Name(a)
	return s.render(w, r, http.StatusOK, "indicator", title, d)
}

func reversed(as []area.Area) []area.Area {
	out := make([]area.Area, len(as))
	for i, a := range as {
		out[len(as)-1-i] = a
	}
	return out
}

func (s *Server) indicatorExport(w http.ResponseWriter, r *http.Request, a area.Area) error {
	d, err := s.indicatorData(r, a)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	var buf bytes.Buffer
	x := tabular.NewXLSXWriter(&buf)
	head := []string{t("area.code"), t("area.name"), t("col.surveyed"), t("col.passed"), t("col.passedpct"), t("col.failed"), t("col.failedpct"), t("col.meets")}
	if d.HasPrev {
		head = append(head, t("col.prevpct", "round", s.roundName(lang, d.Prev)), t("col.change"))
	}
	x.NewSheet(sheetName(t("table.children")), head)
	for _, c := range d.Children {
		row := []any{c.Area.Code, view{Lang: lang}.withSrv(s).Name(c.Area)}
		if c.HasData && c.R.Surveyed > 0 {
			row = append(row, c.R.Surveyed, c.R.Passed, round2(c.R.PassedPct), c.R.Failed, round2(c.R.FailedPct), yesNo(t, c.R.MeetsTarget))
			if d.HasPrev {
				if c.R.HasPrev {
					row = append(row, round2(c.R.PassedPct-c.R.ChangePassedPct), round2(c.R.ChangePassedPct))
				} else {
					row = append(row, nil, nil)
				}
			}
		}
		x.Write(row...)
	}
	x.NewSheet(sheetName(t("table.rounds")), []string{t("col.round"), t("col.surveyed"), t("col.passed"), t("col.passedpct"), t("col.failed"), t("col.failedpct")})
	for _, h := range d.History {
		x.Write(s.roundName(lang, h.Round), h.R.Surveyed, h.R.Passed, pctCell(h.R.PassedPct, h.R.Surveyed), h.R.Failed, pctCell(h.R.FailedPct, h.R.Surveyed))
	}
	s.coverageSheet(x, lang, d.profile)
	if err := x.Close(); err != nil {
		return err
	}
	writeXLSX(w, "tambon-"+asciiName(a.Code)+"-"+asciiName(d.Round.ID)+"-indicator-"+asciiName(d.Ind.Code)+".xlsx", buf.Bytes())
	return nil
}
