package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/plan"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// A village forum (เวทีประชาคม) is an activity of kind forum: the team
// shows the village its figures (forum_present.go), the village ranks its
// problems and agrees what to do, and the ranking goes beside the survey's
// in the tambon's development plan (plan_view.go). docs/activities.md.

// forumRoutes registers a forum's results and the presentation of a
// village's figures. activityRoutes calls it once.
func (s *Server) forumRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /activities/{id}/forum", page(s.forumEdit))
	mux.Handle("POST /activities/{id}/forum", page(s.audited("activity.forum", s.forumSave)))
	mux.Handle("GET /areas/{code}/present", page(s.forumPresent))
}

// forumStore is what the forum pages need from storage. *store.Store
// implements it.
type forumStore interface {
	SaveForum(ctx context.Context, f activity.ForumRecord, by string) (activity.ForumRecord, error)
	Forum(ctx context.Context, activityID int64) (activity.ForumRecord, error)
	Forums(ctx context.Context, within, round string) ([]activity.ForumRecord, error)
}

func (s *Server) fstore() (forumStore, error) {
	st, ok := s.store.(forumStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับเวทีประชาคม", "this store does not hold village forums"))
	}
	return st, nil
}

// forumLabel says where and when a forum was held, as a plan names the
// source of a ranking: "ประชาคมหมู่ 4, 1 มี.ค. 2564".
func (s *Server) forumLabel(f activity.ForumRecord) apperr.Text {
	moo := f.AreaCode
	if a, ok := s.areas.Get(f.AreaCode); ok && a.Level == area.Village && len(a.Code) == 8 {
		n, _ := strconv.Atoi(a.Code[6:])
		moo = strconv.Itoa(n)
	}
	return apperr.Text{
		TH: s.msgs.text("th", "forum.label", "moo", moo, "date", day(f.Start, "th")),
		EN: s.msgs.text("en", "forum.label", "moo", moo, "date", day(f.Start, "en")),
	}
}

// villageRankings are the rankings of the latest forum of each village
// within area that was shown the round, for a plan made from that round.
func (s *Server) villageRankings(ctx context.Context, round, within string) ([]plan.VillageRanking, error) {
	st, err := s.fstore()
	if err != nil {
		return nil, nil // a store without forums: no rankings to show
	}
	fs, err := st.Forums(ctx, within, round)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []plan.VillageRanking
	for _, f := range fs { // newest first
		if seen[f.AreaCode] {
			continue
		}
		seen[f.AreaCode] = true
		vr := plan.VillageRanking{ActivityID: f.ActivityID, Village: f.AreaCode, Label: s.forumLabel(f)}
		if vr.SurveyRanks, err = s.villageSurveyRanks(ctx, round, f.AreaCode); err != nil {
			return nil, err
		}
		for _, p := range f.Problems {
			rp := plan.RankedProblem{Source: p.Source, Code: p.Code, Title: apperr.Text{TH: p.TitleTH, EN: p.TitleEN}, Rank: p.Rank, Votes: p.Votes}
			if p.Source == activity.ForumVillage {
				rp.Source, rp.Code, rp.Added = plan.SourceForum, plan.ForumCode(f.ActivityID, p.Code), true
			}
			vr.Problems = append(vr.Problems, rp)
		}
		out = append(out, vr)
	}
	return out, nil
}

// villageSurveyRanks ranks a village's problems by its own survey: every
// problem the survey sources propose for it, by the households behind
// them in the village.
func (s *Server) villageSurveyRanks(ctx context.Context, round, village string) (map[string]int, error) {
	var keys []string
	var hh []int
	for _, src := range s.problemSources() {
		if src.Name() == plan.SourceForum {
			continue
		}
		props, err := src.Propose(ctx, round, village)
		if err != nil {
			if apperr.Is(err, apperr.NotFound) {
				continue // a round this build cannot judge
			}
			return nil, err
		}
		for _, p := range props {
			keys, hh = append(keys, p.Source+":"+p.Code), append(hh, p.Households)
		}
	}
	return plan.SurveyRanks(keys, hh), nil
}

