package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestProgrammePages(t *testing.T) {
	app := mustPlanApp(t)
	c := app.as(t, "tambon")
	create := func(form url.Values) string {
		t.Helper()
		status, body, h := c.post("/areas/700513/programmes", form)
		if status != http.StatusSeeOther {
			t.Fatalf("create %v: %d %s", form, status, body)
		}
		return h.Get("Location")
	}
	if status, body, _ := c.post("/areas/700513/programmes", url.Values{"type": {"lottery"}, "title": {"x"}, "fiscal_year": {"2564"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "lottery") {
		t.Errorf("unknown type: %d", status)
	}
	leaders := create(url.Values{"type": {"change_leaders"}, "title": {"ผู้นำการเปลี่ยนแปลง"}, "fiscal_year": {"2564"}, "quota": {"2"}})
	for _, name := range []string{"นายประยูร ทองมา", "นายสมบัติ ใจเย็น"} {
		if status, body, _ := c.post(leaders+"/participants", url.Values{"name": {name}, "area": {"70051304"}, "f_role": {"village_head"}, "status": {"enrolled"}}); status != http.StatusSeeOther {
			t.Fatalf("join %s: %d %s", name, status, body)
		}
	}
	for _, b := range []struct {
		form url.Values
		says string
	}{
		{url.Values{"name": {"c"}, "area": {"70051304"}, "status": {"enrolled"}}, "โควตา 2"},
		{url.Values{"name": {"d"}, "area": {"70051304"}, "f_role": {"king"}, "status": {"enrolled"}}, "king"},
	} {
		if status, body, _ := c.post(leaders+"/participants", b.form); status != http.StatusUnprocessableEntity || !strings.Contains(body, b.says) {
			t.Errorf("%v: %d, want 422 saying %q", b.form, status, b.says)
		}
	}
	_, body, _ := c.get(leaders)
	ids := regexp.MustCompile(`name="attendee" value="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(ids) != 2 || !strings.Contains(body, "ผู้เข้าร่วม 2/2") {
		t.Fatalf("leaders page: %d attendee boxes", len(ids))
	}
	if status, _, _ := c.post(leaders+"/sessions", url.Values{"title": {"Kick-off"}, "date": {"1/3/2564"}, "place": {"ศาลาประชาคม หมู่ 4"}, "attendee": {ids[0][1], ids[1][1]}}); status != http.StatusSeeOther {
		t.Fatalf("session: %d", status)
	}
	if _, body, _ = c.get(leaders); !strings.Contains(body, "1 มี.ค. 2564") || !strings.Contains(body, "เข้าร่วม 2 คน") {
		t.Error("the kick-off is not listed with its attendance and Thai date")
	}

	// Model information tambon: a step with evidence and committee scores.
	model := create(url.Values{"type": {"model_info_tambon"}, "title": {"ตำบลสารสนเทศต้นแบบ"}, "fiscal_year": {"2564"}})
	c.post(model+"/participants", url.Values{"name": {"ตำบลเขาขลุง"}, "area": {"700513"}, "level": {"province"}, "status": {"selected"}})
	_, body, _ = c.get(model)
	pid := regexp.MustCompile(`name="participant"><option value="(\d+)"`).FindStringSubmatch(body)
	if pid == nil {
		t.Fatal("no participant to score")
	}
	if status, _, _ := c.post(model+"/steps", url.Values{"participant": {pid[1]}, "step": {"present"}, "date": {"18/1/2564"}, "evidence": {"ศูนย์ข้อมูลตำบล"}}); status != http.StatusSeeOther {
		t.Errorf("step: %d", status)
	}
	scores := url.Values{"participant": {pid[1]}, "judge": {"กรรมการ 1"}, "c_process": {"80"}, "c_data": {"80"}, "c_presentation": {"80"}, "c_use": {"80"}, "c_sustain": {"80"}}
	if status, _, _ := c.post(model+"/scores", scores); status != http.StatusSeeOther {
		t.Errorf("scores: %d", status)
	}
	scores.Set("c_use", "120")
	if status, body, _ := c.post(model+"/scores", scores); status != http.StatusUnprocessableEntity || !strings.Contains(body, "120") {
		t.Errorf("a score of 120: %d", status)
	}
	if _, body, _ = c.get(model); !strings.Contains(body, "<strong>80.00</strong>") || !strings.Contains(body, "ศูนย์ข้อมูลตำบล") {
		t.Error("the weighted score or the step's evidence is missing")
	}

	// The rubric is configurable: weights must sum to 100.
	rubric := url.Values{"key_0": {"process"}, "th_0": {"กระบวนการ"}, "weight_0": {"50"}, "th_5": {"นวัตกรรม"}, "en_5": {"Innovation"}, "weight_5": {"40"}}
	if status, body, _ := c.post(model+"/rubric", rubric); status != http.StatusUnprocessableEntity || !strings.Contains(body, "100") {
		t.Errorf("weights summing to 90: %d", status)
	}
	rubric.Set("weight_5", "50")
	if status, _, _ := c.post(model+"/rubric", rubric); status != http.StatusSeeOther {
		t.Errorf("a new rubric: %d", status)
	}
	if _, body, _ = c.get(model); !strings.Contains(body, "นวัตกรรม") || strings.Contains(body, "ความยั่งยืนและเครือข่าย") {
		t.Error("the new rubric is not the programme's")
	}

	// Scopes.
	for _, tc := range []struct {
		user, path string
		want       int
	}{
		{"partner", leaders, 200},
		{"district", model, 200},
		{"viewer", leaders, 403},
		{"moo4", leaders, 403},
		{"viewer", "/areas/700513/programmes", 403},
		{"tambon", "/programmes/999999", 404},
	} {
		if status, _, _ := app.as(t, tc.user).get(tc.path); status != tc.want {
			t.Errorf("%s GET %s: %d, want %d", tc.user, tc.path, status, tc.want)
		}
	}
	if status, _, _ := app.as(t, "partner").post(leaders+"/participants", url.Values{"name": {"x"}, "area": {"700513"}}); status != http.StatusForbidden {
		t.Errorf("partner adds a participant: %d", status)
	}
}

// The province runs the model-tambon selection; the tambon it chose sees
// it among its programmes and may read it, but not change it.
func TestChosenTambonSeesTheProvinceSelection(t *testing.T) {
	app := mustPlanApp(t)
	prov := app.as(t, "province")
	status, body, h := prov.post("/areas/70/programmes", url.Values{"type": {"model_info_tambon"}, "title": {"ตำบลสารสนเทศต้นแบบ จังหวัดราชบุรี"}, "fiscal_year": {"2564"}})
	if status != http.StatusSeeOther {
		t.Fatalf("the province creates the selection: %d %s", status, body)
	}
	model := h.Get("Location")
	tambon := app.as(t, "tambon")
	if status, _, _ := tambon.get(model); status != http.StatusForbidden {
		t.Errorf("before Khao Khlung is chosen, its team GET %s: %d, want 403", model, status)
	}
	if status, _, _ := prov.post(model+"/participants", url.Values{"name": {"ตำบลเขาขลุง"}, "area": {"700513"}, "level": {"province"}, "status": {"selected"}}); status != http.StatusSeeOther {
		t.Fatalf("choose Khao Khlung: %d", status)
	}
	if _, body, _ := tambon.get("/areas/700513/programmes"); !strings.Contains(body, "ตำบลสารสนเทศต้นแบบ จังหวัดราชบุรี") {
		t.Error("the chosen tambon's programme list does not show the province's selection")
	}
	if status, body, _ := tambon.get(model); status != http.StatusOK || !strings.Contains(body, "ตำบลเขาขลุง") {
		t.Errorf("the chosen tambon's team GET %s: %d, want 200 naming ตำบลเขาขลุง", model, status)
	}
	if status, _, _ := tambon.post(model+"/participants", url.Values{"name": {"ตำบลอื่น"}, "area": {"700512"}, "status": {"selected"}}); status != http.StatusForbidden {
		t.Errorf("the tambon team adds to the province's selection: %d, want 403", status)
	}
}
