package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
	"tambon/internal/user"
	"tambon/internal/web"
)

// householdApp is the web application on the fixture with accounts of every
// role in ตำบลเขาขลุง.
type householdApp struct {
	ts    *httptest.Server
	store *store.Store
}

var hhUsers = []user.User{
	{Username: "tambon", Role: user.Tambon, AreaCode: "700513"},
	{Username: "moo4", Role: user.Enumerator, AreaCode: "70051304"},
	{Username: "partner", Role: user.Partner, AreaCode: "700513"},
	{Username: "viewer", Role: user.Viewer, AreaCode: "70"},
	{Username: "district", Role: user.District, AreaCode: "7005"},
	{Username: "province", Role: user.Province, AreaCode: "70"},
}

const hhPassword = "correct-horse-battery"

func mustHouseholdApp(tb testing.TB) *householdApp {
	tb.Helper()
	return mustHouseholdAppOn(tb, mustFixture(tb))
}

// mustHouseholdAppOn is mustHouseholdApp on a store filled with the fixture.
func mustHouseholdAppOn(tb testing.TB, s *store.Store) *householdApp {
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
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(tb), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: storetest.Now, Version: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(web.HouseholdHandler(srv))
	tb.Cleanup(ts.Close)
	return &householdApp{ts: ts, store: s}
}

// client is a browser-like client: cookies kept, redirects not followed.
type client struct {
	tb testing.TB
	ts *httptest.Server
	c  *http.Client
}

func (a *householdApp) as(tb testing.TB, username string) *client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{tb: tb, ts: a.ts, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if username == "" {
		return c
	}
	status, _, h := c.post("/login", url.Values{"username": {username}, "password": {hhPassword}})
	if status != http.StatusSeeOther {
		tb.Fatalf("sign in as %s: status %d", username, status)
	}
	_ = h
	return c
}

