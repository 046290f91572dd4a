package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/assign"
	"tambon/internal/store"
)

// The tambon team assigns villages and households on the assignments page,
// records a visit outcome, and sees progress per enumerator and per
// village, also in the Excel file; refusals come in Thai, nothing
// half-written, every change in the audit log; the page is the tambon
// team's alone.
func TestAssignmentsPage(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	page := "/rounds/" + round2562 + "/areas/700513/assignments"
	team := app.as(t, "tambon")
	status, body, _ := team.get(page)
	if status != http.StatusOK || !strings.Contains(body, "มอบงานสำรวจ") || !strings.Contains(body, `id="assign-nopeople"`) {
		t.Fatalf("the empty page: %d %.300s", status, errorsOf(body))
	}
	if _, dash, _ := team.get("/rounds/" + round2562 + "/areas/700513/completeness"); !strings.Contains(dash, `href="`+page+`"`) {
		t.Error("the completeness dashboard does not link to the assignments")
	}
	for _, who := range []string{"moo4", "district", "partner", ""} {
		if status, _, _ := app.as(t, who).get(page); status != http.StatusForbidden && status != http.StatusUnauthorized && status != http.StatusSeeOther {
			t.Errorf("%q opens the assignments page: %d", who, status)
		}
		if who != "" {
			if status, _, _ := app.as(t, who).post(page, url.Values{"village": {"70051304"}, "username": {"moo4"}}); status < 400 {
				t.Errorf("%q assigns: %d", who, status)
			}
		}
	}
	if _, moo4dash, _ := app.as(t, "moo4").get("/rounds/" + round2562 + "/areas/70051304/completeness"); strings.Contains(moo4dash, page) {
		t.Error("an enumerator's dashboard links to the assignments page")
	}

	// หมู่ 4 to its enumerator; หมู่ 1 refused to it, in Thai, nothing written.
	if status, _, h := team.post(page, url.Values{"village": {"70051304"}, "username": {"moo4"}}); status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=assign") {
		t.Fatalf("assign หมู่ 4: %d %v", status, h)
	}
	status, body, _ = team.post(page, url.Values{"village": {"70051301"}, "username": {"moo4"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "ไม่ครอบคลุมหมู่บ้าน 70051301") {
		t.Errorf("หมู่ 1 to หมู่ 4's enumerator: %d %s", status, errorsOf(body))
	}
	if as, err := app.store.Assignments(ctx, round2562, "700513"); err != nil || len(as) != 1 {
		t.Errorf("after the refusal: %+v %v", as, err)
	}
	// Two households of หมู่ 1 to the tambon officer, ticked.
	panel, err := app.store.AssignPanel(ctx, round2562, "70051301", false)
	if err != nil || len(panel) < 3 {
		t.Fatalf("หมู่ 1's households of 2561: %d %v", len(panel), err)
	}
	id := func(h assign.Household) string { return strconv.FormatInt(h.ID, 10) }
	if status, _, _ := team.post(page, url.Values{"village": {"70051301"}, "username": {"tambon"}, "household": {id(panel[0]), id(panel[1])}}); status != http.StatusSeeOther {
		t.Fatalf("assign two households: %d", status)
	}
	// หมู่ 4's first household moved away.
	moo4, err := app.store.AssignPanel(ctx, round2562, "70051304", false)
	if err != nil || len(moo4) == 0 {
		t.Fatal(err)
	}
	outcomes := "/rounds/" + round2562 + "/areas/700513/outcomes"
	if status, _, _ := team.post(outcomes, url.Values{"village": {"70051304"}, "household": {id(moo4[0])}, "outcome": {"moved"}, "note": {"ย้ายไปอยู่กับลูกที่ชลบุรี"}}); status != http.StatusSeeOther {
		t.Fatalf("record an outcome: %d", status)
	}
	status, body, _ = team.post(outcomes, url.Values{"village": {"70051304"}, "household": {id(moo4[1])}, "outcome": {"visited"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "ผลการเยี่ยมต้องเป็น") {
		t.Errorf("an outcome that is not one: %d %s", status, errorsOf(body))
	}

	p, err := app.store.AssignProgress(ctx, round2562, "700513")
	if err != nil {
		t.Fatal(err)
	}
	var mine store.EnumeratorProgress
	for _, e := range p.Enumerators {
		if e.User == "moo4" {
			mine = e
		}
	}
	if mine.Households != len(moo4) || mine.Moved != 1 || mine.Households != mine.Visited+mine.Remaining+mine.Refused+mine.Moved+mine.NotFound {
		t.Errorf("moo4's progress %+v, want %d households, one moved, adding up", mine, len(moo4))
	}
	_, body, _ = team.get(page + "?village=70051304")
	for _, want := range []string{`data-user="moo4"`, `data-user="tambon"`, "ย้ายออก/ครัวเรือนยุบ", "ย้ายไปอยู่กับลูกที่ชลบุรี", `id="assign-hh-table"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, moo4[0].HouseCode) && moo4[0].HouseCode != "" {
		t.Error("the page shows a house code")
	}
	if _, en, _ := team.get(page + "?lang=en"); !strings.Contains(en, "By enumerator") || strings.Contains(en, "[assign.") {
		t.Error("the English page lacks its words")
	}

	// The Excel file: the same counts.
	wb := mustXLSX(t, team, page+".xlsx")
	if len(wb.names) != 2 {
		t.Fatalf("sheets %v", wb.names)
	}
	found := false
	for _, row := range wb.sheet(0)[1:] {
		if strings.Contains(row[0], "moo4") {
			found = true
			want := []string{"1", strconv.Itoa(mine.Households), strconv.Itoa(mine.Visited), strconv.Itoa(mine.Remaining), "0", "1", "0", strconv.Itoa(mine.New)}
			if strings.Join(row[1:9], ",") != strings.Join(want, ",") {
				t.Errorf("moo4's row %v, want %v", row[1:9], want)
			}
		}
	}
	if !found {
		t.Errorf("the file has no row for moo4: %v", wb.sheet(0))
	}
	villages := wb.sheet(1)
	total := villages[len(villages)-1]
	if n, _ := strconv.Atoi(total[3]); n != p.Total().Households {
		t.Errorf("the file's total %v, want %d households", total, p.Total().Households)
	}

	// Every change is audited.
	for _, action := range []string{"assign.change", "assign.outcome"} {
		es, err := app.store.AuditLog(ctx, store.AuditFilter{Action: action})
		if err != nil || len(es) == 0 {
			t.Errorf("no %s in the audit log: %v", action, err)
		}
	}
	es, _ := app.store.AuditLog(ctx, store.AuditFilter{Action: "assign.change"})
	if len(es) != 2 {
		t.Errorf("%d assignments audited, want the 2 accepted", len(es))
	}
}
