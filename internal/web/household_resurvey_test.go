package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/web"
)

// lastRoundOnly returns a household of round2561 in the village that
// round2562 does not have yet, with at least two members.
func lastRoundOnly(t *testing.T, app *householdApp, village string) survey.Record {
	t.Helper()
	page, err := app.store.ListHouseholds(context.Background(), store.HouseholdQuery{Round: round2562, Area: village, Missing: true, Prev: round2561})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		if len(r.Household.Members) >= 2 {
			return r
		}
	}
	t.Fatalf("no household of %s only in %s with two members", village, round2561)
	return survey.Record{}
}

// Start from last round: the list of households not yet re-surveyed opens
// the form filled with last round's record; one member moved out, one
// joined; the saved household has last round's key, and its history says
// exactly that.
func TestResurveyFromLastRound(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	last := lastRoundOnly(t, app, "70051304")
	c := app.as(t, "moo4")
	from := fmt.Sprintf("/rounds/%s/households/from/%d", round2562, last.ID)
	status, body, _ := c.get("/rounds/" + round2562 + "/areas/70051304/households?missing=1")
	if status != http.StatusOK || !strings.Contains(body, `href="`+from+`"`) {
		t.Fatalf("the not-re-surveyed list does not offer to start from last round: %d", status)
	}
	status, body, _ = c.get(from)
	if status != http.StatusOK {
		t.Fatalf("open: %d %s", status, errorsOf(body))
	}
	lh := last.Household
	for _, want := range []string{lh.Members[0].FirstName, lh.Members[1].CitizenID, `name="m1.left"`, `name="m0.carried"`, `id="resurvey-note"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form started from last round lacks %q", want)
		}
	}
	if strings.Contains(body, `name="m0.remove"`) {
		t.Error("a member of last round's roster is removed, not marked as moved out or died")
	}
	es, _ := app.store.AuditLog(ctx, store.AuditFilter{Action: "personal.reveal", Limit: 1})
	if len(es) != 1 || es[0].Object != fmt.Sprintf("household:%d", last.ID) || !strings.Contains(es[0].Detail, "resurvey") || es[0].User != "moo4" {
		t.Errorf("opening last round's data unmasked is not audited: %+v", es)
	}

	// The form as the browser posts it: last round's answers, member 2
	// moved out, one newcomer in the first blank row.
	f := web.HouseholdFormValues(lh)
	f.Set("rows", fmt.Sprint(len(lh.Members)+2))
	for i := range lh.Members {
		f.Set(fmt.Sprintf("m%d.carried", i), "1")
	}
	f.Set("m1.left", "moved_out")
	// The head changed occupation since: the history says so of her, not
	// of whoever sits at her place on the roster.
	newOcc := "trade"
	if lh.Members[0].Occupation == newOcc {
		newOcc = "labour"
	}
	f.Set("m0.occupation", newOcc)
	n := len(lh.Members)
	for k, v := range map[string]string{"first_name": "สมหมาย", "last_name": "มาใหม่", "sex": "m", "birth_date": "01/02/2530",
		"relation": "relative", "resident": "1", "education": "primary", "occupation": "labour"} {
		f.Set(fmt.Sprintf("m%d.%s", n, k), v)
	}
	f.Set("survey_date", "15/01/2562")
	f.Set("house_no", "not this one") // the key is last round's, whatever is posted
	f.Set("save", "draft")
	status, body, h := c.post(from, f)
	if status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", status, errorsOf(body))
	}
	var id int64
	fmt.Sscanf(h.Get("Location"), "/households/%d", &id)
	rec, err := app.store.Household(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Key != last.Key || rec.Household.RoundID != round2562 || len(rec.Household.Members) != n {
		t.Fatalf("stored: key %s (last round %s), round %s, %d members (want %d)", rec.Key, last.Key, rec.Household.RoundID, len(rec.Household.Members), n)
	}
	for _, m := range rec.Household.Members {
		if m.CitizenID == lh.Members[1].CitizenID {
			t.Error("the member who moved out is still on the roster")
		}
	}
	hist, err := app.store.HouseholdHistory(ctx, round2562, rec.Key)
	if err != nil || len(hist) != 1 {
		t.Fatalf("history: %+v %v", hist, err)
	}
	got := map[string]string{}
	for _, ch := range hist[0].Changes {
		got[ch.Field] = fmt.Sprint(ch.Old, "→", ch.New)
	}
	want := map[string]string{"members[0].occupation": fmt.Sprint(orNil(lh.Members[0].Occupation), "→", newOcc), "resurvey.from": "<nil>→" + round2561, "roster.moved_out": survey.FullName(lh.Members[1]) + "→<nil>", "roster.joined": "<nil>→สมหมาย มาใหม่"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("history\n got %v\nwant %v", got, want)
	}
	es, _ = app.store.AuditLog(ctx, store.AuditFilter{Action: "household.write", Limit: 1})
	if len(es) != 1 || !strings.Contains(es[0].Detail, round2561) {
		t.Errorf("the write is not audited with where it started: %+v", es)
	}
	// The household page shows the history, names masked.
	_, body, _ = c.get(fmt.Sprintf("/households/%d", id))
	for _, want := range []string{"สมาชิกย้ายออก", "สมาชิกใหม่", "เริ่มจากข้อมูลรอบ", "ส*** ม***"} {
		if !strings.Contains(body, want) {
			t.Errorf("the household page lacks %q in its history", want)
		}
	}
	if strings.Contains(body, lh.Members[1].LastName+"<") || strings.Contains(body, "สมหมาย มาใหม่") {
		t.Error("the history shows names unmasked")
	}
	// Once entered, the link opens this round's household instead.
	if status, _, h := c.get(from); status != http.StatusSeeOther || h.Get("Location") != fmt.Sprintf("/households/%d", id) {
		t.Errorf("start from last round again: %d %s", status, h.Get("Location"))
	}
	if status, _, _ := c.post(from, f); status != http.StatusUnprocessableEntity {
		t.Errorf("saving it twice: %d, want 422", status)
	}
}

// Only those who may enter and reveal in the village start from last round,
// and only from the round just before.
func TestResurveyIsScoped(t *testing.T) {
	app := mustHouseholdApp(t)
	last := lastRoundOnly(t, app, "70051301")
	from := fmt.Sprintf("/rounds/%s/households/from/%d", round2562, last.ID)
	for _, who := range []string{"moo4", "partner", "viewer", ""} {
		status, body, _ := app.as(t, who).get(from)
		if status == http.StatusOK || strings.Contains(body, last.Household.Members[0].CitizenID) {
			t.Errorf("%q opened last round's household of another village: %d", who, status)
		}
		if status, _, _ := app.as(t, who).post(from, web.HouseholdFormValues(last.Household)); status == http.StatusSeeOther {
			t.Errorf("%q saved a re-survey in another village", who)
		}
	}
	if status, _, _ := app.as(t, "tambon").get(from); status != http.StatusOK {
		t.Errorf("the tambon's account cannot start from last round: %d", status)
	}
	cur := app.firstHousehold(t, "70051301")
	if status, _, _ := app.as(t, "tambon").get(fmt.Sprintf("/rounds/%s/households/from/%d", round2562, cur.ID)); status != http.StatusNotFound {
		t.Errorf("starting from a household of the same round: %d, want 404", status)
	}
}

// orNil is a history change's old value as the history keeps it: nothing
// for an empty text.
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}