func (c *client) do(req *http.Request) (int, string, http.Header) {
	c.tb.Helper()
	resp, err := c.c.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (c *client) get(path string) (int, string, http.Header) {
	c.tb.Helper()
	req, _ := http.NewRequest("GET", c.ts.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) (int, string, http.Header) {
	c.tb.Helper()
	req, _ := http.NewRequest("POST", c.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// postFile posts one file as the form field named field, with further
// form fields given as name, value pairs, as a browser's upload form does.
func (c *client) postFile(path, field, name string, data []byte, fields ...string) (int, string) {
	c.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, b, _ := c.do(req)
	return status, b
}

// firstHousehold returns a stored household of a village in round2562.
func (a *householdApp) firstHousehold(tb testing.TB, village string) survey.Record {
	tb.Helper()
	var got survey.Record
	err := a.store.EachHousehold(context.Background(), round2562, village, func(r survey.Record) error {
		if got.ID == 0 && len(r.Household.Members) > 1 {
			got = r
		}
		return nil
	})
	if err != nil || got.ID == 0 {
		tb.Fatalf("no household in %s: %v", village, err)
	}
	return got
}

func TestHouseholdPagesNeedSignIn(t *testing.T) {
	app := mustHouseholdApp(t)
	rec := app.firstHousehold(t, "70051304")
	anon := app.as(t, "")
	for _, p := range []string{
		"/rounds/" + round2562 + "/areas/70051304/households",
		fmt.Sprintf("/households/%d", rec.ID),
		fmt.Sprintf("/households/%d/edit", rec.ID),
		"/rounds/" + round2562 + "/households/new?village=70051304",
		"/rounds/" + round2562 + "/import",
		"/rounds/" + round2562 + "/areas/700513/review",
	} {
		status, _, h := anon.get(p)
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login?next=") {
			t.Errorf("GET %s signed out: %d %q, want a redirect to /login", p, status, h.Get("Location"))
		}
	}
	// A query with several parameters comes back whole after signing in.
	want := "/rounds/" + round2562 + "/households/new?village=70051304&x=1"
	_, _, h := anon.get(want)
	loc, err := url.Parse(h.Get("Location"))
	if err != nil || loc.Query().Get("next") != want {
		t.Errorf("sign-in redirect for %s: %q, want next=%s whole", want, h.Get("Location"), want)
	}
}

func TestHouseholdAuthorisation(t *testing.T) {
	app := mustHouseholdApp(t)
	own := app.firstHousehold(t, "70051304")
	other := app.firstHousehold(t, "70051301")
	moo4 := app.as(t, "moo4")
	tests := []struct {
		name, user, path string
		want             int
	}{
		{"enumerator opens a household of their village", "moo4", fmt.Sprintf("/households/%d", own.ID), 200},
		{"enumerator opens another village's household", "moo4", fmt.Sprintf("/households/%d", other.ID), 403},
		{"enumerator edits another village's household", "moo4", fmt.Sprintf("/households/%d/edit", other.ID), 403},
		{"enumerator lists their village", "moo4", "/rounds/" + round2562 + "/areas/70051304/households", 200},
		{"enumerator lists another village", "moo4", "/rounds/" + round2562 + "/areas/70051301/households", 403},
		{"enumerator lists the whole tambon", "moo4", "/rounds/" + round2562 + "/areas/700513/households", 403},
		{"enumerator adds in another village", "moo4", "/rounds/" + round2562 + "/households/new?village=70051301", 403},
		{"tambon lists the tambon", "tambon", "/rounds/" + round2562 + "/areas/700513/households", 200},
		{"district views a household", "district", fmt.Sprintf("/households/%d", other.ID), 200},
		{"district may not edit", "district", fmt.Sprintf("/households/%d/edit", other.ID), 403},
		{"viewer lists", "viewer", "/rounds/" + round2562 + "/areas/70051304/households", 403},
	}
	for _, route := range []string{
		"/rounds/" + round2562 + "/areas/70051304/households",
		"/rounds/" + round2562 + "/areas/700513/households",
		fmt.Sprintf("/households/%d", own.ID),
		fmt.Sprintf("/households/%d/edit", own.ID),
		"/rounds/" + round2562 + "/households/new?village=70051304",
		"/rounds/" + round2562 + "/import",
		"/rounds/" + round2562 + "/areas/700513/review",
	} {
		tests = append(tests, struct {
			name, user, path string
			want             int
		}{"partner " + route, "partner", route, 403})
	}
	clients := map[string]*client{"moo4": moo4}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := clients[tc.user]
			if c == nil {
				c = app.as(t, tc.user)
				clients[tc.user] = c
			}
			status, body, _ := c.get(tc.path)
			if status != tc.want {
				t.Fatalf("GET %s as %s: %d, want %d", tc.path, tc.user, status, tc.want)
			}
			if status == 403 && (!strings.Contains(body, "ไม่มีสิทธิ์") || !strings.Contains(body, "lang=\"th\"")) {
				t.Errorf("403 page is not the bilingual error page: %.300s", body)
			}
		})
	}
	// Partners cannot post either.
	partner := clients["partner"]
	if status, _, _ := partner.post(fmt.Sprintf("/households/%d/reveal", own.ID), nil); status != 403 {
		t.Errorf("partner reveal: %d, want 403", status)
	}
	if status, _, _ := partner.post(fmt.Sprintf("/households/%d/edit", own.ID), url.Values{"rows": {"0"}}); status != 403 {
		t.Errorf("partner edit: %d, want 403", status)
	}
}

var fullCID = regexp.MustCompile(`\b\d{13}\b|\b\d-\d{4}-\d{5}-\d{2}-\d\b`)

func TestHouseholdMaskingAndReveal(t *testing.T) {
	app := mustHouseholdApp(t)
	rec := app.firstHousehold(t, "70051304")
	tambon := app.as(t, "tambon")
	h := rec.Household
	for _, p := range []string{fmt.Sprintf("/households/%d", rec.ID), "/rounds/" + round2562 + "/areas/70051304/households", "/rounds/" + round2562 + "/areas/700513/households"} {
		status, body, _ := tambon.get(p)
		if status != 200 {
			t.Fatalf("GET %s: %d", p, status)
		}
		if m := fullCID.FindString(body); m != "" {
			t.Errorf("%s shows a citizen ID unmasked: %s", p, m)
		}
		for _, m := range h.Members {
			if strings.Contains(body, m.LastName) || strings.Contains(body, m.CitizenID) {
				t.Errorf("%s shows member %d's last name or ID unmasked", p, m.No)
			}
		}
	}
	_, body, _ := tambon.get(fmt.Sprintf("/households/%d", rec.ID))
	if !strings.Contains(body, h.Members[0].CitizenID[:1]+"-"+h.Members[0].CitizenID[1:5]+"-xxxxx-xx-") {
		t.Errorf("the masked citizen ID is missing")
	}
	if !strings.Contains(body, "แสดงข้อมูลส่วนบุคคล") {
		t.Errorf("no reveal button for a tambon team")
	}
	// Reveal: the full ID shows, and the audit log says who and which.
	status, body, _ := tambon.post(fmt.Sprintf("/households/%d/reveal", rec.ID), nil)
	if status != 200 {
		t.Fatalf("reveal: %d", status)
	}
	want := h.Members[0].CitizenID
	if !strings.Contains(body, want[:1]+"-"+want[1:5]+"-"+want[5:10]+"-"+want[10:12]+"-"+want[12:]) {
		t.Errorf("revealed page lacks the full citizen ID")
	}
	log, err := app.store.AuditLog(context.Background(), store.AuditFilter{Object: fmt.Sprintf("household:%d", rec.ID)})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range log {
		if e.User == "tambon" {
			actions[e.Action]++
		}
	}
	if actions["personal.reveal"] != 1 || actions["household.view"] < 2 {
		t.Errorf("audit log for the household: %v, want one personal.reveal and every view", actions)
	}
	// District officers see households but a reveal is theirs to make too;
	// a viewer may not reveal.
	if status, _, _ := app.as(t, "viewer").post(fmt.Sprintf("/households/%d/reveal", rec.ID), nil); status != 403 {
		t.Errorf("viewer reveal: %d, want 403", status)
	}
}

