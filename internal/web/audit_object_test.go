package web_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// objectCells are the audit log's object column, as shown.
func objectCells(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)class="audit-object">(.*?)</td>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// The object column names what an official knows — the account's name, the
// house number and village, the round's and the set's names — never the
// stored reference.
func TestAuditLogNamesObjects(t *testing.T) {
	app := mustAdminApp(t)
	ctx := context.Background()
	hash, _ := user.HashPassword(hhPassword)
	if _, err := app.store.CreateUser(ctx, user.User{Username: "malee", DisplayName: "มาลี ใจดี", Role: user.Tambon, AreaCode: "700513", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	var hh survey.Record
	if err := app.store.EachHousehold(ctx, round2562, "70051304", func(r survey.Record) error {
		if hh.ID == 0 && r.Household.HouseNo != "" {
			hh = r
		}
		return nil
	}); err != nil || hh.ID == 0 {
		t.Fatalf("no household in the fixture: %v", err)
	}
	objects := []string{"user:malee", "household:" + strconv.FormatInt(hh.ID, 10), "household:987654", "round:" + round2562,
		"set:bmn-2560-2564", "welfare:3", "submission:12", "mystery_kind:42", "completeness:" + round2562}
	for _, o := range objects {
		if err := app.store.Audit(ctx, store.AuditEntry{User: "admin", Action: "household.view", Area: "70051304", Object: o}); err != nil {
			t.Fatal(err)
		}
	}
	_, body, _ := app.as(t, "admin").get("/admin/audit?user=admin&lang=th")
	cells := objectCells(body)
	if len(cells) != len(objects) {
		t.Fatalf("%d object cells, want %d", len(cells), len(objects))
	}
	all := strings.Join(cells, "\n")
	for _, o := range objects {
		if strings.Contains(all, o) {
			t.Errorf("the object column shows the reference %q:\n%s", o, all)
		}
	}
	for _, want := range []string{"มาลี ใจดี", "บ้านเลขที่ " + hh.Household.HouseNo + " หมู่ 4 บ้าน", `href="/households/` + strconv.FormatInt(hh.ID, 10) + `"`,
		"ครัวเรือนที่ถูกลบแล้ว", "จปฐ. ปี 2562", "ฉบับที่ 1", `href="/admin/sets/bmn-2560-2564/1"`, `href="/submissions/12"`, "รายการ (mystery kind)", "ความครบถ้วนของการสำรวจ จปฐ. ปี 2562"} {
		if !strings.Contains(all, want) {
			t.Errorf("the object column lacks %q:\n%s", want, all)
		}
	}
	_, body, _ = app.as(t, "admin").get("/admin/audit?user=admin&lang=en")
	if all := strings.Join(objectCells(body), "\n"); !strings.Contains(all, "House no. "+hh.Household.HouseNo) || !strings.Contains(all, "Account มาลี ใจดี") {
		t.Errorf("English object column:\n%s", all)
	}
	app.as(t, "admin").get("/admin/audit?lang=th")
}
