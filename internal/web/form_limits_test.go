package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFormFieldsAreCapped: every posted form goes through one length
// check, before its handler: a field of 100,000 characters is refused with a
// message naming it, in Thai and English, whether the handler reads the
// field or not; an ordinary long text passes to the handler's own rules.
func TestFormFieldsAreCapped(t *testing.T) {
	app := mustPlanApp(t)
	c := app.as(t, "tambon")
	huge := strings.Repeat("ก", 100_000) // 900 kB once encoded, under the 2 MB a form may be
	plan := url.Values{"round": {round2561}, "fiscal_year": {"2564"}, "title": {"แผน"}, "pick": {"bmn:1"}}
	for _, field := range []string{"title", "unread_field"} {
		form := url.Values{}
		for k, v := range plan {
			form[k] = v
		}
		form.Set(field, huge)
		status, body, _ := c.post("/areas/700513/plans", form)
		if status != http.StatusBadRequest || !strings.Contains(body, field) || !strings.Contains(body, "20000") {
			t.Errorf("%s of %d characters: %d, want 400 naming the field and the limit", field, len([]rune(huge)), status)
		}
	}
	form := url.Values{"username": {"tambon"}, "password": {strings.Repeat("x", 30_000)}}
	if status, body, _ := app.as(t, "").post("/login", form); status != http.StatusBadRequest || !strings.Contains(body, "password") {
		t.Errorf("a 30,000-character password: %d, want refused at the door", status)
	}
	// 19,000 characters reach the handler, whose own limit answers.
	form = url.Values{}
	for k, v := range plan {
		form[k] = v
	}
	form.Set("title", strings.Repeat("ก", 19_000))
	if status, body, _ := c.post("/areas/700513/plans", form); status == http.StatusBadRequest && strings.Contains(body, "20000") {
		t.Errorf("19,000 characters refused at the door: %d", status)
	}
}
