package web

import (
	"bytes"
	"net/http"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
)

// The tables an area's page offers as Excel files.
var exportTables = []string{"indicators", "groups", "children", "problems", "mpi"}

// areaExport writes one of an area page's tables as a real XLSX workbook:
// Thai (or English) headers, numbers as numbers, an ASCII file name with the
// area code and round.
func (s *Server) areaExport(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	table := r.URL.Query().Get("table")
	if table == "" {
		table = "indicators"
	}
	switch table {
	case "indicator":
		return s.indicatorExport(w, r, a)
	case "poverty":
		return s.povertyExport(w, r, a)
	case "tpmap":
		return s.tpmapExport(w, r, a)
	}
	known := false
	for _, t := range exportTables {
		known = known || t == table
	}
	if !known {
		return apperr.New(apperr.Invalid, apperr.Tf(
			"ไม่มีตาราง %q (มี indicators, groups, children, problems, mpi, indicator, poverty, tpmap)",
			"there is no table %q (there are indicators, groups, children, problems, mpi, indicator, poverty, tpmap)", table))
	}
	p, err := s.loadProfile(r.Context(), a, r.URL.Query().Get("round"), table == "children")
	if err != nil {
		return err
	}
	if !p.HasRound {
		return apperr.New(apperr.NotFound, apperr.T("ยังไม่มีข้อมูลของพื้นที่นี้", "there are no figures for this area yet"))
	}
	lang := langFrom(r.Context())
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	hidden := t("sdc.hidden") // a withheld figure: said, never left as 0 or blank
	// or picks a figure, or says it is hidden.
	or := func(withheld bool, v any) any {
		if withheld {
			return hidden
		}
		return v
	}
	var buf bytes.Buffer
	x := tabular.NewXLSXWriter(&buf)
	switch table {
	case "indicators", "problems":
		rows := p.Report.Indicators
		if table == "problems" {
			rows = p.Problems
		}
		head := []string{t("col.number"), t("col.indicator"), t("col.group"), t("col.unit"), t("col.surveyed"), t("col.passed"),
			t("col.passedpct"), t("col.failed"), t("col.failedpct"), t("col.target"), t("col.meets")}
		if p.HasPrev {
			head = append(head, t("col.prevpct", "round", s.roundName(lang, p.Prev)), t("col.change"), t("col.changefailed"))
		}
		x.NewSheet(sheetName(t("table."+table)), head)
		for _, ir := range rows {
			row := []any{ir.Number, ir.Name.In(lang), s.groupName(lang, p, ir.Group), t("unit." + string(ir.Unit))}
			switch {
			case ir.Withheld:
				surveyed := any(hidden)
				if ir.WithheldSurveyed > 0 {
					surveyed = ir.WithheldSurveyed
				}
				row = append(row, surveyed, hidden, hidden, hidden, hidden, ir.Target, hidden)
			case ir.Surveyed == 0:
				row = append(row, ir.Surveyed, nil, nil, nil, nil, ir.Target, nil) // nobody surveyed: no target to meet
			default:
				row = append(row, ir.Surveyed, ir.Passed, pctCell(ir.PassedPct, ir.Surveyed), ir.Failed, pctCell(ir.FailedPct, ir.Surveyed),
					ir.Target, yesNo(t, ir.MeetsTarget))
			}
			if p.HasPrev {
				switch {
				case ir.HasPrev:
					row = append(row, round2(ir.PassedPct-ir.ChangePassedPct), round2(ir.ChangePassedPct), ir.ChangeFailed)
				case ir.ChangeWithheld:
					row = append(row, hidden, hidden, hidden)
				default:
					row = append(row, nil, nil, nil)
				}
			}
			x.Write(row...)
		}
	case "groups":
		x.NewSheet(sheetName(t("table.groups")), []string{t("col.group"), t("col.indicators"), t("col.assessed"), t("col.meettarget"), t("col.belowtarget")})
		for _, g := range p.Report.Groups {
			x.Write(g.Name.In(lang), g.Indicators, g.Assessed, g.MeetTarget, g.BelowTarget)
			if g.Withheld > 0 {
				x.Write("", t("sdc.group.withheld", "n", g.Withheld))
			}
		}
	case "children":
		head := []string{t("area.code"), t("area.name"), t("col.households"), t("col.people"), t("col.income"), t("col.assessed"), t("col.belowtarget")}
		if p.ChildHasMPI {
			head = append(head, t("col.h"), t("col.m0"))
		}
		x.NewSheet(sheetName(t("table.children")), head)
		for _, c := range p.Children {
			row := []any{c.Area.Code, view{Lang: lang}.withSrv(s).Name(c.Area)}
			if c.HasData {
				rep := c.Report
				var income any = unknownCell // unknown is not 0 baht
				switch {
				case rep.IncomeWithheld:
					income = hidden
				case p.IncomeKnown(rep):
					income = round2(rep.IncomePerPerson)
				}
				row = append(row, or(rep.HouseholdsWithheld, rep.Households), or(rep.PeopleWithheld, rep.People),
					income, or(rep.AreaWithheld, c.Assessed), or(rep.AreaWithheld, c.Below))
			} else {
				row = append(row, nil, nil, nil, nil, nil)
			}
			if p.ChildHasMPI {
				switch {
				case c.HasMPI:
					row = append(row, round2(c.H*100), or(!c.M0Shown, roundTo(c.M0, 4)))
				case c.HiddenMPI:
					row = append(row, hidden, hidden)
				default:
					row = append(row, unknownCell, unknownCell)
				}
			}
			x.Write(row...)
		}
	case "mpi":
		if !p.HasMPI {
			return apperr.New(apperr.NotFound, apperr.T("รอบนี้ไม่มีสถิติความยากจนหลายมิติ", "this round keeps no multidimensional poverty statistics"))
		}
		x.NewSheet(sheetName(t("table.mpi")), []string{t("col.measure"), t("col.value")})
		sh := p.MPIShown
		x.Write(t("mpi.k"), p.MPI.K.String())
		x.Write(t("mpi.n"), or(!sh.N, p.MPI.N))
		x.Write(t("mpi.q"), or(!sh.Q, p.MPI.Q))
		x.Write(t("mpi.h"), or(!sh.H, round2(p.MPI.H*100)))
		x.Write(t("mpi.a"), or(!sh.A, round2(p.MPI.A*100)))
		x.Write(t("mpi.m0"), or(!sh.M0, roundTo(p.MPI.M0, 4)))
		x.NewSheet(sheetName(t("table.dimensions")), []string{t("col.dimension"), t("col.weight"), t("col.contribution")})
		for i, d := range p.MPI.Dimensions {
			x.Write(s.dimensionName(lang, p, d.ID), d.Weight.String(), or(!sh.Dimension[i], round2(d.Contribution*100)))
		}
	}
	s.coverageSheet(x, lang, p)
	if err := x.Close(); err != nil {
		return err
	}
	name := "tambon-" + asciiName(a.Code) + "-" + asciiName(p.Round.ID) + "-" + table + ".xlsx"
	writeXLSX(w, name, buf.Bytes())
	return nil
}

func writeXLSX(w http.ResponseWriter, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "private, no-cache")
	w.Write(body)
}

// pctCell is a percentage rounded to 2 places, or a blank cell when nobody
// was surveyed (0% would be a false figure).
func pctCell(x float64, surveyed int64) any {
	if surveyed == 0 {
		return nil
	}
	return round2(x)
}

func roundTo(x float64, places int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', places, 64), 64)
	return v
}

func yesNo(t func(string, ...any) string, b bool) string {
	if b {
		return t("yes")
	}
	return t("no")
}

// sheetName keeps a sheet name within Excel's 31 characters.
func sheetName(s string) string {
	r := []rune(s)
	if len(r) > 31 {
		r = r[:31]
	}
	return string(r)
}

func (s *Server) groupName(lang string, p *profile, code string) string {
	if p.Eng != nil {
		for _, g := range p.Eng.Set().Groups {
			if g.Code == code {
				return g.Name.In(lang)
			}
		}
	}
	return code
}