// formOf reads the edit form's current values, as a browser would submit
// them.
func formOf(tb testing.TB, h *survey.Household) url.Values {
	tb.Helper()
	v := web.HouseholdFormValues(h)
	v.Set("rows", fmt.Sprint(len(h.Members)+2))
	v.Set("village_code", h.VillageCode)
	return v
}

func TestHouseholdFormValidation(t *testing.T) {
	app := mustHouseholdApp(t)
	rec := app.firstHousehold(t, "70051304")
	c := app.as(t, "moo4")
	f := formOf(t, rec.Household)
	f.Set("m0.citizen_id", "1234567890123") // wrong check digit
	f.Set("income.main_occupation", "-5")
	f.Set("save", "complete")
	status, body, _ := c.post(fmt.Sprintf("/households/%d/edit", rec.ID), f)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d, want 422", status)
	}
	for _, want := range []string{"หลักสุดท้ายต้องตรงกับเลขตรวจสอบ", "จำนวนเงินต้องไม่ติดลบ", `id="m0-citizen_id-msg"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	// The message sits beside its field.
	i := strings.Index(body, `id="m0-citizen_id-msg"`)
	if i < 0 || !strings.Contains(body[i:i+400], "เลขตรวจสอบ") {
		t.Errorf("the citizen ID problem is not beside its field")
	}
	// Nothing was written.
	got, _ := app.store.Household(context.Background(), rec.ID)
	if got.Version != rec.Version {
		t.Errorf("a refused form changed the record (version %d → %d)", rec.Version, got.Version)
	}
	// English page: the reason in English.
	_, body, _ = c.post(fmt.Sprintf("/households/%d/edit?lang=en", rec.ID), f)
	if !strings.Contains(body, "correct check digit") {
		t.Errorf("the English form lacks the English reason")
	}
}

func TestHouseholdDraftAndEdit(t *testing.T) {
	app := mustHouseholdApp(t)
	c := app.as(t, "moo4")
	// A new household saved as a draft: one member, questions unanswered.
	f := url.Values{"village_code": {"70051304"}, "rows": {"2"}, "house_no": {"999/9"}, "survey_date": {"15/01/2562"},
		"m0.first_name": {"ทดสอบ"}, "m0.last_name": {"ร่างไว้"}, "m0.sex": {"f"}, "m0.birth_date": {"01/02/2520"},
		"m0.relation": {"head"}, "m0.resident": {"1"}, "m1.resident": {"1"}, "save": {"draft"}}
	status, body, h := c.post("/rounds/"+round2562+"/households/new", f)
	if status != http.StatusSeeOther {
		t.Fatalf("save draft: %d %.2000s", status, body)
	}
	var id int64
	fmt.Sscanf(h.Get("Location"), "/households/%d", &id)
	rec, err := app.store.Household(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Household.Status != survey.Draft || len(rec.Household.Members) != 1 || rec.UpdatedBy != "moo4" {
		t.Errorf("stored draft: status %s, %d members, by %q", rec.Household.Status, len(rec.Household.Members), rec.UpdatedBy)
	}
	// Saving it as complete is refused: the questions are unanswered.
	f.Set("save", "complete")
	g := formOf(t, rec.Household)
	g.Set("save", "complete")
	status, body, _ = c.post(fmt.Sprintf("/households/%d/edit", id), g)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "ยังไม่ได้ตอบข้อ") {
		t.Errorf("complete save of an unanswered household: %d", status)
	}
	// The same number twice is refused rather than overwriting.
	f.Set("save", "draft")
	if status, body, _ = c.post("/rounds/"+round2562+"/households/new", f); status != http.StatusUnprocessableEntity || !strings.Contains(body, "มีครัวเรือนนี้ในรอบนี้แล้ว") {
		t.Errorf("a second household with the same number: %d", status)
	}
	// Add a member to a stored household: the history shows who and what.
	stored := app.firstHousehold(t, "70051304")
	g = formOf(t, stored.Household)
	n := len(stored.Household.Members)
	p := fmt.Sprintf("m%d.", n)
	g.Set(p+"first_name", "สมาชิกใหม่")
	g.Set(p+"last_name", "ทดสอบ")
	g.Set(p+"citizen_id", "1101700230708")
	g.Set(p+"sex", "m")
	g.Set(p+"birth_date", "01/01/2540")
	g.Set(p+"relation", "relative")
	g.Set(p+"resident", "1")
	g.Set("save", "draft")
	status, body, _ = c.post(fmt.Sprintf("/households/%d/edit", stored.ID), g)
	if status != http.StatusSeeOther {
		t.Fatalf("add a member: %d %s", status, errorsOf(body))
	}
	_, body, _ = c.get(fmt.Sprintf("/households/%d", stored.ID))
	if !strings.Contains(body, "ฉบับที่ 2") || !strings.Contains(body, fmt.Sprintf("สมาชิกคนที่ %d · ชื่อ", n+1)) || !strings.Contains(body, "moo4") {
		t.Errorf("the history does not show the new member")
	}
	if strings.Contains(body, "สมาชิกใหม่") || strings.Contains(body, "1101700230708") {
		t.Errorf("the history shows the new member's name or ID unmasked")
	}
}

func mustEngine(tb testing.TB, r survey.Round) *engine.Engine {
	tb.Helper()
	eng, err := engine.ForRound(r)
	if err != nil {
		tb.Fatal(err)
	}
	return eng
}

func errorsOf(body string) string {
	var out []string
	for _, m := range regexp.MustCompile(`id="([^"]+)-msg" aria-live="polite">([^<]+)<`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+": "+m[2])
	}
	if i := strings.Index(body, `id="form-errors"`); i >= 0 {
		out = append(out, body[i:min(len(body), i+300)])
	}
	return strings.Join(out, "; ")
}

