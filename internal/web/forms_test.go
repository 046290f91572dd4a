package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tambon/internal/activity"
	"tambon/internal/partner"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

// activityID reads the activity's number from the redirect after a save.
func activityID(t *testing.T, location string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(location, "/activities/%d", &id); err != nil {
		t.Fatalf("no activity in %q", location)
	}
	return id
}

// An activity is written without any separator to learn: follow-ups are
// rows with a date from the picker (or typed in พ.ศ.) and a status chosen
// or written as the page shows it; people are picked from the partners;
// other attendees are rows; the area is picked by name. Editing keeps the
// follow-ups' ids.
func TestActivityFormRowsAndPickers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		app := mustActivityApp(t, s)
		ctx := context.Background()
		head, err := s.CreatePartner(ctx, partner.Partner{Kind: partner.VillageHead, NameTH: "นายประเสริฐ ผู้ใหญ่บ้าน", AreaCode: "70051304"}, "test")
		if err != nil {
			t.Fatal(err)
		}
		c := app.as(t, "tambon")
		if _, page, _ := c.get("/activities/new"); !strings.Contains(page, `name="attendee_id" value="`+fmt.Sprint(head.ID)+`"`) ||
			!strings.Contains(page, `name="followups-1-due"`) || !strings.Contains(page, `data-area-picker="area_code"`) {
			t.Fatalf("the new form lacks the people picker, the follow-up rows or the area picker")
		}
		form := url.Values{"kind": {"meeting"}, "title_th": {"ประชุมประชาคมหมู่ 4"}, "date": {"2027-01-18"}, "time": {"09:30"},
			// the picker's choice: the address shown and the code beside it
			"area": {"ม.4 บ้านหนองไม้เฝ้า ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี"}, "area_code": {"70051304"},
			"partner": {fmt.Sprint(app.sao.ID)}, "attendee_id": {fmt.Sprint(head.ID)},
			"guests-1-name": {"นางสมศรี ใจงาม"}, "guests-1-role": {"ผู้นำเสนอ"}, "guests-2-name": {""}, "guests-2-role": {""},
			"followups-1-action": {"สำรวจแหล่งน้ำ"}, "followups-1-owner": {"นายประเสริฐ ผู้ใหญ่บ้าน"}, "followups-1-due": {"2027-01-31"}, "followups-1-status": {"กำลังดำเนินการ"},
			"followups-3-action": {"ส่งรายงาน"}, "followups-3-owner": {"องค์การบริหารส่วนตำบลเขาขลุง"}, "followups-3-due": {"28/02/2570"}, "followups-3-status": {"Done"},
			"followups-4-action": {""}, "followups-4-owner": {""}, "followups-4-due": {""}, "followups-4-status": {"open"},
		}
		status, body, h := c.post("/activities/new", form)
		if status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", status, problemText(body))
		}
		a, err := s.Activity(ctx, activityID(t, h.Get("Location")))
		if err != nil {
			t.Fatal(err)
		}
		if a.AreaCode != "70051304" || len(a.PartnerIDs) != 1 || a.PartnerIDs[0] != app.sao.ID {
			t.Errorf("area %s partners %v", a.AreaCode, a.PartnerIDs)
		}
		if len(a.Attendees) != 2 || a.Attendees[0].PartnerID != head.ID || a.Attendees[0].Name != head.NameTH ||
			a.Attendees[1].Name != "นางสมศรี ใจงาม" || a.Attendees[1].Role != "ผู้นำเสนอ" {
			t.Errorf("attendees %+v", a.Attendees)
		}
		if len(a.FollowUps) != 2 {
			t.Fatalf("follow-ups %+v", a.FollowUps)
		}
		for i, want := range []struct {
			action, due string
			status      activity.FollowUpStatus
			owner       int64
		}{{"สำรวจแหล่งน้ำ", "2027-01-31", activity.InProgress, head.ID}, {"ส่งรายงาน", "2027-02-28", activity.Done, app.sao.ID}} {
			f := a.FollowUps[i]
			if f.Action != want.action || f.Due.Format("2006-01-02") != want.due || f.Status != want.status || f.OwnerID != want.owner {
				t.Errorf("follow-up %d = %+v, want %+v", i+1, f, want)
			}
		}

		// The edit form shows the rows again, in พ.ศ. beside the pickers,
		// with their ids; saving it keeps the ids.
		_, page, _ := c.get(fmt.Sprintf("/activities/%d/edit?lang=th", a.ID))
		for _, want := range []string{`name="followups-1-id" value="` + fmt.Sprint(a.FollowUps[0].ID) + `"`, `value="2027-01-31"`, "31 ม.ค. 2570",
			`value="ม.4 บ้านหนองไม้เฝ้า ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี"`, `<option value="in_progress" selected>`, `name="guests-1-name" value="นางสมศรี ใจงาม"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the edit form lacks %s", want)
			}
		}
		edit := url.Values{}
		for k, v := range form {
			edit[k] = v
		}
		edit.Set("followups-1-id", fmt.Sprint(a.FollowUps[0].ID))
		edit.Set("followups-1-status", "done")
		edit.Set("followups-3-id", fmt.Sprint(a.FollowUps[1].ID))
		edit.Set("followups-3-action", "ส่งรายงานฉบับสมบูรณ์")
		if status, body, _ := c.post(fmt.Sprintf("/activities/%d/edit", a.ID), edit); status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", status, problemText(body))
		}
		b, _ := s.Activity(ctx, a.ID)
		if len(b.FollowUps) != 2 || b.FollowUps[0].ID != a.FollowUps[0].ID || b.FollowUps[1].ID != a.FollowUps[1].ID ||
			b.FollowUps[0].Status != activity.Done || b.FollowUps[1].Action != "ส่งรายงานฉบับสมบูรณ์" || !b.FollowUps[1].DoneAt.Equal(a.FollowUps[1].DoneAt) {
			t.Errorf("after the edit: %+v, before %+v", b.FollowUps, a.FollowUps)
		}

		// Another activity's follow-up id is refused on its row.
		edit.Set("followups-1-id", fmt.Sprint(app.meeting.FollowUps[0].ID))
		status, body, _ = c.post(fmt.Sprintf("/activities/%d/edit", a.ID), edit)
		if status != http.StatusBadRequest || !fieldRefused(body, "followups-1-action") {
			t.Errorf("a foreign follow-up id: %d %s", status, problemText(body))
		}
		if m, _ := s.Activity(ctx, app.meeting.ID); len(m.FollowUps) != 1 || m.FollowUps[0].Action != app.meeting.FollowUps[0].Action {
			t.Errorf("the other activity's follow-up changed: %+v", m.FollowUps)
		}
	})
}

// Without the page's script the area is typed by name: one match in the
// account's area is taken, a name matching nothing or several is refused
// beside the field with the candidates.
func TestActivityAreaByName(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	tests := []struct {
		who, typed, code string
		want             string // the code stored, or a word of the refusal
	}{
		{"tambon", "หนองไม้เฝ้า", "", "70051304"},
		{"tambon", "หมู่ 4", "", "70051304"},
		{"tambon", "70051305", "", "70051305"},
		{"tambon", "ตำบลเขาขลุง", "70051304", "700513"},   // the text changed after a pick: the text wins
		{"tambon", "กรับใหญ่", "", "ไม่พบพื้นที่ชื่อนี้"}, // a tambon next door
		{"district", "หมู่ 4", "", "ชื่อนี้ตรงกับหลายพื้นที่"},
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.typed, func(t *testing.T) {
			c := app.as(t, tt.who)
			f := meetingForm(activity.Activity{TitleTH: "ประชุม " + tt.typed})
			f.Set("area", tt.typed)
			f.Set("area_code", tt.code)
			status, body, h := c.post("/activities/new", f)
			if strings.Trim(tt.want, "0123456789") == "" {
				if status != http.StatusSeeOther {
					t.Fatalf("%d %s", status, problemText(body))
				}
				a, _ := app.store.Activity(context.Background(), activityID(t, h.Get("Location")))
				if a.AreaCode != tt.want {
					t.Errorf("area %s, want %s", a.AreaCode, tt.want)
				}
				return
			}
			if status != http.StatusBadRequest || !fieldRefused(body, "area") || !strings.Contains(fieldError(body, "area"), tt.want) {
				t.Errorf("%d: beside the area: %q, want %q", status, fieldError(body, "area"), tt.want)
			}
		})
	}
}

// A form with several mistakes is answered with all of them at once, each
// beside its field (aria-invalid, aria-describedby pointing at the text)
// and listed in the summary with a link to the field, in Thai and English.
func TestActivityFormShowsEveryErrorBesideItsField(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	c := app.as(t, "tambon")
	f := meetingForm(activity.Activity{TitleTH: "", AreaCode: "70051304"})
	f.Set("date", "31/02/2564")
	f.Set("followups-1-due", "")
	f.Set("followups-2-action", "รายงานผล")
	f.Set("followups-2-due", "2021-03-01")
	f.Set("followups-2-status", "ไม่รู้")
	f.Set("guests-1-role", "ประธาน")
	want := map[string]map[string]string{
		"date":               {"th": "31 กุมภาพันธ์ 2564", "en": "31 February 2564"},
		"followups-1-due":    {"th": "ต้องระบุวันกำหนดเสร็จ", "en": "the due date is required"},
		"followups-2-status": {"th": "ยังไม่เริ่ม", "en": "not started"},
		"guests-1-name":      {"th": "ต้องระบุชื่อผู้เข้าร่วม", "en": "the attendee's name is required"},
	}
	for _, lang := range []string{"th", "en"} {
		status, body, _ := c.post("/activities/new?lang="+lang, f)
		if status != http.StatusBadRequest {
			t.Fatalf("%s: status %d", lang, status)
		}
		for id, says := range want {
			if !fieldRefused(body, id) {
				t.Errorf("%s: %s is not marked invalid and described by its error", lang, id)
			}
			if got := fieldError(body, id); !strings.Contains(got, says[lang]) {
				t.Errorf("%s: beside %s: %q, want %q", lang, id, got, says[lang])
			}
			if !strings.Contains(body, `<a href="#`+id+`">`) {
				t.Errorf("%s: the summary does not link to %s", lang, id)
			}
		}
		if n := strings.Count(body, `aria-invalid="true"`); n != len(want) {
			t.Errorf("%s: %d fields marked invalid, want %d", lang, n, len(want))
		}
		// What was typed is kept.
		if !strings.Contains(body, `value="รายงานผล"`) || !strings.Contains(body, `value="ประธาน"`) {
			t.Errorf("%s: the form lost what was typed", lang)
		}
		// Required fields are marked for eyes and for screen readers.
		if !regexp.MustCompile(`<label for="title_th">[^<]+<span class="req" aria-hidden="true"> \*</span></label>`).MatchString(body) ||
			!strings.Contains(body, `id="title_th" required aria-required="true"`) {
			t.Errorf("%s: the Thai title is not marked required", lang)
		}
	}
	// The title left empty is the store's refusal, also beside its field,
	// once the other mistakes are corrected.
	f = meetingForm(activity.Activity{TitleTH: "", AreaCode: "70051304"})
	if status, body, _ := c.post("/activities/new", f); status != http.StatusBadRequest || !fieldRefused(body, "title_th") {
		t.Errorf("an empty title: %d %s", status, problemText(body))
	}
	before, _ := app.store.Activities(context.Background(), activity.Filter{})
	if len(before) != 1 {
		t.Errorf("refused forms stored %d activities", len(before)-1)
	}
}

// fieldRefused reports whether the element with id is marked invalid and
// described by its error text, which is on the page.
func fieldRefused(body, id string) bool {
	tag := regexp.MustCompile(`<(input|select|textarea)[^>]* id="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(body)
	if tag == "" {
		return false
	}
	d := regexp.MustCompile(`aria-describedby="([^"]*)"`).FindStringSubmatch(tag)
	return strings.Contains(tag, `aria-invalid="true"`) && d != nil && strings.Contains(" "+d[1]+" ", " "+id+"-error ") &&
		strings.Contains(body, `id="`+id+`-error"`)
}

