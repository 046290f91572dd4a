package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/rounds"
	"tambon/internal/store"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// auditPageSize keeps a page of the audit log short enough for a phone.
const auditPageSize = 50

// auditActions are the actions the audit log records, each with a label
// "audit.action.<action>" in Thai and English. The test of this page reads
// the sources' audited("…") names and checks each is here.
var auditActions = []string{
	"user.create", "user.disable", "user.enable", "user.password", "session.revoke",
	"device.create", "device.revoke", "token.issue", "token.revoke",
	"household.view", "household.write", "household.import", "household.assistance", "personal.reveal", "export.personal",
	"submission.view", "submission.fix", "submission.reject",
	"round.review", "round.override", "round.submit", "round.verify", "round.return", "round.certify", "round.reopen",
	rounds.AuditHousehold, rounds.AuditVillage, store.AuditSetImport, store.AuditSetThreshold,
	"village.write", "village.import",
	"pdpa.erase_household", "pdpa.erase_member", "pdpa.retention", "pdpa.retention_rule",
	"welfare.import", "welfare.delete", "welfare.raw_ids",
	"activity.create", "activity.update", "activity.photo", "activity.forum", "followup.status", "partner.create", "partner.update",
	"plan.create", "plan.rank", "plan.item.create", "plan.item.update", "plan.item.targets", "plan.item.assistance",
	"plan.item.evidence", "plan.item.evidence.delete",
	"programme.create", "programme.participant", "programme.participant.edit", "programme.step", "programme.score",
	"programme.session", "programme.rubric", "programme.file", "programme.file.delete", "programme.photo",
	"programme.self_assessment", "programme.stage",
	"assign.change", "assign.outcome", "assign.add", "assign.remove",
	"household.photo", "household.photo.delete",
	"dhis2.import", "export.exact",
}

// auditLogData is the audit log page: a search by person, action and dates,
// one page of what it finds.
type auditLogData struct {
	F        auditLogFilter
	Users    []listOption // the people the viewer may search for
	Actions  []listOption // every action, by its label
	Entries  []auditLogRow
	Total    int
	Filtered bool
	Pager    pager
}

// auditLogFilter is the page's query string. Area and Object are older
// searches (links from other pages), kept and honoured without fields.
type auditLogFilter struct {
	User, Action, From, To, Area, Object string
	Page                                 int
}

func (f auditLogFilter) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"user": f.User, "action": f.Action, "from": f.From, "to": f.To, "area": f.Area, "object": f.Object} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

type auditLogRow struct {
	When, User, Name, Action, ActionLabel, Area, Detail string
	Object                                              auditObject
}

