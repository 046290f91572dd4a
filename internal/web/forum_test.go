package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/partner"
	"tambon/internal/plan"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
)

// A village forum from its record to the plan: the tambon team records หมู่
// 4's ranking (a survey problem and one the village adds), who came and
// what was agreed; another area's partner as the one who does it is
// refused with nothing written; the tambon's plan of the same round then
// shows the village's rank beside the survey's with its source and the
// disagreement, proposes the village's own problem, and its Excel annex
// carries the ranks. Who may do what follows the activity's area. Both
// stores.
func TestForumFromRecordToPlan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		app := mustHouseholdAppOn(t, mustFixtureOn(t, s))
		ctx := context.Background()
		forum, err := s.CreateActivity(ctx, activity.Activity{Kind: activity.Forum, TitleTH: "เวทีประชาคมหมู่ 4",
			Start: time.Date(2021, 3, 1, 18, 0, 0, 0, activity.Bangkok()), AreaCode: "70051304", Venue: "ศาลาประชาคม"}, "tambon")
		if err != nil {
			t.Fatal(err)
		}
		far, err := s.CreatePartner(ctx, partner.Partner{Kind: partner.LocalGov, NameTH: "องค์การบริหารส่วนตำบลข้างเคียง", AreaCode: "700514"}, "test")
		if err != nil {
			t.Fatal(err)
		}
		head, err := s.CreatePartner(ctx, partner.Partner{Kind: partner.VillageHead, NameTH: "นายสมบัติ ใจเย็น", AreaCode: "70051304"}, "test")
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/activities/%d/forum", forum.ID)
		tambon := app.as(t, "tambon")
		status, body, _ := tambon.get(path + "?round=" + round2562)
		if status != http.StatusOK {
			t.Fatalf("forum form: %d", status)
		}
		// The form offers the village's failing indicators of the round.
		keys := regexp.MustCompile(`name="p-(\d+)-key" value="([^"]+)"`).FindAllStringSubmatch(body, -1)
		if len(keys) < 4 {
			t.Fatalf("the form offers %d survey problems: %.500s", len(keys), body)
		}
		// The village ranks the survey's fourth problem first (3 places
		// from its survey's rank: a disagreement), its own road second, the
		// survey's first third.
		form := url.Values{"round": {round2562}, "minutes": {"ที่ประชุมลงคะแนน"},
			"hc-female-18to59": {"31"}, "hc-male-60plus": {"๙"},
			"p-1-key": {keys[0][2]}, "p-1-votes": {"12"},
			"p-2-key": {keys[1][2]},
			"p-3-key": {keys[2][2]},
			"p-4-key": {keys[3][2]}, "p-4-votes": {"40"}, "p-4-rank": {"1"},
			"v-1-code": {"v1"}, "v-1-title": {"ถนนเข้าหมู่บ้านชำรุด"}, "v-1-votes": {"25"},
			"a-1-action": {"เสนอ อบต. ซ่อมถนน"}, "a-1-problem": {"village:v1"}, "a-1-owner_id": {fmt.Sprint(head.ID)}, "a-1-due": {"30/4/2564"},
		}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("a-1-owner_id", fmt.Sprint(far.ID))
		status, body, _ = tambon.post(path, bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "ไม่มีภาคีหมายเลข") || strings.Contains(body, far.NameTH) {
			t.Errorf("another tambon's partner as the one who does it: %d %.300s", status, body)
		}
		if _, err := s.Forum(ctx, forum.ID); err == nil {
			t.Error("a refused form wrote the forum")
		}
		// Out of scope: another tambon's team, a partner account (may view,
		// not record).
		if status, _, _ := app.as(t, "partner").post(path, form); status != http.StatusForbidden {
			t.Errorf("a partner account records a forum: %d", status)
		}
		status, body, h := tambon.post(path, form)
		if status != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "#forum") {
			t.Fatalf("record: %d %s %.500s", status, h.Get("Location"), body)
		}
		rec, err := s.Forum(ctx, forum.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{keys[3][2], "village:v1", keys[0][2]}
		if len(rec.Problems) != 3 || rec.Problems[0].Key() != want[0] || rec.Problems[1].Key() != want[1] || rec.Problems[2].Key() != want[2] {
			t.Errorf("ranking %+v, want %v", rec.Problems, want)
		}
		if rec.Attended() != 40 || rec.RoundID != round2562 || len(rec.Actions) != 1 || rec.Actions[0].OwnerID != head.ID {
			t.Errorf("record %+v", rec)
		}
		status, body, _ = tambon.get(fmt.Sprintf("/activities/%d", forum.ID))
		if status != http.StatusOK || !strings.Contains(body, "ประชาคมหมู่ 4, 1 มี.ค. 2564") || !strings.Contains(body, "ถนนเข้าหมู่บ้านชำรุด") || !strings.Contains(body, "นายสมบัติ ใจเย็น") {
			t.Errorf("activity page: %d %.300s", status, body)
		}

		// The tambon's plan of the round: the survey's problems the village ranked.
		var problems []plan.Problem
		for i, hh := range []int{40, 30, 20, 10} {
			src, code, _ := strings.Cut(keys[i][2], ":")
			problems = append(problems, plan.Problem{Source: src, Code: code, Title: apperr.Text{TH: "ปัญหา " + keys[i][2]}, Households: hh, Priority: 1})
		}
		p, err := s.CreatePlan(ctx, plan.Plan{AreaCode: "700513", FiscalYear: 2565, RoundID: round2562, Title: "แผนตำบล 2565"}, problems)
		if err != nil {
			t.Fatal(err)
		}
		status, body, _ = tambon.get(fmt.Sprintf("/plans/%d", p.ID))
		if status != http.StatusOK {
			t.Fatalf("plan: %d", status)
		}
		for _, s := range []string{"อันดับจากประชาคม", "อันดับ 1 · ประชาคมหมู่ 4, 1 มี.ค. 2564 (ข้อมูลสำรวจของหมู่บ้าน: อันดับ 4)", "ไม่ตรงกับข้อมูลสำรวจ", "ถนนเข้าหมู่บ้านชำรุด", "หมู่บ้านเสนอเอง ไม่มีในข้อมูลสำรวจ", `id="forum-disagree"`} {
			if !strings.Contains(body, s) {
				t.Errorf("the plan page lacks %q", s)
			}
		}
		status, body, _ = tambon.get("/areas/700513/plans?round=" + round2562)
		if status != http.StatusOK || !strings.Contains(body, `value="forum:`+fmt.Sprint(forum.ID)+`-v1"`) {
			t.Errorf("the plans list does not propose the village's own problem: %d", status)
		}
		wb := mustXLSX(t, tambon, fmt.Sprintf("/plans/%d/annex.xlsx", p.ID))
		rows := wb.sheet(1)
		if len(rows) < 4 || len(rows[3]) < 6 || !strings.Contains(strings.Join(rows[2], "|"), "อันดับจากประชาคม") {
			t.Fatalf("annex problems sheet: %q", rows)
		}
		found := false
		for _, r := range rows[3:] {
			found = found || len(r) >= 6 && strings.Contains(r[5], "ประชาคมหมู่ 4, 1 มี.ค. 2564")
		}
		if !found {
			t.Errorf("the annex does not carry the village's ranks: %q", rows)
		}
		_, en, _ := tambon.get(fmt.Sprintf("/plans/%d?lang=en", p.ID))
		if !strings.Contains(en, "rank 1 · Village forum Moo 4, 1 Mar 2021") || !strings.Contains(en, "differs from the survey") {
			t.Errorf("the English plan page lacks the forum's rank: %.300s", en)
		}
	})
}