// fieldError is the error text beside a field.
func fieldError(body, id string) string {
	m := regexp.MustCompile(`<p class="field-error" id="` + regexp.QuoteMeta(id) + `-error">(.*?)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], " "))
}

// problemText is the summary of a refused form, without its markup.
func problemText(body string) string {
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(problemsOf(body), " ")), " ")
}

// The area pickers ask the area search for matches inside the account's
// area only.
func TestAreaSearchWithin(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	c := app.as(t, "")
	_, body, _ := c.get("/api/v1/areas?limit=5&within=700513&q=" + url.QueryEscape("หมู่ 4"))
	var got struct {
		Matches []struct {
			Code   string `json:"code"`
			PathTH string `json:"path_th"`
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err, body)
	}
	if len(got.Matches) != 1 || got.Matches[0].Code != "70051304" || !strings.Contains(got.Matches[0].PathTH, "หนองไม้เฝ้า") {
		t.Errorf("หมู่ 4 within ตำบลเขาขลุง: %+v", got.Matches)
	}
	_, body, _ = c.get("/api/v1/areas?limit=5&within=7005&q=" + url.QueryEscape("หมู่ 4"))
	got.Matches = nil
	json.Unmarshal([]byte(body), &got)
	if len(got.Matches) != 5 {
		t.Errorf("หมู่ 4 within อำเภอบ้านโป่ง, at most 5: %d", len(got.Matches))
	}
	for _, m := range got.Matches {
		if !strings.HasPrefix(m.Code, "7005") {
			t.Errorf("%s is outside อำเภอบ้านโป่ง", m.Code)
		}
	}
}

// The plan item form answers every mistake at once, each beside its field.
func TestPlanItemFormShowsEveryErrorBesideItsField(t *testing.T) {
	app := mustPlanApp(t)
	planURL, _ := mustPlan(t, app)
	c := app.as(t, "tambon")
	bad := url.Values{"title": {""}, "budget": {"ห้าหมื่น"}, "budget_source": {"local"}, "start": {"2021-11-01"}, "end": {"31/02/2564"}, "physical": {"150"}}
	status, body, _ := c.post(planURL+"/items", bad)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", status)
	}
	for _, id := range []string{"title", "budget", "end", "physical"} {
		if !fieldRefused(body, id) {
			t.Errorf("%s is not marked invalid beside its error: %s", id, problemText(body))
		}
	}
	if !strings.Contains(body, `name="start" value="2021-11-01"`) || !strings.Contains(body, "1 พ.ย. 2564") {
		t.Errorf("the start date picked is not shown again in the picker and in พ.ศ.")
	}
	if n := strings.Count(body, `aria-invalid="true"`); n != 4 {
		t.Errorf("%d fields marked invalid, want 4", n)
	}
}

// The sign-in form says which field is missing, and puts a refused
// password beside the password, to be typed again.
func TestLoginFormErrorsBesideFields(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	c := app.as(t, "")
	_, body, _ := c.post("/login?lang=en", url.Values{"username": {""}, "password": {""}})
	for _, id := range []string{"username", "password"} {
		if !fieldRefused(body, id) {
			t.Errorf("an empty %s is not refused beside it: %s", id, problemText(body))
		}
	}
	status, body, _ := c.post("/login", url.Values{"username": {"tambon"}, "password": {"not-the-password"}})
	if status != http.StatusUnauthorized || !fieldRefused(body, "password") || fieldRefused(body, "username") ||
		!strings.Contains(body, `name="username" value="tambon"`) {
		t.Errorf("a wrong password: %d %s", status, problemText(body))
	}
	if !strings.Contains(body, `id="username" required aria-required="true"`) {
		t.Errorf("the username is not marked required")
	}
}

// A partner's area and the areas it serves are found by name; a bad e-mail
// and an unknown name are both answered beside their fields at once.
func TestPartnerFormAreasByName(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	c := app.as(t, "tambon")
	form := url.Values{"kind": {"village_head"}, "name_th": {"นายสมบัติ ใจเย็น"}, "area": {"หนองไม้เฝ้า"}, "area_code": {""},
		"serves": {"700513"}, "serves_add": {"กรับใหญ่"}, "email": {"not-an-email"}}
	status, body, _ := c.post("/partners/new", form)
	if status != http.StatusBadRequest || !fieldRefused(body, "serves_add") || !strings.Contains(fieldError(body, "serves_add"), "ไม่พบพื้นที่") {
		t.Fatalf("an area served outside the tambon: %d %s", status, problemText(body))
	}
	if !strings.Contains(body, `name="serves_add" value="กรับใหญ่"`) {
		t.Errorf("the refused name is not shown again")
	}
	form.Set("serves_add", "หมู่ 5")
	status, body, _ = c.post("/partners/new", form)
	if status != http.StatusBadRequest || !fieldRefused(body, "email") {
		t.Fatalf("bad e-mail: %d %s", status, problemText(body))
	}
	if !strings.Contains(body, `name="serves" value="70051305" checked`) || !strings.Contains(body, `name="area_code" value="70051304"`) {
		t.Errorf("the areas found by name are not kept as ticked codes")
	}
	form.Set("email", "")
	status, body, h := c.post("/partners/new", form)
	if status != http.StatusSeeOther {
		t.Fatalf("good partner: %d %s", status, problemText(body))
	}
	var id int64
	fmt.Sscanf(h.Get("Location"), "/partners/%d", &id)
	p, err := app.store.Partner(context.Background(), id)
	if err != nil || p.AreaCode != "70051304" || !slices.Contains(p.Serves, "700513") || !slices.Contains(p.Serves, "70051305") {
		t.Errorf("stored %+v, %v", p, err)
	}
}

// A person recorded at an activity who is no longer among the partners the
// account may pick stays on the edit form, written by name.
func TestActivityEditKeepsPeopleNoLongerOffered(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	ctx := context.Background()
	away, err := app.store.CreatePartner(ctx, partner.Partner{Kind: partner.Person, NameTH: "นายย้าย ไปแล้ว", AreaCode: "700514"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	m := app.meeting
	m.Attendees = []activity.Attendee{{PartnerID: away.ID, Name: away.NameTH}}
	if _, err := app.store.UpdateActivity(ctx, m, "test"); err != nil {
		t.Fatal(err)
	}
	_, page, _ := app.as(t, "tambon").get(fmt.Sprintf("/activities/%d/edit", m.ID))
	if !strings.Contains(page, `name="guests-1-name" value="นายย้าย ไปแล้ว"`) || strings.Contains(page, `name="attendee_id" value="`+fmt.Sprint(away.ID)+`"`) {
		t.Errorf("the person no longer offered is not kept by name")
	}
}