// actionLabel names an audit action in the page's language; an action the
// list does not know is shown as it is stored.
func (s *Server) actionLabel(lang, action string) string {
	k := "audit.action." + action
	if t, ok := s.msgs[lang][k]; ok {
		return t
	}
	if t, ok := s.msgs["th"][k]; ok {
		return t
	}
	return action
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	u, err := may(r, user.ViewAudit)
	if err != nil {
		return err
	}
	// Who, what, where, kept inside the viewer's area as the API keeps it;
	// the page has pages, so an old ?limit= is left unread.
	pr := r.Clone(r.Context())
	pv := pr.URL.Query()
	pv.Del("limit")
	pr.URL.RawQuery = pv.Encode()
	q, err := parseAuditQuery(pr, u)
	if err != nil {
		return err
	}
	as, err := s.astore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	v := r.URL.Query()
	d := &auditLogData{F: auditLogFilter{User: q.User, Action: q.Action, Object: q.Object, Area: strings.TrimSpace(v.Get("area")),
		From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to"))}}
	d.F.Page, _ = strconv.Atoi(v.Get("page"))
	sq := store.AuditQuery{User: q.User, Action: q.Action, Object: q.Object, AreaPrefix: q.Area, Limit: auditPageSize}
	day := func(name, text string) (time.Time, error) {
		t, err := thai.ParseDate(text)
		if err != nil {
			m := apperr.MessageOf(err)
			return t, apperr.New(apperr.Invalid, apperr.Text{TH: name + " " + m.TH, EN: name + " " + m.EN})
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, thai.Bangkok()), nil
	}
	if d.F.From != "" {
		if sq.From, err = day(s.msgs.text("th", "audit.from"), d.F.From); err != nil {
			return err
		}
		d.F.From = sq.From.Format(time.DateOnly)
	}
	if d.F.To != "" {
		to, err := day(s.msgs.text("th", "audit.to"), d.F.To)
		if err != nil {
			return err
		}
		sq.To, d.F.To = to.AddDate(0, 0, 1), to.Format(time.DateOnly) // the whole last day
	}
	d.Filtered = d.F.User != "" || d.F.Action != "" || d.F.From != "" || d.F.To != "" || d.F.Object != "" || d.F.Area != ""

	// The choices: the people inside the viewer's area, every action.
	all, err := as.Users(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, a := range all {
		names[a.Username] = a.DisplayName
		if u.Covers(a.AreaCode) {
			d.Users = append(d.Users, listOption{Value: a.Username, Label: a.DisplayName + " (" + a.Username + ")"})
		}
	}
	if d.F.User != "" && !slices.ContainsFunc(d.Users, func(o listOption) bool { return o.Value == d.F.User }) {
		d.Users = append(d.Users, listOption{Value: d.F.User, Label: d.F.User})
	}
	for _, a := range auditActions {
		d.Actions = append(d.Actions, listOption{Value: a, Label: s.actionLabel(lang, a)})
	}
	if d.F.Action != "" && !slices.Contains(auditActions, d.F.Action) {
		d.Actions = append(d.Actions, listOption{Value: d.F.Action, Label: d.F.Action})
	}
	byLabel := func(a, b listOption) int { return cmp.Compare(a.Label, b.Label) }
	slices.SortFunc(d.Users, byLabel)
	slices.SortFunc(d.Actions, byLabel)

	// One page of what the search finds.
	sq.Offset = (max(d.F.Page, 1) - 1) * auditPageSize
	entries, total, err := as.SearchAudit(ctx, sq)
	if err != nil {
		return err
	}
	d.Total = total
	d.Pager = makePager(total, auditPageSize, d.F.Page, func(p int) string {
		v := d.F.values()
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		if len(v) == 0 {
			return "/admin/audit"
		}
		return "/admin/audit?" + v.Encode()
	})
	objects := s.newObjectNamer(ctx, u, names)
	for _, e := range entries {
		row := auditLogRow{When: formatStamp(lang, e.At), User: e.User, Name: names[e.User], Action: e.Action, ActionLabel: s.actionLabel(lang, e.Action),
			Object: objects.name(e.Object, e.Detail), Detail: readableDetail(e.Detail)}
		if e.Area != "" {
			row.Area = s.areaLabel(e.Area, lang)
		}
		d.Entries = append(d.Entries, row)
	}
	return s.render(w, r, http.StatusOK, "audit", s.msgs.text(lang, "audit.title"), d)
}

// readableDetail writes an entry's detail, stored as JSON, as "name: value"
// pairs a person reads ("rows: 34 · masked: true"); a detail that is not a
// JSON object is shown as stored.
func readableDetail(detail string) string {
	var m map[string]any
	if json.Unmarshal([]byte(detail), &m) != nil || len(m) == 0 {
		return detail
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		var v string
		switch x := m[k].(type) {
		case string:
			v = x
		case float64:
			v = strconv.FormatFloat(x, 'f', -1, 64)
		case nil:
			v = "—"
		case bool, json.Number:
			v = fmt.Sprint(x)
		default:
			b, _ := json.Marshal(x)
			v = string(b)
		}
		parts = append(parts, k+": "+v)
	}
	return strings.Join(parts, " · ")
}