// forumSource proposes the problems villages added at their forums.
func (s *Server) forumSource() plan.ProblemSource {
	return plan.ForumSource{Rankings: s.villageRankings}
}

// forumFormData is the form that records a forum's results.
type forumFormData struct {
	A          activity.Activity
	Where      string
	Rounds     []survey.Round
	Round      string
	Minutes    string
	Cells      []forumCell
	Candidates []forumRow // the survey's problems for the village and round
	Added      []forumRow // problems the village adds itself
	Actions    []forumActionRow
	Keys       []forumKey // the problems an agreed activity may answer
	Partners   []partnerOption
	Attendees  []activity.Attendee
	formErrors
}

type forumCell struct {
	Sex, Band, N string
}

type forumRow struct {
	N                         int
	Key, Source, Code, Detail string
	Title                     apperr.Text
	Votes, Rank, Note         string
}

type forumActionRow struct {
	N                                    int
	Problem, Action, OwnerID, Owner, Due string
}

type forumKey struct {
	Key   string
	Label string
}

const (
	spareAdded   = 2
	spareActions = 2
)

// forumOf loads the forum activity {id}, checked for action.
func (s *Server) forumOf(r *http.Request, action user.Action) (activity.Activity, forumStore, *user.User, error) {
	a, _, u, err := s.activityOf(r, action)
	if err != nil {
		return a, nil, nil, err
	}
	if a.Kind != activity.Forum {
		return a, nil, nil, apperr.New(apperr.NotFound, apperr.T("กิจกรรมนี้ไม่ใช่เวทีประชาคม", "this activity is not a village forum"))
	}
	st, err := s.fstore()
	return a, st, u, err
}

