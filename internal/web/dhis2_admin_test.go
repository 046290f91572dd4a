package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/user"
)

// An administrator uploads a tambon's exact DHIS2 export on
// Administration → DHIS2: a new aggregate round is made of it, saying it
// came from DHIS2, and shows the source round's figures. A broken file is
// refused with its problems listed and writes nothing; only who may open
// rounds sees the page. What the aggregate round does not keep of the
// file (its coverage and certification, the net income) is said.
func TestDHIS2AdminImport(t *testing.T) {
	app := mustAdminApp(t)
	tok := mustToken(t, app.store, "khaokhlung-dhis2", user.Tambon, "700513")
	status, export, _ := odataGet(t, app.ts.URL, "/api/v1/dhis2/adx?round="+round2562+"&area=700513", tok)
	if status != http.StatusOK {
		t.Fatalf("export: %d %s", status, export)
	}
	admin := app.as(t, "admin")
	if status, body, _ := admin.get("/admin/dhis2"); status != http.StatusOK || !strings.Contains(body, `id="dhis2-import"`) {
		t.Fatalf("the page: %d", status)
	}
	for _, who := range []string{"tambon", "padmin"} {
		if status, _, _ := app.as(t, who).get("/admin/dhis2"); status != http.StatusForbidden {
			t.Errorf("%s opens the DHIS2 import: %d", who, status)
		}
	}

	bad := strings.Replace(export, `dataElement="TBN_HOUSEHOLDS" value="`, `dataElement="TBN_HOUSEHOLDS" value="x`, 1)
	status, body := admin.postFile("/admin/dhis2", "file", "khaokhlung.adx", []byte(bad), "round", "dhis2-2562")
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="dhis2-problems"`) || !strings.Contains(body, "khaokhlung.adx, row 4") {
		i := strings.Index(body, "<main")
		t.Errorf("a broken file: %d\n%.3000s", status, body[max(i, 0):])
	}
	if _, err := app.store.Round(context.Background(), "dhis2-2562"); err == nil {
		t.Fatal("a refused file created its round")
	}
	status, body = admin.postFile("/admin/dhis2", "file", "khaokhlung.adx", []byte(export), "round", "dhis2-2562")
	if status != http.StatusOK || !strings.Contains(body, `id="dhis2-done"`) {
		t.Fatalf("the import: %d\n%.2000s", status, body)
	}
	// What the round does not keep of the file is said, in Thai and in English.
	for _, want := range []string{"ไม่ใช่ตัวเลขที่รับรองแล้ว", "รายได้สุทธิของครัวเรือนอ่านและตรวจแล้วแต่ไม่ได้บันทึก"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page after the import does not say %q", want)
		}
	}
	status, body = admin.postFile("/admin/dhis2?lang=en", "file", "khaokhlung.adx", []byte(export), "round", "dhis2-2562")
	for _, want := range []string{"shown as published figures, never as certified", "net income was read and checked but not stored"} {
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("the English page after the import (%d) does not say %q", status, want)
		}
	}
	rd, err := app.store.Round(context.Background(), "dhis2-2562")
	if err != nil || !rd.AggregateOnly || rd.Source != "DHIS2 (khaokhlung.adx)" || rd.SurveyYear != 2562 {
		t.Fatalf("the imported round: %+v, %v", rd, err)
	}
	status, _ = admin.postFile("/admin/dhis2", "file", "khaokhlung.adx", []byte(export), "round", round2562)
	if status != http.StatusUnprocessableEntity {
		t.Errorf("an import into a round of households: %d", status)
	}
	for _, code := range []string{"700513", "70051304"} {
		var src, imp struct {
			Households int64
			Indicators []struct{ Surveyed, Passed *int64 }
			MPI        *struct{ N, Q *int64 }
		}
		for round, into := range map[string]any{round2562: &src, "dhis2-2562": &imp} {
			status, body, _ := admin.get("/api/v1/areas/" + code + "/results?round=" + round)
			if status != http.StatusOK {
				t.Fatalf("results of %s in %s: %d", code, round, status)
			}
			json.Unmarshal([]byte(body), into)
		}
		a, _ := json.Marshal(src)
		b, _ := json.Marshal(imp)
		if src.Households == 0 || string(a) != string(b) {
			t.Errorf("%s: source %s, imported %s", code, a, b)
		}
	}
	entries, _, err := app.store.SearchAudit(context.Background(), store.AuditQuery{User: "admin", Action: "dhis2.import", Limit: 5})
	if err != nil || len(entries) != 2 || entries[0].Object != "round:dhis2-2562" { // the file, imported twice
		t.Errorf("audit: %+v, %v", entries, err)
	}
}
