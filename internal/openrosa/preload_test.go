package openrosa_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

const prevRound = "bmn-2563"

// withPreviousRound stores round bmn-2563 before the fixture's round, with
// households in the enumerator's two villages and one outside the tambon,
// and returns those of the enumerator's first village.
func withPreviousRound(t *testing.T, f *fixture) []*survey.Household {
	t.Helper()
	ctx := context.Background()
	r := survey.Round{ID: prevRound, Kind: survey.KindBMN, SurveyYear: 2563, SetID: "bmn-2560-2564"}
	if err := f.store.CreateRound(ctx, r); err != nil {
		t.Fatal(err)
	}
	var mine []*survey.Household
	for _, v := range []string{village, "70051302", otherVillage(t)} {
		hs := surveyfile.Example(f.eng.Set(), v, 4, 7)
		for _, h := range hs {
			h.RoundID = prevRound
		}
		if _, err := f.store.WriteHouseholds(ctx, f.eng, prevRound, hs, "seed", nil); err != nil {
			t.Fatal(err)
		}
		if v == village {
			mine = hs
		}
	}
	return mine
}

// answerText is an answer as the form holds it: 1 or 0, a number, a code.
func answerText(v survey.Value) string {
	if b, ok := v.Bool(); ok {
		if b {
			return "1"
		}
		return "0"
	}
	if x, ok := v.Number(); ok {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	s, _ := v.Text()
	return s
}

func readCSV(t *testing.T, name, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s is not CSV (%v):\n%s", name, err, body)
	}
	return rows
}

// Last round's households and members go to the phone for the account's
// own area only, are never kept by a cache, and each download is audited as
// an export of personal data; an account that may not collect gets none.
func TestPreloadOfLastRoundIsScopedAndAudited(t *testing.T) {
	f := newFixture(t, 0)
	mine := withPreviousRound(t, f)
	get := func(name string) (*http.Response, [][]string) {
		resp, body := do(t, collectRequest("GET", f.keyURL()+"/forms/"+f.form.ID+"/media/"+name, nil))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", name, resp.StatusCode, body)
		}
		return resp, readCSV(t, name, body)
	}
	resp, hs := get(xform.PrevHouseholdsCSV)
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || !strings.Contains(cc, "private") {
		t.Errorf("Cache-Control of personal data: %q", cc)
	}
	if !slices.Equal(hs[0], f.form.PrevHouseholdColumns()) {
		t.Errorf("columns %v", hs[0])
	}
	if len(hs) != 1+8 { // four in each of the tambon's two villages
		t.Errorf("%d households, want 8: %v", len(hs)-1, hs)
	}
	for _, row := range hs[1:] {
		if !strings.HasPrefix(row[2], tambon) {
			t.Errorf("a household outside the account's area: %v", row)
		}
	}
	first := mine[0]
	var head string
	for _, row := range hs[1:] {
		if row[0] == first.Key() {
			head = row[1]
		}
	}
	if !strings.Contains(head, first.Members[0].FirstName) {
		t.Errorf("the household's label %q does not name its head %s", head, first.Members[0].FirstName)
	}
	// The household's answers, income, savings and debt of last round are
	// there for the form to fill in, each as the form's question holds it.
	col := func(header []string, name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("no column %s in %v", name, header)
		}
		return i
	}
	var firstRow []string
	for _, row := range hs[1:] {
		if row[0] == first.Key() {
			firstRow = row
		}
	}
	if got := firstRow[col(hs[0], "income_main")]; got != fmt.Sprint(first.Income.MainOccupation) {
		t.Errorf("income_main %q, want %d", got, first.Income.MainOccupation)
	}
	if got := firstRow[col(hs[0], "debt_out_of_system")]; got != fmt.Sprint(first.Debt.OutOfSystem) {
		t.Errorf("debt_out_of_system %q, want %d", got, first.Debt.OutOfSystem)
	}
	answered := 0
	for _, q := range f.eng.Set().Questions() {
		if q.Level != survey.LevelHousehold {
			continue
		}
		got := firstRow[col(hs[0], "q_"+q.Code)]
		if v, ok := first.Answers[q.Code]; ok {
			answered++
			if want := answerText(v); got != want {
				t.Errorf("answer %s: %q, want %q", q.Code, got, want)
			}
		} else if got != "" {
			t.Errorf("answer %s: %q, last round left it unanswered", q.Code, got)
		}
	}
	if answered == 0 {
		t.Errorf("the household of last round answered nothing: %v", first.Answers)
	}
	_, ms := get(xform.PrevMembersCSV)
	if !slices.Equal(ms[0], f.form.PrevMemberColumns()) {
		t.Errorf("columns %v", ms[0])
	}
	var roster [][]string
	for _, row := range ms[1:] {
		if row[0] == first.Key() {
			roster = append(roster, row)
		}
	}
	if len(roster) != len(first.Members) {
		t.Fatalf("%d members of %s, want %d", len(roster), first.Key(), len(first.Members))
	}
	for i, row := range roster {
		m := first.Members[i]
		if row[1] != strings.TrimSpace(string(rune('1'+i))) || row[3] != m.FirstName || row[5] != m.CitizenID || row[7] != m.BirthDate.Format("2006-01-02") || row[6] != string(m.Sex) {
			t.Errorf("member %d: %v, want %+v", i+1, row, m)
		}
		for _, q := range f.eng.Set().Questions() {
			if q.Level != survey.LevelPerson {
				continue
			}
			want := ""
			if v, ok := m.Answers[q.Code]; ok {
				want = answerText(v)
			}
			if got := row[col(ms[0], "q_"+q.Code)]; got != want {
				t.Errorf("member %d's answer %s: %q, want %q", i+1, q.Code, got, want)
			}
		}
	}
	log, err := f.store.AuditLog(context.Background(), store.AuditFilter{Action: "export.personal"})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].User != "somchai" || log[0].Object != "preload:"+roundID || !strings.Contains(log[0].Detail, xform.PrevMembersCSV) {
		t.Errorf("audit of the two downloads: %+v", log)
	}
	// The manifest names the files and their hashes without sending them:
	// not an export.
	do(t, collectRequest("GET", f.keyURL()+"/forms/"+f.form.ID+"/manifest", nil))
	if again, _ := f.store.AuditLog(context.Background(), store.AuditFilter{Action: "export.personal"}); len(again) != 2 {
		t.Errorf("the manifest was audited as a download: %d entries", len(again))
	}
	req := collectRequest("GET", f.ts.URL+"/openrosa/forms/"+f.form.ID+"/media/"+xform.PrevMembersCSV, nil)
	req.SetBasicAuth("viewer", password)
	if resp, body := do(t, req); resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, first.Members[0].CitizenID) {
		t.Errorf("a viewer's download: %d", resp.StatusCode)
	}
}