func TestReviewLocksHouseholds(t *testing.T) {
	app := mustHouseholdApp(t)
	rec := app.firstHousehold(t, "70051304")
	tambon, district := app.as(t, "tambon"), app.as(t, "district")
	review := "/rounds/" + round2562 + "/areas/700513/review"
	_, body, _ := tambon.get(review)
	if !strings.Contains(body, `id="step-submit"`) || strings.Contains(body, `id="step-verify"`) {
		t.Errorf("tambon's review page should offer submit only")
	}
	// The district cannot submit for the tambon.
	if status, _, _ := district.post(review, url.Values{"step": {"submit"}}); status != 403 {
		t.Errorf("district submit: %d, want 403", status)
	}
	// The fixture's tambon is not complete (villages without households):
	// submitting needs a written override.
	if status, body, _ := tambon.post(review, url.Values{"step": {"submit"}, "comment": {"ครบแล้ว"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "ยังไม่มีครัวเรือน") {
		t.Fatalf("submit of an incomplete tambon: %d", status)
	}
	if status, _, _ := tambon.post(review, url.Values{"step": {"submit"}, "comment": {"ครบแล้ว"}, "override": {"ทดสอบ"}}); status != http.StatusSeeOther {
		t.Fatalf("submit: %d", status)
	}
	// Submitted: the form shows why and no form.
	status, body, _ := app.as(t, "moo4").get(fmt.Sprintf("/households/%d/edit", rec.ID))
	if status != http.StatusConflict || !strings.Contains(body, "แก้ไขไม่ได้") || strings.Contains(body, `id="hh-form"`) {
		t.Errorf("edit of a submitted tambon: %d", status)
	}
	// Returning needs a reason.
	_, body, _ = district.get(review)
	if !strings.Contains(body, `id="step-verify"`) || !strings.Contains(body, `id="step-return"`) {
		t.Errorf("the district's page lacks verify and return")
	}
	if status, body, _ := district.post(review, url.Values{"step": {"return"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "ต้องระบุเหตุผล") {
		t.Errorf("return without a reason: %d", status)
	}
	if status, _, _ := district.post(review, url.Values{"step": {"return"}, "comment": {"หมู่ 4 ขาด 3 ครัวเรือน"}}); status != http.StatusSeeOther {
		t.Errorf("return: %d", status)
	}
	_, body, _ = tambon.get(review)
	if !strings.Contains(body, "หมู่ 4 ขาด 3 ครัวเรือน") || !strings.Contains(body, "เปิดบันทึกข้อมูล") {
		t.Errorf("the history lacks the return and its reason")
	}
	log, _ := app.store.AuditLog(context.Background(), store.AuditFilter{Action: "round.review"})
	if len(log) != 2 {
		t.Errorf("review audit entries: %d, want 2", len(log))
	}
}

func TestHouseholdImport(t *testing.T) {
	app := mustHouseholdApp(t)
	r2562, _ := app.store.Round(context.Background(), round2562)
	r := surveyfile.ExampleRound(mustEngine(t, r2562).Set()) // the round Example's households are valid for
	if err := app.store.CreateRound(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	eng := mustEngine(t, r)
	csvOf := func(village string, n int, seed uint64) []byte {
		hs := surveyfile.Example(eng.Set(), village, n, seed)
		var buf bytes.Buffer
		w := tabular.NewCSVWriter(&buf)
		if err := surveyfile.Write(w, eng.Set(), hs); err != nil {
			t.Fatal(err)
		}
		w.Close()
		return buf.Bytes()
	}
	upload := func(c *client, file []byte, opts ...string) (int, string, http.Header) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, o := range opts {
			mw.WriteField(o, "1")
		}
		fw, _ := mw.CreateFormFile("file", "households.csv")
		fw.Write(file)
		mw.Close()
		req, _ := http.NewRequest("POST", c.ts.URL+"/imports?round="+r.ID, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return c.do(req)
	}
	wait := func(c *client, loc string) string {
		id := loc[strings.LastIndex(loc, "job=")+4:]
		for range 200 {
			_, body, _ := c.get("/imports/" + id)
			var st struct{ State string }
			json.Unmarshal([]byte(body), &st)
			if st.State == "done" || st.State == "failed" {
				_, page, _ := c.get(loc)
				return page
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatal("the import did not finish")
		return ""
	}
	moo4 := app.as(t, "moo4")
	file := csvOf("70051304", 5, 4242)
	// A dry run writes nothing.
	status, _, h := upload(moo4, file, "dry_run")
	if status != http.StatusSeeOther {
		t.Fatalf("upload: %d", status)
	}
	page := wait(moo4, h.Get("Location"))
	if !strings.Contains(page, "ทดลองนำเข้า") {
		t.Errorf("dry run page: %.500s", page[strings.Index(page, "<main"):])
	}
	before, _ := app.store.CountHouseholds(context.Background(), r.ID, "70051304")
	status, _, h = upload(moo4, file)
	if status != http.StatusSeeOther {
		t.Fatalf("import upload: status %d, want 303", status)
	}
	page = wait(moo4, h.Get("Location"))
	after, _ := app.store.CountHouseholds(context.Background(), r.ID, "70051304")
	if after-before != 5 || !strings.Contains(page, `id="import-summary"`) {
		t.Errorf("import added %d households, want 5: %s", after-before, page[strings.Index(page, "<main"):])
	}
	// Villages outside the user's area: refused, listed.
	_, _, h = upload(moo4, csvOf("70051301", 2, 77))
	page = wait(moo4, h.Get("Location"))
	if !strings.Contains(page, "70051301") || !strings.Contains(page, "นอกพื้นที่") {
		t.Errorf("a file of another village was not refused with its code")
	}
	// A broken row: all or nothing, with the problems table and its download.
	broken := bytes.Replace(csvOf("70051304", 2, 99), []byte(",ชาย,"), []byte(",แมว,"), 1)
	_, _, h = upload(moo4, broken)
	page = wait(moo4, h.Get("Location"))
	if !strings.Contains(page, `id="import-problems"`) || !strings.Contains(page, "problems.xlsx") {
		t.Errorf("the problems table or its download is missing")
	}
	id := h.Get("Location")[strings.LastIndex(h.Get("Location"), "job=")+4:]
	if status, body, hd := moo4.get("/imports/" + id + "/problems.xlsx"); status != 200 || !strings.Contains(hd.Get("Content-Type"), "spreadsheet") || len(body) < 100 {
		t.Errorf("problems download: %d %s", status, hd.Get("Content-Type"))
	}
	// Another user cannot see the job.
	if status, _, _ := app.as(t, "tambon").get("/imports/" + id); status != 404 {
		t.Errorf("another user's import: %d, want 404", status)
	}
	if status, _, hd := moo4.get("/templates/households.xlsx?round=" + round2562); status != 200 || !strings.Contains(hd.Get("Content-Disposition"), "xlsx") {
		t.Errorf("template download: %d", status)
	}
}

// The form asks the server which questions apply as ages are typed: an
// adult is asked about health checks, not about birth weight.
func TestHouseholdAskedQuestions(t *testing.T) {
	app := mustHouseholdApp(t)
	c := app.as(t, "moo4")
	f := url.Values{"village_code": {"70051304"}, "rows": {"2"}, "m0.first_name": {"ก"}, "m0.birth_date": {"01/01/2520"},
		"m0.relation": {"head"}, "m0.resident": {"1"}, "m1.first_name": {"ข"}, "m1.relation": {"child"}, "m1.resident": {"1"}}
	status, body, _ := c.post("/rounds/"+round2562+"/households/asked", f)
	if status != 200 {
		t.Fatalf("asked: %d %s", status, body)
	}
	var got struct{ Asked, Rows []string }
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	has := func(name string) bool { return slices.Contains(got.Asked, name) }
	if !has("m0.answers.q6") || has("m0.answers.q1_weight_g") || !slices.Equal(got.Rows, []string{"0"}) {
		t.Errorf("asked of a 42-year-old head: %v (rows with ages %v)", got.Asked, got.Rows)
	}
	if status, _, _ := app.as(t, "partner").post("/rounds/"+round2562+"/households/asked", f); status != 403 {
		t.Errorf("partner: %d, want 403", status)
	}
}

// The area profile offers the household links only to users who may follow
// them.
func TestProfileOffersHouseholdLinksByRole(t *testing.T) {
	app := mustHouseholdApp(t)
	var round string
	rs, _ := app.store.Rounds(context.Background())
	for _, r := range rs {
		if !r.AggregateOnly {
			round = r.ID
		}
	}
	for _, tc := range []struct {
		user string
		want bool
	}{{"tambon", true}, {"moo4", true}, {"partner", false}, {"viewer", false}, {"", false}} {
		_, body, _ := app.as(t, tc.user).get("/areas/70051304?round=" + round)
		if got := strings.Contains(body, `id="households-link"`); got != tc.want {
			t.Errorf("%q sees the households link: %v, want %v", tc.user, got, tc.want)
		}
	}
}

// The web form offers a member's occupation from the same coded list as the
// field form, and an occupation stored as free text by an earlier form stays
// chosen when the household is edited.
func TestHouseholdFormOccupationChoices(t *testing.T) {
	app := mustHouseholdApp(t)
	own := app.firstHousehold(t, "70051304")
	status, body, _ := app.as(t, "moo4").get(fmt.Sprintf("/households/%d/edit", own.ID))
	if status != 200 {
		t.Fatalf("the edit form: %d", status)
	}
	if !strings.Contains(body, `<select id="m0-occupation" name="m0.occupation"`) {
		t.Fatal("the member's occupation is not a choice")
	}
	for _, o := range survey.Occupations {
		if !strings.Contains(body, `<option value="`+o.Code+`"`) || !strings.Contains(body, o.Label.TH) {
			t.Errorf("the occupation %q (%s) is not offered", o.Code, o.Label.TH)
		}
	}
	// Each member's stored occupation, a code or an earlier form's text,
	// is the one chosen.
	checked := 0
	for i, m := range own.Household.Members {
		if m.Occupation == "" {
			continue
		}
		checked++
		want := fmt.Sprintf(`name="m%d.occupation" data-ask="1">`, i)
		at := strings.Index(body, want)
		if at < 0 {
			t.Fatalf("member %d has no occupation choice", i)
		}
		sel := body[at:]
		sel = sel[:strings.Index(sel, "</select>")]
		if !strings.Contains(sel, `<option value="`+html.EscapeString(m.Occupation)+`" selected>`) {
			t.Errorf("member %d's occupation %q is not the one chosen", i, m.Occupation)
		}
	}
	if checked == 0 {
		t.Fatal("no member of the household has an occupation to check")
	}
}
