package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// Before any กชช. 2ค round is opened, the menu's village link opens a page
// that says so in Thai and English, and how a round is opened: a link to
// the rounds page for an account that may open one, whom to ask otherwise.
func TestVillagesBeforeAnyRound(t *testing.T) {
	app := mustAdminApp(t)
	for _, tc := range []struct {
		who      string
		mayOpen  bool
		lang     string
		sentence string
	}{
		{"admin", true, "th", "ยังไม่มีรอบสำรวจข้อมูลพื้นฐานระดับหมู่บ้าน"},
		{"admin", true, "en", "No village survey round"},
		{"tambon", false, "th", "โปรดติดต่อผู้ดูแลระบบ"},
		{"", false, "en", "please contact your office"},
	} {
		c := app.as(t, tc.who)
		status, body, _ := c.get("/villages/?lang=" + tc.lang)
		if status != http.StatusOK || !strings.Contains(body, tc.sentence) {
			t.Errorf("%q %s: status %d, no %q", tc.who, tc.lang, status, tc.sentence)
		}
		if got := strings.Contains(body, `href="/admin/rounds#kcc2k"`); got != tc.mayOpen {
			t.Errorf("%q %s: link to open a round %v, want %v", tc.who, tc.lang, got, tc.mayOpen)
		}
		if status, _, _ := c.get("/admin/rounds"); tc.mayOpen && status != http.StatusOK {
			t.Errorf("%q: the rounds page the link leads to answers %d", tc.who, status)
		}
	}
}