// The presentation: the signed-in team of the village's area sees exact
// figures, a partner account the public's, another tambon's team nothing;
// it is for a village only; it names nobody.
func TestForumPresentationScopesAndNames(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	var names []string
	if err := app.store.EachHousehold(ctx, round2562, "70051304", func(r survey.Record) error {
		for _, m := range r.Household.Members {
			names = append(names, m.FirstName+" "+m.LastName, m.CitizenID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no people in หมู่ 4 to look for")
	}
	for _, tc := range []struct {
		who    string
		status int
		public bool
	}{{"tambon", 200, false}, {"district", 200, false}, {"partner", 200, true}, {"moo4", 403, false}, {"viewer", 403, false}, {"", 303, false}} {
		status, body, _ := app.as(t, tc.who).get("/areas/70051304/present?round=" + round2562)
		if status != tc.status {
			t.Errorf("%s: %d, want %d", tc.who, status, tc.status)
			continue
		}
		if status != 200 {
			continue
		}
		if got := strings.Contains(body, "ถูกซ่อนไว้เพื่อไม่ให้ระบุตัวครัวเรือนได้"); got != tc.public {
			t.Errorf("%s: says figures are hidden: %v, want %v", tc.who, got, tc.public)
		}
		if n := strings.Count(body, `class="screen`); n < 5 {
			t.Errorf("%s: %d screens", tc.who, n)
		}
		for _, n := range names {
			if strings.TrimSpace(n) != "" && strings.Contains(body, n) {
				t.Errorf("%s: the presentation shows %q", tc.who, n)
			}
		}
	}
	if status, _, _ := app.as(t, "tambon").get("/areas/700513/present"); status != http.StatusBadRequest && status != http.StatusUnprocessableEntity {
		t.Errorf("a tambon's presentation: %d, want refused (it is for a village)", status)
	}
}