func (s *Server) forumEdit(w http.ResponseWriter, r *http.Request) error {
	a, st, u, err := s.forumOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	f, err := st.Forum(r.Context(), a.ID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if f.RoundID == "" {
		f.RoundID = r.URL.Query().Get("round")
	}
	d := forumFormData{Round: f.RoundID, Minutes: f.Minutes}
	for _, sex := range activity.Sexes {
		for _, band := range activity.AgeBands {
			c := forumCell{Sex: sex, Band: band}
			if n := f.Count(sex, band); n != 0 {
				c.N = strconv.Itoa(n)
			}
			d.Cells = append(d.Cells, c)
		}
	}
	for _, p := range f.Problems {
		row := forumRow{Key: p.Key(), Source: p.Source, Code: p.Code, Title: apperr.Text{TH: p.TitleTH, EN: p.TitleEN},
			Votes: strconv.Itoa(p.Votes), Rank: strconv.Itoa(p.Rank), Note: p.Note}
		if p.Source == activity.ForumVillage {
			d.Added = append(d.Added, row)
		} else {
			d.Candidates = append(d.Candidates, row)
		}
	}
	for _, x := range f.Actions {
		row := forumActionRow{Problem: x.Problem, Action: x.Action, Owner: x.Owner}
		if x.OwnerID != 0 {
			row.OwnerID = strconv.FormatInt(x.OwnerID, 10)
		}
		if !x.Due.IsZero() {
			row.Due = x.Due.Format(isoDate)
		}
		d.Actions = append(d.Actions, row)
	}
	return s.forumForm(w, r, http.StatusOK, u, a, d)
}

// forumForm fills what the form offers around the values d holds: the
// rounds, the survey's problems for the village and round (kept ranked
// ones first), spare rows, the partners who may be named.
func (s *Server) forumForm(w http.ResponseWriter, r *http.Request, status int, u *user.User, a activity.Activity, d forumFormData) error {
	ctx := r.Context()
	lang := langFrom(ctx)
	d.A, d.Where, d.Attendees = a, s.areaTitle(a.AreaCode, lang), a.Attendees
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return err
	}
	for _, rd := range rounds {
		if !rd.AggregateOnly {
			d.Rounds = append(d.Rounds, rd)
		}
	}
	if d.Round == "" && len(d.Rounds) > 0 {
		d.Round = d.Rounds[0].ID // the newest
	}
	have := map[string]bool{}
	for _, c := range d.Candidates {
		have[c.Key] = true
	}
	if d.Round != "" {
		for _, src := range s.problemSources() {
			if src.Name() == plan.SourceForum {
				continue
			}
			props, err := src.Propose(ctx, d.Round, a.AreaCode)
			if err != nil {
				if apperr.Is(err, apperr.NotFound) {
					break // a round this build cannot judge: no proposals
				}
				return err
			}
			for _, p := range props {
				key := p.Source + ":" + p.Code
				for i := range d.Candidates {
					if d.Candidates[i].Key == key {
						d.Candidates[i].Detail = p.Detail
					}
				}
				if !have[key] {
					have[key] = true
					d.Candidates = append(d.Candidates, forumRow{Key: key, Source: p.Source, Code: p.Code, Title: p.Title, Detail: p.Detail})
				}
			}
		}
	}
	next := 0
	for _, x := range d.Added {
		var n int
		if _, err := fmt.Sscanf(x.Code, "v%d", &n); err == nil && n > next {
			next = n
		}
	}
	for range spareAdded {
		next++
		d.Added = append(d.Added, forumRow{Source: activity.ForumVillage, Code: fmt.Sprintf("v%d", next)})
	}
	for i := range d.Candidates {
		d.Candidates[i].N = i + 1
	}
	for i := range d.Added {
		d.Added[i].N = i + 1
		d.Added[i].Key = activity.ForumVillage + ":" + d.Added[i].Code
	}
	for range spareActions {
		d.Actions = append(d.Actions, forumActionRow{})
	}
	for i := range d.Actions {
		d.Actions[i].N = i + 1
	}
	for _, c := range d.Candidates {
		d.Keys = append(d.Keys, forumKey{Key: c.Key, Label: c.Title.In(lang)})
	}
	for _, c := range d.Added {
		label := c.Title.In(lang)
		if label == "" {
			label = s.msgs.text(lang, "forum.added.row", "n", c.N)
		}
		d.Keys = append(d.Keys, forumKey{Key: c.Key, Label: label})
	}
	if d.Partners, err = s.partnerOptions(r, a.AreaCode[:min(6, len(a.AreaCode))]); err != nil {
		return err
	}
	return s.render(w, r, status, "forum_form", s.msgs.text(lang, "forum.record"), d)
}