// A re-survey links to last round's household by the key the form
// carried: the household's first history entry in the new round is exactly
// what changed — one member's occupation, one member who died, one new
// member — and a key outside the sender's area is not linked.
func TestResurveyRecordsWhatChangedSinceLastRound(t *testing.T) {
	f := newFixture(t, 0)
	mine := withPreviousRound(t, f)
	var prev *survey.Household
	for _, h := range mine {
		if len(h.Members) >= 3 {
			prev = h
			break
		}
	}
	if prev == nil {
		t.Fatal("no household of three members or more")
	}
	h := *prev
	h.RoundID = roundID
	h.Members = nil
	var links []int
	for i, m := range prev.Members {
		if i == 1 {
			continue // died
		}
		m.No = len(h.Members) + 1
		if i == 0 {
			m.Occupation = "trade"
			if prev.Members[0].Occupation == "trade" {
				m.Occupation = "farming"
			}
		}
		h.Members = append(h.Members, m)
		links = append(links, i+1)
	}
	// A new member: a sibling of the head, answering as the head does.
	sib := prev.Members[0]
	sib.No, sib.FirstName, sib.CitizenID, sib.Relation = len(h.Members)+1, "น้องใหม่", citizenID("509876543210"), survey.RelSibling
	h.Members = append(h.Members, sib)
	links = append(links, 0)
	rs := &xform.Resurvey{PrevKey: prev.Key(), Visit: xform.VisitInterviewed, Links: links,
		Departed: []xform.Departed{{PrevNo: 2, Presence: xform.PresenceDied}}}
	resp, body := post(t, f.keyURL(), xform.EncodeResurvey(f.form, f.eng.Set(), &h, rs, "uuid:resurvey-1", ""), nil)
	if resp.StatusCode != 201 || !strings.Contains(body, "saved") || strings.Contains(body, "not yet") {
		t.Fatalf("re-survey: %d %s", resp.StatusCode, body)
	}
	hist, err := f.store.HouseholdHistory(context.Background(), roundID, h.Key())
	if err != nil || len(hist) != 1 {
		t.Fatalf("history: %+v %v (%s)", hist, err, body)
	}
	got := map[string]string{}
	for _, c := range hist[0].Changes {
		got[c.Field] = fmt.Sprint(c.Old) + " → " + fmt.Sprint(c.New)
	}
	head := prev.Members[0]
	want := map[string]string{
		"resurvey.from":         "<nil> → " + prevRound,
		"roster.died":           survey.FullName(prev.Members[1]) + " → <nil>",
		"roster.joined":         "<nil> → " + survey.FullName(sib),
		"members[0].occupation": head.Occupation + " → " + h.Members[0].Occupation,
	}
	if !maps.Equal(got, want) {
		t.Errorf("the history says\n%v\nwant exactly\n%v", got, want)
	}
	stored, err := f.store.HouseholdByKey(context.Background(), roundID, prev.Key())
	if err != nil || len(stored.Household.Members) != 3 || stored.Household.Members[1].FirstName != prev.Members[2].FirstName {
		t.Errorf("this round's roster: %+v %v", stored.Household, err)
	}

	// Last round's household of another tambon: not linked, kept for review.
	var theirs string
	f.store.EachHousehold(context.Background(), prevRound, otherVillage(t), func(r survey.Record) error { theirs = r.Key; return nil })
	h2 := *f.household(5)
	rs2 := &xform.Resurvey{PrevKey: theirs, Visit: xform.VisitInterviewed, Links: make([]int, len(h2.Members))}
	if _, body := post(t, f.keyURL(), xform.EncodeResurvey(f.form, f.eng.Set(), &h2, rs2, "uuid:resurvey-2", ""), nil); !strings.Contains(body, "not yet saved") {
		t.Errorf("a household of another area was linked: %s", body)
	}
}

