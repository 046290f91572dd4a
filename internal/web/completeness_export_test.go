package web_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The completeness dashboard's Excel file holds its table and the accounts'
// work, read back with excelize; it keeps the page's scope, and a file that
// names the accounts is in the audit log.
func TestCompletenessExport(t *testing.T) {
	app := mustHouseholdApp(t)
	c, err := app.store.RoundCompleteness(context.Background(), round2562, "700513")
	if err != nil {
		t.Fatal(err)
	}
	path := "/rounds/" + round2562 + "/areas/700513/completeness.xlsx"
	tambon := app.as(t, "tambon")
	if _, page, _ := tambon.get("/rounds/" + round2562 + "/areas/700513/completeness"); !strings.Contains(page, `href="`+path+`"`) {
		t.Error("the dashboard does not link to its Excel file")
	}
	wb := mustXLSX(t, tambon, path)
	if len(wb.names) != 2 {
		t.Fatalf("sheets %v, want the villages and the accounts", wb.names)
	}
	rows := wb.sheet(0)
	if len(rows) != 1+len(c.Villages) || rows[0][0] != "หมู่บ้าน" || rows[0][2] != "สำรวจแล้ว" {
		t.Fatalf("village sheet: %d rows (want %d), header %v", len(rows), 1+len(c.Villages), rows[0])
	}
	for i, v := range c.Villages {
		if got := rows[1+i][2]; got != strconv.Itoa(v.Surveyed) {
			t.Errorf("village %s: surveyed %q, want %d", v.Code, got, v.Surveyed)
		}
		if rows[1+i][0] == v.Code || rows[1+i][0] == "" {
			t.Errorf("village %s is not named: %q", v.Code, rows[1+i][0])
		}
	}
	people := wb.sheet(1)
	if len(people) != 1+len(c.Enumerators) || len(c.Enumerators) == 0 || people[1][0] != c.Enumerators[0].User ||
		people[1][2] != strconv.Itoa(c.Enumerators[0].Households) {
		t.Errorf("accounts sheet %v, want %+v", people, c.Enumerators)
	}
	if es := exportAudit(t, app.store, "completeness:"+round2562); len(es) != 1 || es[0].User != "tambon" || es[0].Area != "700513" {
		t.Errorf("audit of the file: %+v", es)
	}
	// A district's file has the tambons, with their review status, in English too.
	district := app.as(t, "district")
	district.get("/areas/7005?lang=en")
	wb = mustXLSX(t, district, "/rounds/"+round2562+"/areas/7005/completeness.xlsx")
	rows = wb.sheet(0)
	col := slices.Index(rows[0], "Review status")
	found := false
	for _, r := range rows[1:] {
		if r[0] == "Khao Khlung" || strings.Contains(r[0], "Khao Khlung") {
			found = true
			if last := r[max(col, 0)]; last != "open" {
				t.Errorf("เขาขลุง's review status %q", last)
			}
		}
	}
	if !found || col < 0 {
		t.Errorf("district file: header %v, เขาขลุง found %v", rows[0], found)
	}
	// The page's scope: a village enumerator may not have the tambon's file.
	if st, _, _ := app.as(t, "moo4").get(path); st != 403 {
		t.Errorf("moo4 downloads the tambon's file: %d", st)
	}
}
