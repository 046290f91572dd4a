package web

import (
	"net/http"

	"tambon/internal/programme"
)

// participantExport is a programme's participants as Excel: the columns of
// the programme page's table (name, place, the type's fields, steps done,
// score, sessions attended, level, status), masked as the page masks them
// (a household's name for those who may not see households). A list of
// people or households is personal data: its download is audited.
func (s *Server) participantExport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.programmeData(r)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	head := []string{t("prog.name"), t("prog.place")}
	for _, f := range d.T.Fields {
		head = append(head, f.Name.In(lang))
	}
	if len(d.T.Steps) > 0 {
		head = append(head, t("prog.steps.done"))
	}
	if len(d.P.Criteria) > 0 {
		head = append(head, t("prog.score"))
	}
	if d.T.Sessions.TH != "" {
		head = append(head, d.T.Sessions.In(lang))
	}
	head = append(head, t("prog.level"), t("plan.assist.status"), t("prog.action_plan"))
	sh := xlsxSheet{name: t("prog.participants"), head: head}
	for _, pt := range d.Participants {
		row := []any{pt.Name, pt.Place}
		for _, v := range pt.Values {
			row = append(row, v)
		}
		if len(d.T.Steps) > 0 {
			row = append(row, pt.StepsN)
		}
		if len(d.P.Criteria) > 0 {
			row = append(row, pt.Score)
		}
		if d.T.Sessions.TH != "" {
			row = append(row, pt.Attended)
		}
		var level, status string
		if pt.Level != "" {
			level = t("prog.level." + pt.Level)
		}
		if pt.Status != "" {
			status = t("prog.status." + pt.Status)
		}
		sh.add(append(row, level, status, pt.ActionPlan)...)
	}
	var pf *personalFile
	if d.T.Participant != programme.Area && len(d.Participants) > 0 {
		masked := d.T.Participant == programme.Household && !d.CanSeeHH
		pf = &personalFile{area: d.P.AreaCode, object: "participants:programme:" + idString(d.P.ID),
			detail: map[string]any{"list": "participants", "programme": d.P.ID, "masked": masked}}
	}
	return s.sendSheets(w, r, exportName("participants-programme", idString(d.P.ID)), []xlsxSheet{sh}, pf)
}