// A visit to one of last round's households that finds no interview sends
// only the outcome: it is recorded as the assignments page records it, with
// the submission kept; one naming a household outside the sender's area
// waits for a reviewer and records nothing.
func TestVisitOutcomeFromThePhone(t *testing.T) {
	f := newFixture(t, 0)
	mine := withPreviousRound(t, f)
	ctx := context.Background()
	visit := func(instance, key, outcome string) string {
		h := &survey.Household{RoundID: roundID, VillageCode: village}
		rs := &xform.Resurvey{PrevKey: key, Visit: outcome}
		resp, body := post(t, f.keyURL(), xform.EncodeResurvey(f.form, f.eng.Set(), h, rs, instance, ""), nil)
		if resp.StatusCode != 201 {
			t.Fatalf("visit: %d %s", resp.StatusCode, body)
		}
		return body
	}
	if body := visit("uuid:visit-1", mine[0].Key(), xform.VisitRefused); !strings.Contains(body, "recorded") {
		t.Errorf("a refusal: %s", body)
	}
	var theirs string
	f.store.EachHousehold(ctx, prevRound, otherVillage(t), func(r survey.Record) error { theirs = r.Key; return nil })
	if body := visit("uuid:visit-2", theirs, xform.VisitNotFound); !strings.Contains(body, "not yet saved") {
		t.Errorf("a visit outside the sender's area: %s", body)
	}
	panel, err := f.store.AssignPanel(ctx, roundID, tambon[:4], false)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, h := range panel {
		if h.Outcome != "" {
			got[h.Key] = string(h.Outcome) + " by " + h.RecordedBy
		}
	}
	if want := map[string]string{mine[0].Key(): "refused by somchai"}; !maps.Equal(got, want) {
		t.Errorf("outcomes recorded: %v, want %v", got, want)
	}
	if n, _ := f.store.CountHouseholds(ctx, roundID, tambon); n != 6 {
		t.Errorf("a visit wrote a household: %d in the round, want the 6 seeded", n)
	}
}
