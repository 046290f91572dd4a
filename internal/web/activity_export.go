package web

import (
	"net/http"
	"strings"

	"tambon/internal/activity"
)

// activityExport is the calendar's month as Excel: every activity of the
// month in the area, in start order, as the page lists them.
func (s *Server) activityExport(w http.ResponseWriter, r *http.Request) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	_, a, first, err := s.calendarMonth(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	as, err := st.Activities(ctx, activity.Filter{Within: a.Code, From: first, To: first.AddDate(0, 1, 0)})
	if err != nil {
		return err
	}
	var ids []int64
	for _, x := range as {
		ids = append(ids, x.OrganiserID)
	}
	organisers := s.partnerNames(ctx, st, ids...)
	sh := xlsxSheet{name: t("export.sheet.activities"), head: []string{t("export.col.start"), t("export.col.end"), t("export.col.kind"),
		t("export.col.activity"), t("export.col.area"), t("export.col.venue"), t("export.col.organiser"), t("export.col.attendees")}}
	for _, x := range as {
		var organiser string
		if p, ok := organisers[x.OrganiserID]; ok {
			organiser = p.Name(lang)
		}
		sh.add(when(x.Start, lang), until(x.Start, x.End, lang), t("act.kind."+string(x.Kind)), x.Title(lang),
			s.areaTitle(x.AreaCode, lang), x.Venue, organiser, len(x.Attendees))
	}
	return s.sendSheets(w, r, exportName("activities", a.Code, first.Format("2006-01")), []xlsxSheet{sh}, nil)
}

// partnerExport is the partner list as Excel, with the page's filters. A
// list naming people (a kamnan, a village head, a volunteer) with their
// phones is personal data: its download is in the audit log.
func (s *Server) partnerExport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.partnerListOf(r)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	sh := xlsxSheet{name: t("partner.list"), head: []string{t("partner.name"), t("export.col.position"), t("export.col.org"),
		t("partner.f.kind"), t("partner.f.area_code"), t("partner.f.phone"), t("export.col.email")}}
	people := 0
	for _, p := range d.Rows {
		if p.Kind.IsPerson() {
			people++
		}
		sh.add(p.Name(lang), p.Position(lang), p.Org, p.Kind.Name().In(lang), p.Where, p.Phone, p.Email)
	}
	var pf *personalFile
	if people > 0 {
		pf = &personalFile{area: d.AreaCode, object: "partners:" + d.AreaCode, detail: map[string]any{"list": "partners",
			"filter": strings.TrimSpace(d.Kind + " " + d.Search), "people": people, "masked": false}}
	}
	return s.sendSheets(w, r, exportName("partners", d.AreaCode), []xlsxSheet{sh}, pf)
}
