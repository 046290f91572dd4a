package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"tambon/internal/store"
	"tambon/internal/thai"
)

// auditedNames are the actions the sources log through audited("…").
func auditedNames(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	for _, src := range sources(t) {
		for _, m := range regexp.MustCompile(`audited\("([a-z_.]+)"`).FindAllStringSubmatch(src, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				out = append(out, m[1])
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("found only %d audited routes", len(out))
	}
	return out
}

func auditRows(body string) [][2]string {
	var out [][2]string
	for _, m := range regexp.MustCompile(`<tr data-action="([^"]+)" data-user="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, [2]string{m[1], m[2]})
	}
	return out
}

func TestAuditLogPage(t *testing.T) {
	app := mustAdminApp(t)
	ctx := context.Background()
	bkk := thai.Bangkok()
	// 60 views by the tambon team in March 2024 (one a day, 2 a day from the
	// 1st), 5 exports by district in April, one in Bangkok.
	for i := range 60 {
		at := time.Date(2024, 3, 1+i/2, 9+i%2, 0, 0, 0, bkk)
		if err := app.store.Audit(ctx, store.AuditEntry{At: at, User: "tambon", Action: "household.view", Area: "70051304", Object: fmt.Sprintf("household:%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		if err := app.store.Audit(ctx, store.AuditEntry{At: time.Date(2024, 4, 2+i, 10, 0, 0, 0, bkk), User: "district", Action: "export.personal", Area: "7005", Object: "households"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.store.Audit(ctx, store.AuditEntry{At: time.Date(2024, 4, 3, 10, 0, 0, 0, bkk), User: "bkk", Action: "household.view", Area: "10", Object: "household:999"}); err != nil {
		t.Fatal(err)
	}
	admin := app.as(t, "admin")

	// Every action has a label in Thai and in English: the choices never show a code.
	for _, lang := range []string{"th", "en"} {
		_, body, _ := admin.get("/admin/audit?lang=" + lang)
		sel := body[strings.Index(body, `<select id="a-action"`):]
		sel = sel[:strings.Index(sel, "</select>")]
		for _, name := range append(auditedNames(t), "export.personal", "user.password", "round.review", "personal.reveal") {
			m := regexp.MustCompile(`<option value="` + regexp.QuoteMeta(name) + `"[^>]*>([^<]+)</option>`).FindStringSubmatch(sel)
			if m == nil || m[1] == name || strings.Contains(m[1], "[audit.") {
				t.Errorf("%s: the action %s has no label: %v", lang, name, m)
			}
		}
	}
	admin.get("/admin/audit?lang=th")

	// Filter by person and action, in Thai: the label stands in the table.
	_, body, _ := admin.get("/admin/audit?user=district&action=export.personal")
	rows := auditRows(body)
	if len(rows) != 5 || !strings.Contains(body, "ดาวน์โหลดไฟล์ที่มีข้อมูลส่วนบุคคล") || !strings.Contains(body, `<option value="district" selected>`) {
		t.Errorf("district's exports: %d rows", len(rows))
	}
	for _, r := range rows {
		if r != [2]string{"export.personal", "district"} {
			t.Errorf("row %v in district's exports", r)
		}
	}
	// Dates: a week of March, both ends included (Thai or picker dates).
	for _, q := range []string{"from=2024-03-04&to=2024-03-10", "from=" + "4/3/2567" + "&to=" + "10/3/2567"} {
		_, body, _ = admin.get("/admin/audit?user=tambon&" + q)
		if n := len(auditRows(body)); n != 14 {
			t.Errorf("%s: %d entries, want 14", q, n)
		}
	}
	if status, body, _ := admin.get("/admin/audit?from=31/02/2567"); status != http.StatusBadRequest || !strings.Contains(body, "ตั้งแต่วันที่") {
		t.Errorf("an impossible date: %d", status)
	}
	// Pages of 50, every entry once.
	_, body, _ = admin.get("/admin/audit?user=tambon")
	first := auditRows(body)
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body)
	if len(first) != 50 || next == nil || !strings.Contains(body, "พบ 60 รายการ") {
		t.Fatalf("page 1: %d rows", len(first))
	}
	_, body, _ = admin.get(html.UnescapeString(next[1]))
	if n := len(auditRows(body)); n != 10 {
		t.Errorf("page 2: %d rows, want 10", n)
	}
	// The older query string still works, harmlessly.
	if status, body, _ := admin.get("/admin/audit?object=household:7&limit=5"); status != 200 || len(auditRows(body)) != 1 {
		t.Errorf("?object=&limit=: %d, %d rows", status, len(auditRows(body)))
	}
	// A detail reads as names and values, not as JSON.
	if err := app.store.Audit(ctx, store.AuditEntry{User: "admin", Action: "user.create", Area: "700513", Object: "user:somsri", Detail: `{"role":"tambon","rows":34}`}); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := admin.get("/admin/audit?object=user:somsri"); !strings.Contains(body, "role: tambon · rows: 34") || strings.Contains(body, `{&#34;role`) {
		t.Error("the detail is shown as JSON")
	}
	// English.
	_, body, _ = admin.get("/admin/audit?user=district&action=export.personal&lang=en")
	if !strings.Contains(body, "File with personal data downloaded") || !strings.Contains(body, "5 entries found") {
		t.Error("the English audit log does not name the action in English")
	}
	admin.get("/admin/audit?lang=th")

	// A provincial officer: only the province's people and entries.
	province := app.as(t, "province")
	_, body, _ = province.get("/admin/audit")
	if strings.Contains(body, `<option value="bkk"`) || strings.Contains(body, `data-user="bkk"`) || !strings.Contains(body, `<option value="tambon"`) {
		t.Error("the province's audit log offers or shows Bangkok")
	}
	if _, body, _ = province.get("/admin/audit?user=bkk"); len(auditRows(body)) != 0 {
		t.Error("the province officer sees a Bangkok account's entries by asking")
	}
	if status, _, _ := province.get("/admin/audit?area=10"); status != http.StatusForbidden {
		t.Errorf("the province officer asks for Bangkok: %d", status)
	}
	if status, _, _ := app.as(t, "tambon").get("/admin/audit"); status != http.StatusForbidden {
		t.Errorf("a tambon officer opens the audit log: %d", status)
	}
}