// forumSave records the forum's results from the form.
func (s *Server) forumSave(w http.ResponseWriter, r *http.Request) error {
	a, st, u, err := s.forumOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	if before, err := st.Forum(r.Context(), a.ID); err == nil {
		noteRecord(r.Context(), a.AreaCode, before)
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "cannot read the form"))
	}
	f := r.PostForm
	lang := langFrom(r.Context())
	d := forumFormData{Round: strings.TrimSpace(f.Get("round")), Minutes: f.Get("minutes")}
	rec := activity.ForumRecord{ActivityID: a.ID, RoundID: d.Round, Minutes: d.Minutes}
	var ps apperr.Problems
	bad := func(id, value string, reason apperr.Text) {
		p := apperr.Problem{Field: id, Value: value, Reason: reason}
		// p-3-votes is row 3's votes: located so the summary names it.
		if parts := strings.SplitN(id, "-", 3); len(parts) == 3 && len(parts[0]) == 1 {
			if n, err := strconv.Atoi(parts[1]); err == nil {
				p.Field, p.Row, p.Column = parts[0], n, parts[2]
			}
		}
		ps = append(ps, p)
	}
	count := func(id, v string) int {
		v = strings.TrimSpace(strings.ReplaceAll(thai.FromThaiDigits(v), ",", ""))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad(id, v, apperr.T("ต้องเป็นจำนวนเต็ม 0 ขึ้นไป", "must be a whole number from 0"))
			return 0
		}
		return n
	}
	for _, sex := range activity.Sexes {
		for _, band := range activity.AgeBands {
			id := "hc-" + sex + "-" + band
			v := f.Get(id)
			d.Cells = append(d.Cells, forumCell{Sex: sex, Band: band, N: v})
			rec.Headcount = append(rec.Headcount, activity.Headcount{Sex: sex, Band: band, N: count(id, v)})
		}
	}
	// The survey's problems: taken when given votes or a rank. Their titles
	// are the proposals' (read again here), never the form's.
	titles := map[string]apperr.Text{}
	if d.Round != "" {
		for _, src := range s.problemSources() {
			if src.Name() == plan.SourceForum {
				continue
			}
			props, err := src.Propose(r.Context(), d.Round, a.AreaCode)
			if err != nil {
				if apperr.Is(err, apperr.NotFound) {
					break
				}
				return err
			}
			for _, p := range props {
				titles[p.Source+":"+p.Code] = p.Title
			}
		}
	}
	if old, err := st.Forum(r.Context(), a.ID); err == nil {
		for _, p := range old.Problems {
			if _, ok := titles[p.Key()]; !ok && p.Source != activity.ForumVillage {
				titles[p.Key()] = apperr.Text{TH: p.TitleTH, EN: p.TitleEN}
			}
		}
	}
	for _, n := range rowNumbers(f, "p") {
		get := func(col string) string { return strings.TrimSpace(f.Get(fmt.Sprintf("p-%d-%s", n, col))) }
		key := get("key")
		row := forumRow{Key: key, Votes: get("votes"), Rank: get("rank"), Note: get("note")}
		row.Source, row.Code, _ = strings.Cut(key, ":")
		title, known := titles[key]
		row.Title = title
		d.Candidates = append(d.Candidates, row)
		if row.Votes == "" && row.Rank == "" {
			continue
		}
		if !known {
			bad(fmt.Sprintf("p-%d-votes", n), key, apperr.T("ปัญหานี้ไม่ได้อยู่ในข้อมูลสำรวจของหมู่บ้านในรอบนี้", "this problem is not among the village's survey problems in this round"))
			continue
		}
		rec.Problems = append(rec.Problems, activity.ForumProblem{Source: row.Source, Code: row.Code, TitleTH: title.TH, TitleEN: title.EN,
			Votes: count(fmt.Sprintf("p-%d-votes", n), row.Votes), Rank: count(fmt.Sprintf("p-%d-rank", n), row.Rank), Note: row.Note})
	}
	for _, n := range rowNumbers(f, "v") {
		get := func(col string) string { return strings.TrimSpace(f.Get(fmt.Sprintf("v-%d-%s", n, col))) }
		row := forumRow{Source: activity.ForumVillage, Code: get("code"), Title: apperr.Text{TH: get("title")}, Votes: get("votes"), Rank: get("rank"), Note: get("note")}
		if row.Code == "" || strings.Trim(row.Code[1:], "0123456789") != "" || row.Code[0] != 'v' {
			row.Code = ""
		}
		if row.Title.TH == "" && row.Votes == "" && row.Rank == "" {
			continue // an empty row: the form offers spare ones again
		}
		d.Added = append(d.Added, row)
		if row.Title.TH == "" {
			bad(fmt.Sprintf("v-%d-title", len(d.Added)), "", apperr.T("ปัญหาที่หมู่บ้านเสนอต้องมีชื่อ", "the village's problem needs a title"))
			continue
		}
		k := len(d.Added)
		rec.Problems = append(rec.Problems, activity.ForumProblem{Source: activity.ForumVillage, Code: row.Code, TitleTH: row.Title.TH,
			Votes: count(fmt.Sprintf("v-%d-votes", k), row.Votes), Rank: count(fmt.Sprintf("v-%d-rank", k), row.Rank), Note: row.Note})
	}
	var owners []int64
	for _, n := range rowNumbers(f, "a") {
		get := func(col string) string { return strings.TrimSpace(f.Get(fmt.Sprintf("a-%d-%s", n, col))) }
		row := forumActionRow{Problem: get("problem"), Action: get("action"), OwnerID: get("owner_id"), Owner: get("owner"), Due: get("due")}
		if row.Action == "" && row.Owner == "" && row.OwnerID == "" && row.Due == "" {
			continue
		}
		d.Actions = append(d.Actions, row)
		k := len(d.Actions)
		x := activity.ForumAction{Problem: row.Problem, Action: row.Action, Owner: row.Owner}
		if row.OwnerID != "" {
			id, err := strconv.ParseInt(row.OwnerID, 10, 64)
			if err != nil {
				bad(fmt.Sprintf("a-%d-owner_id", k), row.OwnerID, apperr.T("ไม่ใช่หมายเลขภาคี", "not a partner number"))
			}
			x.OwnerID = id
			owners = append(owners, id)
		}
		if row.Due != "" {
			t, err := thai.ParseDate(row.Due)
			if err != nil {
				bad(fmt.Sprintf("a-%d-due", k), row.Due, apperr.MessageOf(err))
			}
			x.Due = t
		}
		rec.Actions = append(rec.Actions, x)
	}
	// Partner numbers name partners of the account's area only.
	foreign, err := s.foreignPartners(r.Context(), u, "actions", owners...)
	if err != nil {
		return err
	}
	ps = append(ps, foreign...)
	if len(ps) == 0 {
		if _, err = st.SaveForum(r.Context(), rec, u.Username); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/activities/%d?saved=forum#forum", a.ID), http.StatusSeeOther)
			return nil
		}
		if !apperr.Is(err, apperr.Invalid) {
			return err
		}
		d.formErrors = s.formErrorsOf(err, lang, "forum.f.", nil)
	} else {
		d.formErrors = s.formErrorsOf(ps, lang, "forum.f.", nil)
	}
	// Show the rows again as they were typed: spare village rows keep their codes.
	return s.forumForm(w, r, http.StatusUnprocessableEntity, u, a, d)
}

