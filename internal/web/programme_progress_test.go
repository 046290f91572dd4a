package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
)

// After enrolment: a participant's values change on its own page with the
// history shown and audited; a nomination moves stage by stage (back only
// for an administrator, with a reason); a visit records what was seen and
// photos; and every form refuses a participant, garden or photo outside the
// programme or the account's area, writing nothing.
func TestProgrammeProgressPages(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { programmeProgress(t, mustHouseholdApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		programmeProgress(t, mustHouseholdAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn))))
	})
}

func programmeProgress(t *testing.T, app *householdApp) {
	ctx := context.Background()
	fx := mustRefFixture(t, app)
	st := app.store
	tambon, province := app.as(t, "tambon"), app.as(t, "province")
	progID := func(u string) int64 {
		id, _ := strconv.ParseInt(strings.TrimPrefix(u, "/programmes/"), 10, 64)
		return id
	}
	ptPage := func(prog string, id int64) string { return fmt.Sprintf("%s/participants/%d", prog, id) }

	// The participant's page: its own, yes; another programme's participant
	// under this programme, or another tambon's, no.
	if status, body, _ := tambon.get(ptPage(fx.inProg, fx.inPt)); status != http.StatusOK || !strings.Contains(body, "บ้านหนองไม้เฝ้า") {
		t.Fatalf("the participant's page: %d", status)
	}
	for _, c := range []struct {
		who  *client
		path string
		want int
	}{
		{tambon, ptPage(fx.inProg, fx.outPt), http.StatusNotFound},
		{tambon, ptPage(fx.outProg, fx.outPt), http.StatusForbidden},
		{province, ptPage(fx.outProg, fx.outPt), http.StatusOK},
		{tambon, fx.inProg + "/participants/x", http.StatusNotFound},
	} {
		if status, _, _ := c.who.get(c.path); status != c.want {
			t.Errorf("GET %s: %d, want %d", c.path, status, c.want)
		}
	}

	// Edit a leader's level and role: history with old → new in Thai, and audited.
	status, body, h := tambon.post("/areas/700513/programmes", url.Values{"type": {"change_leaders"}, "title": {"ผู้นำการเปลี่ยนแปลง"}, "fiscal_year": {"2564"}})
	if status != http.StatusSeeOther {
		t.Fatalf("programme: %d %s", status, body)
	}
	leaders := h.Get("Location")
	if status, body, _ := tambon.post(leaders+"/participants", url.Values{"name": {"นายประยูร ทองมา"}, "area": {"70051304"}, "f_role": {"volunteer"}}); status != http.StatusSeeOther {
		t.Fatalf("join: %d %s", status, body)
	}
	pts, _ := st.Participants(ctx, progID(leaders))
	leader := pts[0].ID
	edit := url.Values{"participant": {ids(leader)}, "status": {"trained"}, "level": {"district"}, "f_role": {"village_head"}, "f_phone": {"๐๘๑๒๓๔๕๖๗๘"},
		"action_plan": {"ตั้งกลุ่มออมทรัพย์"}, "note": {"ผ่านการอบรมรุ่นที่ 1"}}
	if status, body, h := tambon.post(leaders+"/changes", edit); status != http.StatusSeeOther || h.Get("Location") != ptPage(leaders, leader)+"#history" {
		t.Fatalf("edit: %d %s %s", status, h.Get("Location"), body)
	}
	_, body, _ = tambon.get(ptPage(leaders, leader))
	history := section(body, `id="history"`)
	for _, want := range []string{"เข้าร่วม", "ผ่านการอบรม", "อำเภอ", "อาสาสมัคร", "ผู้ใหญ่บ้าน", "0812345678", "ตั้งกลุ่มออมทรัพย์", "ผ่านการอบรมรุ่นที่ 1", "tambon"} {
		if !strings.Contains(history, want) {
			t.Errorf("the history lacks %q:\n%s", want, history)
		}
	}
	for _, code := range []string{">trained<", ">district<", ">village_head<"} {
		if strings.Contains(history, code) {
			t.Errorf("the history shows the code %s", code)
		}
	}
	_, en, _ := tambon.get(ptPage(leaders, leader) + "?lang=en")
	if h := section(en, `id="history"`); !strings.Contains(h, "village head") || !strings.Contains(h, "History of changes") {
		t.Errorf("the English history:\n%s", h)
	}
	tambon.get(ptPage(leaders, leader) + "?lang=th") // the language chosen stays with the session
	log, err := st.AuditLog(ctx, store.AuditFilter{Action: "programme.participant.edit"})
	if err != nil || len(log) != 1 || !strings.Contains(log[0].Detail, "ผ่านการอบรมรุ่นที่ 1") {
		t.Errorf("audit of the edit: %+v %v", log, err)
	}
	// Bad values are refused on the page, in Thai, writing nothing.
	bad := url.Values{"participant": {ids(leader)}, "status": {"trained"}, "level": {"galaxy"}}
	if status, body, _ := tambon.post(leaders+"/changes", bad); status != http.StatusUnprocessableEntity || !strings.Contains(body, "ไม่รู้จักระดับการคัดเลือก") {
		t.Errorf("an unknown level: %d", status)
	}
	if hist, _ := st.ParticipantChanges(ctx, progID(leaders)); len(hist) != 5 {
		t.Errorf("%d changes, want 5 (status, level, role, phone, action plan)", len(hist))
	}
	// A partner sees the page but has no form; posting is refused.
	if status, body, _ := app.as(t, "partner").get(ptPage(leaders, leader)); status != http.StatusOK || strings.Contains(body, `action="`+leaders+`/changes"`) {
		t.Errorf("a partner's page: %d, with the edit form: %v", status, strings.Contains(body, `action="`+leaders+`/changes"`))
	}
	if status, _, _ := app.as(t, "partner").post(leaders+"/changes", edit); status != http.StatusForbidden {
		t.Errorf("a partner edits: %d", status)
	}

	// Stages: forward by the tambon team; back refused to it, allowed to an
	// administrator with a reason; shown as a timeline.
	nom := fx.inPt
	stage := func(c *client, to, date, reason string) (int, string) {
		status, body, _ := c.post(fx.inProg+"/stages", url.Values{"participant": {ids(nom)}, "stage": {to}, "date": {date}, "reason": {reason}})
		return status, body
	}
	for _, step := range []struct{ to, date string }{{"submitted", "2564-02-01"}, {"shortlisted", "2564-03-15"}} {
		if status, body := stage(tambon, step.to, step.date, ""); status != http.StatusSeeOther {
			t.Fatalf("move to %s: %d %s", step.to, status, body)
		}
	}
	if status, body := stage(tambon, "submitted", "2564-03-16", "เอกสารไม่ครบ"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "เฉพาะผู้ดูแลระบบ") {
		t.Errorf("the tambon team moves back: %d", status)
	}
	if status, body, _ := tambon.post(fx.inProg+"/stages?lang=en", url.Values{"participant": {ids(nom)}, "stage": {"draft"}, "date": {"2564-03-16"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "only an administrator") {
		t.Errorf("moving back, in English: %d", status)
	}
	tambon.get(fx.inProg + "?lang=th")
	hash, _ := user.HashPassword(hhPassword)
	if _, err := st.CreateUser(ctx, user.User{Username: "admin", Role: user.Admin, AreaCode: "TH", PasswordHash: hash, DisplayName: "ผู้ดูแล"}); err != nil {
		t.Fatal(err)
	}
	admin := app.as(t, "admin")
	if status, body := stage(admin, "submitted", "2564-03-16", ""); status != http.StatusUnprocessableEntity || !strings.Contains(body, "ต้องระบุเหตุผล") {
		t.Errorf("an administrator moves back without a reason: %d", status)
	}
	if status, body := stage(admin, "submitted", "2564-03-16", "คณะกรรมการขอเอกสารเพิ่ม"); status != http.StatusSeeOther {
		t.Errorf("an administrator moves back with a reason: %d %s", status, body)
	}
	_, body, _ = tambon.get(ptPage(fx.inProg, nom))
	timeline := section(body, `id="stage-timeline"`)
	for _, want := range []string{"กำลังจัดทำ", "1 ก.พ. 2564", "15 มี.ค. 2564", "16 มี.ค. 2564", "คณะกรรมการขอเอกสารเพิ่ม"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, timeline)
		}
	}
	if strings.Contains(body, `id="stage-back"`) {
		t.Error("the tambon team is offered the form to move back")
	}
	if _, body, _ := admin.get(ptPage(fx.inProg, nom)); !strings.Contains(body, `id="stage-back"`) {
		t.Error("the administrator is not offered the form to move back")
	}

	// A garden visit: gardens and observations; a garden of a participant of
	// another programme is refused and writes nothing.
	for _, hh := range []int64{fx.inHH} {
		if status, body, _ := tambon.post(fx.vegProg+"/participants", url.Values{"name": {"ครัวเรือนแปลงผัก"}, "household": {ids(hh)}}); status != http.StatusSeeOther {
			t.Fatalf("household: %d %s", status, errorsOf(body))
		}
	}
	gpts, _ := st.Participants(ctx, progID(fx.vegProg))
	garden := gpts[0].ID
	before, _ := st.Sessions(ctx, progID(fx.vegProg))
	out := url.Values{"title": {"เยี่ยมแปลง"}, "date": {"2564-04-01"}, "garden_" + ids(fx.outPt): {"growing"}}
	if status, body, _ := tambon.post(fx.vegProg+"/sessions", out); status != http.StatusUnprocessableEntity || !strings.Contains(body, "ไม่ได้อยู่ในโครงการนี้") {
		t.Errorf("another programme's participant's garden: %d", status)
	}
	if after, _ := st.Sessions(ctx, progID(fx.vegProg)); len(after) != len(before) {
		t.Errorf("a refused visit was written: %+v", after)
	}
	visit := url.Values{"title": {"เยี่ยมแปลงผัก ครั้งที่ 1"}, "date": {"2564-04-01"}, "attendee": {ids(garden)}, "garden_" + ids(garden): {"harvesting"},
		"observations": {"ผักบุ้งและกะเพรางามดี เก็บขายได้แล้ว"}}
	if status, body, _ := tambon.post(fx.vegProg+"/sessions", visit); status != http.StatusSeeOther {
		t.Fatalf("the visit: %d %s", status, body)
	}
	ss, _ := st.Sessions(ctx, progID(fx.vegProg))
	se := ss[len(ss)-1]
	// A photo of the household's garden: stored without its metadata,
	// served to those who may see households, not to a partner.
	var jb bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, x%48, color.RGBA{20, 160, 40, 255})
	}
	jpeg.Encode(&jb, img, nil)
	photos := fmt.Sprintf("%s/sessions/%d/photos", fx.vegProg, se.ID)
	if status, body := tambon.postFile(photos, "file", "แปลง.jpg", jb.Bytes(), "participant", ids(garden), "caption", "แปลงผักหลังบ้าน"); status != http.StatusSeeOther {
		t.Fatalf("the photo: %d %s", status, body)
	}
	if status, _ := tambon.postFile(photos, "file", "แปลง.pdf", []byte("%PDF-1.4\n"), "participant", ids(garden)); status != http.StatusUnprocessableEntity {
		t.Errorf("a PDF as a photo: %d", status)
	}
	ss, _ = st.Sessions(ctx, progID(fx.vegProg))
	if n := len(ss[len(ss)-1].Photos); n != 1 {
		t.Fatalf("%d photos, want 1", n)
	}
	photo := fmt.Sprintf("%s/photos/%d", fx.vegProg, ss[len(ss)-1].Photos[0].ID)
	for _, c := range []struct {
		who  string
		want int
	}{{"tambon", http.StatusOK}, {"moo4", http.StatusForbidden}, {"partner", http.StatusForbidden}} {
		status, body, h := app.as(t, c.who).get(photo + "?size=thumb")
		if status != c.want {
			t.Errorf("%s GET the household's photo: %d, want %d", c.who, status, c.want)
		}
		if c.want == http.StatusOK && (h.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(body, "\xff\xd8")) {
			t.Errorf("the photo is not a JPEG: %s", h.Get("Content-Type"))
		}
	}
	_, body, _ = tambon.get(fx.vegProg)
	sessions := section(body, `id="session-list"`)
	for _, want := range []string{"เก็บผลผลิตได้แล้ว", "ผักบุ้งและกะเพรางามดี", "แปลงผักหลังบ้าน", photo + "?size=thumb"} {
		if !strings.Contains(html.UnescapeString(sessions), want) {
			t.Errorf("the visit list lacks %q", want)
		}
	}
	if _, body, _ := app.as(t, "partner").get(fx.vegProg); strings.Contains(body, photo) || strings.Contains(body, "แปลงผักหลังบ้าน") {
		t.Error("a partner's page shows the household's photo")
	}
	if status, body, _ := app.as(t, "partner").get(ptPage(fx.vegProg, garden)); status != http.StatusOK || strings.Contains(body, photo) || strings.Contains(body, "แปลงผักหลังบ้าน") {
		t.Errorf("a partner's view of the household's page: %d, shows its photo: %v", status, strings.Contains(body, photo))
	}
	_, body, _ = tambon.get(ptPage(fx.vegProg, garden))
	if v := section(body, `id="pt-visits"`); !strings.Contains(v, "เก็บผลผลิตได้แล้ว") || !strings.Contains(v, photo) {
		t.Errorf("the household's page lacks its visit:\n%s", v)
	}
}

// section returns the text of body from the element with attr to the end
// of its section (or 4000 bytes).
func section(body, attr string) string {
	i := strings.Index(body, attr)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest[:min(len(rest), 4000)]
}
