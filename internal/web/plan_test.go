package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/partner"
	"tambon/internal/plan"
	"tambon/internal/store"
	"tambon/internal/user"
	"tambon/internal/web"
)

// mustPlanApp is mustHouseholdApp on the real clock: sessions are stored
// by the store's clock and checked against it, so a server whose clock is
// fixed in the past signs everyone out once that day is older than a
// session's life.
func mustPlanApp(tb testing.TB) *householdApp {
	tb.Helper()
	return mustPlanAppOn(tb, mustFixture(tb))
}

// mustPlanAppOn is mustPlanApp on a store filled with the fixture.
func mustPlanAppOn(tb testing.TB, s *store.Store) *householdApp {
	tb.Helper()
	hash, err := user.HashPassword(hhPassword)
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range hhUsers {
		u.PasswordHash, u.DisplayName = hash, u.Username
		if _, err := s.CreateUser(context.Background(), u); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := s.CreatePartner(context.Background(), partner.Partner{Kind: partner.LocalGov, NameTH: "อบต.เขาขลุง", NameEN: "Khao Khlung SAO", AreaCode: "700513"}, "test"); err != nil {
		tb.Fatal(err)
	}
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(tb), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return &householdApp{ts: ts, store: s}
}

// mustPlan creates, as the tambon team, a plan of เขาขลุง from round 2561
// with the first two proposed problems, and returns its URL and the page
// that listed the proposals.
func mustPlan(t *testing.T, app *householdApp) (string, string) {
	t.Helper()
	c := app.as(t, "tambon")
	status, body, h0 := c.get("/areas/700513/plans?round=" + round2561)
	if status != 200 {
		t.Fatalf("plans page: %d %v", status, h0)
	}
	picks := regexp.MustCompile(`name="pick" value="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(picks) < 2 {
		t.Fatalf("only %d problems proposed", len(picks))
	}
	status, _, h := c.post("/areas/700513/plans", url.Values{"round": {round2561}, "fiscal_year": {"๒๕๖๔"}, "title": {"แผนพัฒนาตำบลเขาขลุง"},
		"pick": {picks[0][1], picks[1][1]}})
	if status != http.StatusSeeOther {
		t.Fatalf("create plan: %d", status)
	}
	return h.Get("Location"), body
}

func TestPlanPagesFollowProblemsToHelp(t *testing.T) {
	app := mustPlanApp(t)
	planURL, listing := mustPlan(t, app)
	if !strings.Contains(listing, `data-code="`) {
		t.Fatal("no proposals on the page")
	}
	c := app.as(t, "tambon")
	status, body, _ := c.get(planURL)
	if status != 200 || !strings.Contains(body, "แผนพัฒนาตำบลเขาขลุง") || !strings.Contains(body, "ปีงบประมาณ 2564") {
		t.Fatalf("plan page: %d", status)
	}
	problems := regexp.MustCompile(`name="rank_(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(problems) != 2 {
		t.Fatalf("plan has %d problems, want 2", len(problems))
	}
	// Rank the second first.
	status, _, _ = c.post(planURL+"/rank", url.Values{"rank_" + problems[0][1]: {"2"}, "rank_" + problems[1][1]: {"1"}})
	if status != http.StatusSeeOther {
		t.Fatalf("rank: %d", status)
	}
	_, body, _ = c.get(planURL)
	if again := regexp.MustCompile(`name="rank_(\d+)"`).FindAllStringSubmatch(body, -1); again[0][1] != problems[1][1] {
		t.Error("ranking not kept")
	}
	problem := problems[1][1]
	partnerID := regexp.MustCompile(`<option value="(\d+)">อบต.เขาขลุง</option>`).FindStringSubmatch(body)
	if partnerID == nil {
		t.Fatal("the item form does not offer the tambon's partner")
	}
	item := url.Values{"title": {"ส่งเสริมอาชีพเสริม"}, "problem": {problem}, "partner": {partnerID[1]}, "budget": {"45,000"}, "budget_source": {"local"},
		"start": {"1/11/2563"}, "end": {"30/9/2564"}, "physical": {"30"}, "financial": {"20"}}
	// Bad input is answered precisely, and nothing is stored.
	for _, b := range []struct {
		field, value, says string
	}{
		{"budget", "ห้าหมื่น", "ไม่ใช่ตัวเลข"},
		{"end", "31/02/2564", "วันสิ้นสุดโครงการ"},
		{"start", "1/12/2564", "ก่อนวันเริ่ม"},
		{"physical", "150", "0 ถึง 100"},
		{"budget_source", "lottery", "lottery"},
		{"problem", "999999", "999999"},
		{"partner", "999999", "999999"},
	} {
		bad := url.Values{}
		for k, v := range item {
			bad[k] = v
		}
		bad.Set(b.field, b.value)
		status, body, _ := c.post(planURL+"/items", bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, b.says) {
			t.Errorf("%s=%q: %d, want 422 saying %q", b.field, b.value, status, b.says)
		}
		if !strings.Contains(body, `value="ส่งเสริมอาชีพเสริม"`) {
			t.Errorf("%s: the refused form lost what was typed", b.field)
		}
	}
	ctx := context.Background()
	logged := func() []store.AuditEntry {
		t.Helper()
		es, err := app.store.AuditLog(ctx, store.AuditFilter{Action: "plan.item.create"})
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	if es := logged(); len(es) != 0 {
		t.Errorf("refused items were written to the audit log: %+v", es)
	}
	status, _, h := c.post(planURL+"/items", item)
	if status != http.StatusSeeOther {
		t.Fatalf("add item: %d", status)
	}
	// The write is in the audit log: who, which plan, its area, what was posted.
	if es := logged(); len(es) != 1 || es[0].Object != planURL+"/items" || es[0].Area != "700513" ||
		!strings.Contains(es[0].Detail, `"budget":"45,000"`) || es[0].User == "" {
		t.Errorf("the new item's audit entries: %+v", es)
	}
	itemURL := h.Get("Location")
	// An edit is logged with the item as it was and the values posted.
	edit := url.Values{}
	for k, v := range item {
		edit[k] = v
	}
	edit.Set("budget", "50,000")
	if status, body, _ := c.post(itemURL, edit); status != http.StatusSeeOther {
		t.Fatalf("edit the item: %d %.300s", status, body)
	}
	es, err := app.store.AuditLog(ctx, store.AuditFilter{Action: "plan.item.update"})
	if err != nil || len(es) != 1 || !strings.Contains(es[0].Detail, `"before":{`) || !strings.Contains(es[0].Detail, `"Budget":45000`) ||
		!strings.Contains(es[0].Detail, `"budget":"50,000"`) {
		t.Errorf("the edit's audit entries: %+v (%v), want the old budget and the new one", es, err)
	}
	if status, _, _ := c.post(itemURL, item); status != http.StatusSeeOther { // and back, as the rest expects
		t.Fatalf("restore the item: %d", status)
	}
	if es := logged(); len(es) != 1 || strings.Contains(es[0].Detail, `"before"`) {
		t.Errorf("a new item's entry carries a before: %+v", es)
	}
	_, body, _ = c.get(itemURL)
	if !strings.Contains(body, "45,000") || !strings.Contains(body, "1 พ.ย. 2563") || !strings.Contains(body, `<dd id="item-partner">อบต.เขาขลุง</dd>`) {
		t.Error("the item page does not show the budget and the Thai start date")
	}
	if _, en, _ := c.get(itemURL + "?lang=en"); !strings.Contains(en, `<dd id="item-partner">Khao Khlung SAO</dd>`) {
		t.Error("the English item page does not name the partner in English")
	}
	if _, en, _ := c.get(planURL + "?lang=en"); !strings.Contains(en, "<td>Khao Khlung SAO</td>") || strings.Contains(en, "<td>อบต.เขาขลุง</td>") {
		t.Error("the English plan page does not name the item's partner in English")
	}
	c.get(planURL + "?lang=th") // the language choice sticks: back to Thai
	cands := regexp.MustCompile(`name="hh" value="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(cands) == 0 {
		t.Fatal("the targeting list of the problem is empty")
	}
	var ids []string
	for _, m := range cands[:min(3, len(cands))] {
		ids = append(ids, m[1])
	}
	if status, _, _ = c.post(itemURL+"/targets", url.Values{"hh": ids}); status != http.StatusSeeOther {
		t.Fatalf("targets: %d", status)
	}
	// A household outside the round is refused.
	other := app.firstHousehold(t, "70051304") // round 2562
	if status, body, _ = c.post(itemURL+"/targets", url.Values{"hh": {fmt.Sprint(other.ID)}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, round2561) {
		t.Errorf("a household of another round as target: %d", status)
	}
	// A help record refused for several reasons says all of them, each
	// beside its field, and keeps what was typed.
	status, body, _ = c.post(itemURL+"/assistance", url.Values{"household": {ids[0]}, "what": {""}, "helper": {""}, "date": {"31/2/2564"}, "status": {"planned"}, "note": {"โทรนัดแล้ว"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("help refused for three reasons: %d", status)
	}
	for _, field := range []string{"what", "helper", "date"} {
		if !regexp.MustCompile(`name="` + field + `"[^>]*aria-invalid="true"`).MatchString(body) {
			t.Errorf("the refused help form does not mark %s invalid", field)
		}
	}
	if !strings.Contains(body, "ช่วยเหลืออะไร") || !strings.Contains(body, "ผู้ให้ความช่วยเหลือ") || !strings.Contains(body, `value="โทรนัดแล้ว"`) {
		t.Error("the refused help form does not say every reason or lost the note typed")
	}
	for i, id := range ids {
		st := plan.Delivered
		if i == 2 {
			st = plan.Cancelled
		}
		status, body, _ := c.post(itemURL+"/assistance", url.Values{"household": {id}, "what": {"พันธุ์ผักและปุ๋ย"}, "helper": {"อบต.เขาขลุง"}, "date": {"15/3/2564"}, "status": {st}})
		if status != http.StatusSeeOther {
			t.Fatalf("assistance: %d %s", status, body)
		}
	}
	if status, _, _ := c.post(itemURL+"/assistance", url.Values{"household": {fmt.Sprint(other.ID)}, "what": {"x"}, "helper": {"y"}, "date": {"15/3/2564"}, "status": {"planned"}}); status != http.StatusUnprocessableEntity {
		t.Errorf("help to a household not targeted: %d", status)
	}
	_, body, _ = c.get(itemURL)
	if n := strings.Count(body, "พันธุ์ผักและปุ๋ย"); n != 3 {
		t.Errorf("item page lists %d help records, want 3", n)
	}
	// Graduation: the two delivered records are followed; the cancelled one is not.
	_, body, _ = c.get(planURL + "/graduation")
	if n := strings.Count(body, `<tr data-kind="`); n != 2 {
		t.Errorf("graduation lists %d helped households, want 2", n)
	}
	// The area's view counts the same households.
	if _, body, _ = app.as(t, "district").get("/areas/7005/graduation"); strings.Count(body, `<tr data-kind="`) != 2 || !strings.Contains(body, "แผนพัฒนาตำบลเขาขลุง") {
		t.Errorf("the district's graduation view does not show the tambon plan's 2 helped households")
	}
	// The household page shows the help and the next round.
	_, body, _ = c.get("/households/" + ids[0])
	if !strings.Contains(body, `id="help"`) || !strings.Contains(body, "พันธุ์ผักและปุ๋ย") || !strings.Contains(body, "ส่งเสริมอาชีพเสริม") {
		t.Error("the household page does not show the help")
	}
	// Help from a programme, recorded on the household page.
	if status, _, _ := c.post("/households/"+ids[1]+"/assistance", url.Values{"programme_other": {"ผู้นำการเปลี่ยนแปลง"}, "what": {"ให้คำปรึกษาการออม"},
		"helper": {"นายประยูร ทองมา"}, "date": {"2/4/2564"}, "status": {"delivered"}}); status != http.StatusSeeOther {
		t.Errorf("help from a programme: %d", status)
	}
	if status, body, _ := c.post("/households/"+ids[1]+"/assistance", url.Values{"programme_other": {"x"}, "helper": {"y"}, "date": {"2/4/2564"}, "status": {"delivered"}}); status != http.StatusBadRequest || !strings.Contains(body, "ช่วยเหลืออะไร") {
		t.Errorf("help without saying what: %d", status)
	}
	if status, _, _ := app.as(t, "partner").post("/households/"+ids[1]+"/assistance", url.Values{"programme_other": {"x"}, "what": {"x"}, "helper": {"y"}, "date": {"2/4/2564"}, "status": {"delivered"}}); status != http.StatusForbidden {
		t.Errorf("a partner records help to a household: %d", status)
	}
	if _, body, _ = c.get("/households/" + ids[1]); !strings.Contains(body, "ให้คำปรึกษาการออม") || !strings.Contains(body, "ผู้นำการเปลี่ยนแปลง") {
		t.Error("the household page does not list the programme's help")
	}
	// The annex.
	status, body, hdr := c.get(planURL + "/annex.xlsx")
	if status != 200 || !strings.Contains(hdr.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("annex: %d %s", status, hdr.Get("Content-Disposition"))
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("โครงการ", excelize.Options{RawCellValue: true})
	if len(rows) < 6 || rows[4][1] != "ส่งเสริมอาชีพเสริม" || rows[4][5] != "45000" || rows[4][4] != "3" || rows[4][9] != "อบต.เขาขลุง" {
		t.Errorf("annex projects sheet: %q", rows)
	}
	probs, _ := x.GetRows("ปัญหา")
	if len(probs) != 5 {
		t.Errorf("annex problems sheet has %d rows, want title, blank, header and 2 problems", len(probs))
	} else if !strings.Contains(probs[0][0], "(จปฐ. ปี ") {
		t.Errorf("the problems sheet does not name its round: %q", probs[0][0])
	}
}

func TestPlanScopes(t *testing.T) {
	app := mustPlanApp(t)
	planURL, _ := mustPlan(t, app)
	tests := []struct {
		user, path string
		want       int
	}{
		{"tambon", planURL, 200},
		{"district", planURL, 200},
		{"province", planURL + "/annex.xlsx", 200},
		{"partner", planURL, 200},
		{"moo4", planURL, 403}, // enumerators work on households, not plans
		{"viewer", planURL, 403},
		{"viewer", "/areas/700513/plans", 403},
		{"partner", "/areas/700513/plans", 200},
		{"partner", "/areas/700512/plans", 403},
		{"tambon", "/plans/999999", 404},
		{"tambon", "/plans/abc", 404},
	}
	for _, tc := range tests {
		c := app.as(t, tc.user)
		if status, _, _ := c.get(tc.path); status != tc.want {
			t.Errorf("%s GET %s: %d, want %d", tc.user, tc.path, status, tc.want)
		}
	}
	// The partner sees the plan but no household, and may not change it.
	p := app.as(t, "partner")
	_, body, _ := p.get(planURL + "/graduation")
	if strings.Contains(body, "/households/") {
		t.Error("the partner's graduation page links households")
	}
	if status, _, _ := p.post(planURL+"/rank", url.Values{}); status != http.StatusForbidden {
		t.Errorf("partner ranks: %d", status)
	}
	if status, _, _ := p.post("/areas/700513/plans", url.Values{"round": {round2561}, "fiscal_year": {"2564"}, "title": {"x"}, "pick": {"bmn:1"}}); status != http.StatusForbidden {
		t.Errorf("partner creates a plan: %d", status)
	}
	if status, _, _ := app.as(t, "").get(planURL); status != http.StatusSeeOther {
		t.Errorf("signed out: %d, want a redirect to sign in", status)
	}
	// Creating: bad input is answered precisely.
	c := app.as(t, "tambon")
	for _, b := range []struct {
		form url.Values
		says string
	}{
		{url.Values{"round": {round2561}, "fiscal_year": {"2564"}, "title": {"x"}}, "เลือกปัญหา"},
		{url.Values{"round": {round2561}, "fiscal_year": {"สองห้า"}, "title": {"x"}, "pick": {"bmn:1"}}, "สองห้า"},
		{url.Values{"round": {round2561}, "fiscal_year": {"2564"}, "title": {"x"}, "pick": {"bmn:99"}}, "bmn:99"},
		{url.Values{"round": {round2561}, "fiscal_year": {"2564"}, "title": {"แผนพัฒนาตำบลเขาขลุง"}, "pick": {"mpi:poor", "bmn:1", "bmn:2", "bmn:3"}}, "แล้ว"},
	} {
		status, body, _ := c.post("/areas/700513/plans", b.form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, b.says) {
			t.Errorf("%v: %d, want 422 saying %q", b.form, status, b.says)
		}
	}
}

func TestPlanEvidenceUpload(t *testing.T) {
	app := mustPlanApp(t)
	planURL, _ := mustPlan(t, app)
	c := app.as(t, "tambon")
	_, body, _ := c.get(planURL)
	problem := regexp.MustCompile(`name="rank_(\d+)"`).FindStringSubmatch(body)[1]
	status, _, h := c.post(planURL+"/items", url.Values{"title": {"ลานตากผลผลิต"}, "problem": {problem}, "budget": {"10000"}, "budget_source": {"community"},
		"start": {"1/1/2564"}, "end": {"31/3/2564"}})
	if status != http.StatusSeeOther {
		t.Fatalf("item: %d", status)
	}
	itemURL := h.Get("Location")
	upload := func(name string, data []byte) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		mw.WriteField("caption", "ภาพลงพื้นที่")
		mw.Close()
		req, _ := http.NewRequest("POST", c.ts.URL+itemURL+"/evidence", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		status, body, _ := c.do(req)
		return status, body
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\b\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x11IDATx\x9cbb```\x00\x04\x00\x00\xff\xff\x00\x0f\x00\x03\xfe\x8f\xeb\xcf\x00\x00\x00\x00IEND\xaeB`\x82")
	if status, body := upload("visit.png", png); status != http.StatusSeeOther {
		t.Fatalf("photo: %d %.300s", status, body)
	}
	if status, body := upload("notes.txt", []byte("not a photo")); status != http.StatusUnprocessableEntity || !strings.Contains(body, "notes.txt") {
		t.Errorf("a text file: %d", status)
	}
	_, body, _ = c.get(itemURL)
	src := regexp.MustCompile(`<img src="(/plans/\d+/evidence/\d+)"`).FindStringSubmatch(body)
	if src == nil || !strings.Contains(body, "ภาพลงพื้นที่") {
		t.Fatal("the photo is not shown on the item page")
	}
	status, got, hdr := c.get(src[1])
	if status != 200 || got != string(png) || hdr.Get("Content-Type") != "image/png" {
		t.Errorf("the photo reads back as %d %q %d bytes", status, hdr.Get("Content-Type"), len(got))
	}
	if status, _, _ := app.as(t, "viewer").get(src[1]); status != http.StatusForbidden {
		t.Errorf("a viewer opens the evidence: %d", status)
	}
	// A photo put up by mistake: a partner may not remove it, the team may.
	if status, _, _ := app.as(t, "partner").post(src[1]+"/delete", nil); status != http.StatusForbidden {
		t.Errorf("a partner removes the evidence: %d, want 403", status)
	}
	status, _, h = c.post(src[1]+"/delete", nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), itemURL) {
		t.Fatalf("the team removes the photo: %d → %s", status, h.Get("Location"))
	}
	if status, _, _ := c.get(src[1]); status != http.StatusNotFound {
		t.Errorf("the removed photo still opens: %d", status)
	}
	if status, _, _ := c.post(src[1]+"/delete", nil); status != http.StatusNotFound {
		t.Errorf("removing it again: %d, want 404", status)
	}
}
