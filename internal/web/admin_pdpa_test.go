package web_test

import (
	"context"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// The personal data page through real HTTP: only administrators reach it,
// only inside their area; an erasure needs a reason and a confirmation, and
// leaves the statistics equal to a recompute; retention of a certified
// tambon leaves every figure as it was.
func TestPDPAPage(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { pdpaPage(t, mustHouseholdApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		pdpaPage(t, mustHouseholdAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn))))
	})
}

func pdpaPage(t *testing.T, app *householdApp) {
	ctx := context.Background()
	s := app.store
	hash, err := user.HashPassword(hhPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []user.User{{Username: "admin", Role: user.Admin, AreaCode: "TH"}, {Username: "admin7001", Role: user.Admin, AreaCode: "7001"}} {
		u.PasswordHash, u.DisplayName = hash, u.Username
		if _, err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	var target survey.Record
	s.EachHousehold(ctx, round2562, "70051304", func(r survey.Record) error {
		if target.Household == nil && len(r.Household.Members) >= 2 {
			target = r
		}
		return nil
	})
	if target.Household == nil {
		t.Fatal("no household with two members in the fixture")
	}
	victim := target.Household.Members[1]
	rd, err := s.Round(ctx, round2562)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"round": {round2562}, "household": {strconv.FormatInt(target.ID, 10)}, "member": {strconv.Itoa(victim.No)},
		"reason": {"คำขอเลขที่ 7/2569 ของ " + victim.FirstName}}
	confirmed := url.Values{"confirm": {"yes"}}
	for k, v := range form {
		confirmed[k] = v
	}

	// Not an administrator: refused, nothing erased.
	refused := func(status int, h http.Header) bool {
		return status >= 400 || (status == http.StatusSeeOther && strings.HasPrefix(h.Get("Location"), "/login"))
	}
	for _, who := range []string{"", "tambon", "province"} {
		c := app.as(t, who)
		if status, _, h := c.get("/admin/pdpa"); !refused(status, h) {
			t.Errorf("%q GET /admin/pdpa: %d", who, status)
		}
		if status, _, h := c.post("/admin/pdpa/erase", confirmed); !refused(status, h) {
			t.Errorf("%q erased: %d", who, status)
		}
		if status, _, h := c.post("/admin/pdpa/retention", url.Values{"round": {round2562}, "months": {"0"}}); !refused(status, h) {
			t.Errorf("%q set a rule: %d", who, status)
		}
	}
	// An administrator of another province: refused.
	other := app.as(t, "admin7001")
	if status, _, _ := other.post("/admin/pdpa/erase", confirmed); status != http.StatusForbidden {
		t.Errorf("an administrator outside the area erased: %d", status)
	}
	if status, _, _ := other.post("/admin/pdpa/retention", url.Values{"round": {round2562}, "months": {"0"}}); status != http.StatusForbidden {
		t.Errorf("a provincial administrator set a national rule: %d", status)
	}
	if rec, _ := s.Household(ctx, target.ID); len(rec.Household.Members) != len(target.Household.Members) {
		t.Fatal("a refused request erased a member")
	}

	admin := app.as(t, "admin")
	for lang, want := range map[string]string{"th": "ข้อมูลส่วนบุคคล (PDPA)", "en": "Personal data (PDPA)"} {
		status, body, _ := admin.get("/admin/pdpa?lang=" + lang)
		if status != http.StatusOK || !strings.Contains(body, want) || !strings.Contains(body, `id="pdpa-erase-form"`) {
			t.Errorf("GET /admin/pdpa?lang=%s: %d", lang, status)
		}
	}
	noReason := url.Values{"reason": {" "}}
	for k, v := range form {
		if k != "reason" {
			noReason[k] = v
		}
	}
	noReason.Set("confirm", "yes")
	if status, body, _ := admin.post("/admin/pdpa/erase", noReason); status != http.StatusBadRequest || !strings.Contains(body, `id="pdpa-error"`) {
		t.Errorf("erasure without a reason: %d", status)
	}
	// By citizen ID: the confirmation names the household and member by
	// number, and never shows the ID.
	byID := url.Values{"round": {round2562}, "citizen_id": {victim.CitizenID}, "reason": form["reason"]}
	status, body, _ := admin.post("/admin/pdpa/erase", byID)
	if status != http.StatusOK || !strings.Contains(body, `id="pdpa-confirm-form"`) || strings.Contains(body, victim.CitizenID) ||
		!strings.Contains(body, `name="household" value="`+strconv.FormatInt(target.ID, 10)+`"`) {
		t.Fatalf("confirmation: %d\n%s", status, body)
	}
	if rec, _ := s.Household(ctx, target.ID); len(rec.Household.Members) != len(target.Household.Members) {
		t.Fatal("the confirmation step erased already")
	}
	status, _, h := admin.post("/admin/pdpa/erase", confirmed)
	if status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=erased") {
		t.Fatalf("erase: %d %s", status, h.Get("Location"))
	}
	rec, err := s.Household(ctx, target.ID)
	if err != nil || len(rec.Household.Members) != len(target.Household.Members)-1 {
		t.Fatalf("after the erasure: %v", err)
	}
	for _, m := range rec.Household.Members {
		if m.CitizenID == victim.CitizenID {
			t.Error("the erased member is still in the household")
		}
	}
	assertPDPAStats(t, s, eng)
	es, err := s.AuditLog(ctx, store.AuditFilter{Action: "pdpa.erase_member"})
	if err != nil || len(es) != 1 || es[0].User != "admin" || !strings.Contains(es[0].Detail, "7/2569") || strings.Contains(es[0].Detail, victim.FirstName) {
		t.Errorf("audit: %+v %v", es, err)
	}
	if _, body, _ := admin.get("/admin/pdpa?done=erased&n=member"); !strings.Contains(body, `id="pdpa-done"`) {
		t.Error("no notice after the erasure")
	}

	// Retention on a certified tambon.
	for _, step := range []survey.Review{survey.Submit, survey.Verify, survey.Certify} {
		if _, err := s.Review(ctx, round2562, "700513", step, "province", ""); err != nil {
			t.Fatal(err)
		}
	}
	before, err := s.AllTotals(ctx, eng, round2562)
	if err != nil {
		t.Fatal(err)
	}
	if status, body, _ := admin.post("/admin/pdpa/retention", url.Values{"round": {round2562}, "months": {"-3"}}); status != http.StatusBadRequest || !strings.Contains(body, "pdpa-retain-error") {
		t.Errorf("a negative period: %d", status)
	}
	if status, _, _ := admin.post("/admin/pdpa/retention", url.Values{"round": {round2562}, "months": {"0"}}); status != http.StatusSeeOther {
		t.Fatalf("set the rule: %d", status)
	}
	n, _ := s.CountHouseholds(ctx, round2562, "700513")
	status, body, _ = admin.post("/admin/pdpa/retain", url.Values{"round": {round2562}})
	if status != http.StatusOK || !strings.Contains(body, `id="pdpa-retain-apply"`) || !strings.Contains(body, strconv.Itoa(n)) {
		t.Fatalf("retention confirmation: %d", status)
	}
	if rec, _ := s.Household(ctx, target.ID); rec.Household.Members[0].FirstName == "" {
		t.Fatal("the confirmation step pseudonymised already")
	}
	if status, _, _ := admin.post("/admin/pdpa/retain", url.Values{"round": {round2562}, "confirm": {"yes"}}); status != http.StatusSeeOther {
		t.Fatalf("retain: %d", status)
	}
	after, err := s.AllTotals(ctx, eng, round2562)
	if err != nil {
		t.Fatal(err)
	}
	for code, b := range before {
		if !b.Equal(after[code]) {
			t.Errorf("area %s changed by retention", code)
		}
	}
	if rec, _ := s.Household(ctx, target.ID); rec.Household.Members[0].FirstName != "" || rec.Household.Members[0].CitizenID != "" {
		t.Errorf("not pseudonymised: %+v", rec.Household.Members[0])
	}
	if _, body, _ := admin.get("/admin/pdpa?round=" + round2562); !strings.Contains(body, `id="area-700513"`) {
		t.Error("the certified tambon is not listed")
	}
}

func assertPDPAStats(t *testing.T, s *store.Store, eng *engine.Engine) {
	t.Helper()
	ctx := context.Background()
	stored, err := s.AllTotals(ctx, eng, round2562)
	if err != nil {
		t.Fatal(err)
	}
	v, err := eng.Recompute(ctx, func(yield func(*survey.Household) bool) error {
		return s.EachHousehold(ctx, round2562, "TH", func(r survey.Record) error {
			yield(r.Household)
			return nil
		})
	}, runtime.GOMAXPROCS(0))
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range engine.RollUp(v, eng.NewTotals) {
		if !stored[code].Equal(want) {
			t.Errorf("area %s: stored statistics differ from a recompute", code)
		}
	}
}
