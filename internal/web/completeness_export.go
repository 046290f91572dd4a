package web

import (
	"net/http"

	"tambon/internal/survey"
)

// completenessExport is the completeness dashboard as an Excel file: the
// rows of its table (villages, or the child areas with their villages
// without data and their review status) and the accounts' work, under the
// page's scope check. The accounts sheet names the officials who entered
// data, as the page does, so a file with it is written to the audit log.
func (s *Server) completenessExport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.completeness(r)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	t := func(key string) string { return s.msgs.text(lang, key) }
	prev := d.Check.PrevRecords

	rows := xlsxSheet{name: d.Level, head: []string{d.Level}}
	if d.ByArea {
		rows.head = append(rows.head, t("landing.dash.villages"), t("landing.dash.villages.none"))
	}
	rows.head = append(rows.head, t("daily.check.expected"), t("daily.check.surveyed"), t("daily.check.drafts"), t("daily.check.waiting"))
	if prev {
		rows.head = append(rows.head, t("daily.check.missing"))
	}
	status := false
	for _, row := range d.Rows {
		status = status || row.HasStatus
	}
	if status {
		rows.head = append(rows.head, t("landing.dash.xlsx.status"))
	}
	for _, row := range d.Rows {
		line := []any{areaTitle(lang, row.Area)}
		if d.ByArea {
			line = append(line, row.Villages, row.NoneYet)
		}
		var expected any = t("daily.check.unknown")
		if row.ExpectedKnown || row.Expected > 0 {
			expected = row.Expected
		}
		line = append(line, expected, row.Surveyed, row.Drafts, row.Waiting)
		if prev {
			line = append(line, row.NotResurveyed)
		}
		if status {
			line = append(line, s.reviewStatusText(lang, row.Status))
		}
		rows.add(line...)
	}

	people := xlsxSheet{name: t("daily.check.enumerators"), head: []string{t("daily.check.user"), t("landing.dash.villages"),
		t("daily.check.households"), t("daily.check.drafts"), t("daily.check.waiting")}}
	if prev {
		people.head = append(people.head, t("landing.dash.missing.own"))
	}
	for _, e := range d.Check.Enumerators {
		line := []any{e.User, e.Villages, e.Households, e.Drafts, e.Waiting}
		if prev {
			line = append(line, e.NotResurveyed)
		}
		people.add(line...)
	}

	var pf *personalFile
	if len(people.rows) > 0 {
		pf = &personalFile{area: d.Area.Code, object: "completeness:" + d.Round.ID, detail: map[string]any{"list": "completeness",
			"round": d.Round.ID, "accounts": len(people.rows), "masked": false}}
	}
	return s.sendSheets(w, r, exportName("completeness", d.Round.ID, d.Area.Code), []xlsxSheet{rows, people}, pf)
}

// reviewStatusText names a tambon's review status in the page's language.
func (s *Server) reviewStatusText(lang string, st survey.Status) string {
	if st == "" {
		return ""
	}
	return s.msgs.text(lang, "rev.status."+string(st))
}