// forumView is the forum section of an activity's page.
type forumView struct {
	Rec       activity.ForumRecord
	Round     string
	Label     string
	Cells     []forumCell
	Titles    map[string]string // problem key → title, for the actions
	Owners    map[int64]string
	CanRecord bool
}

// forumSection reads what the activity's page shows of a forum; nil when
// the activity is not one.
func (s *Server) forumSection(ctx context.Context, a activity.Activity, u *user.User, lang string) (*forumView, error) {
	if a.Kind != activity.Forum {
		return nil, nil
	}
	st, err := s.fstore()
	if err != nil {
		return nil, err
	}
	v := &forumView{CanRecord: u.CanAt(user.EditPlans, a.AreaCode), Titles: map[string]string{}, Owners: map[int64]string{}}
	f, err := st.Forum(ctx, a.ID)
	if apperr.Is(err, apperr.NotFound) {
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	f.Start, f.AreaCode = a.Start, a.AreaCode
	v.Rec, v.Round, v.Label = f, s.roundCalled(ctx, lang, f.RoundID), s.forumLabel(f).In(lang)
	for _, sex := range activity.Sexes {
		for _, band := range activity.AgeBands {
			v.Cells = append(v.Cells, forumCell{Sex: sex, Band: band, N: thai.FormatInt(int64(f.Count(sex, band)))})
		}
	}
	for _, p := range f.Problems {
		v.Titles[p.Key()] = p.Title(lang)
	}
	if as, err := s.actStore(); err == nil {
		var ids []int64
		for _, x := range f.Actions {
			ids = append(ids, x.OwnerID)
		}
		for id, p := range s.partnerNames(ctx, as, ids...) {
			v.Owners[id] = p.Name(lang)
		}
	}
	return v, nil
}

// Day writes a date as the page's language does: "1 มี.ค. 2564".
func (v view) Day(t time.Time) string { return day(t, v.Lang) }
