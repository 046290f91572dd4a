package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tambon/internal/activity"
	"tambon/internal/partner"
	"tambon/internal/plan"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/thai"
)

// workbook is an exported file read back: its sheets in order, each as rows
// of cell text (the header first).
type workbook struct {
	names  []string
	sheets map[string][][]string
}

func (w workbook) sheet(i int) [][]string { return w.sheets[w.names[i]] }

// mustXLSX downloads path as c and reads it back with excelize; the
// response must be a workbook.
func mustXLSX(t *testing.T, c *client, path string) workbook {
	t.Helper()
	status, body, h := c.get(path)
	if status != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") ||
		!strings.Contains(h.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("GET %s: %d %s %.200s", path, status, h.Get("Content-Type"), body)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: not a workbook: %v", path, err)
	}
	defer f.Close()
	w := workbook{names: f.GetSheetList(), sheets: map[string][][]string{}}
	for _, name := range w.names {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows { // excelize drops empty cells at a row's end
			for len(rows[i]) < 16 {
				rows[i] = append(rows[i], "")
			}
		}
		w.sheets[name] = rows
	}
	return w
}

func exportAudit(t *testing.T, s *store.Store, object string) []store.AuditEntry {
	t.Helper()
	es, err := s.AuditLog(context.Background(), store.AuditFilter{Action: "export.personal", Object: object})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// mustHelpedPlan is mustPlan with one item, three target households and
// help to them (two delivered, one cancelled): returns the plan's and the
// item's URLs.
func mustHelpedPlan(t *testing.T, app *householdApp) (string, string) {
	t.Helper()
	planURL, _ := mustPlan(t, app)
	c := app.as(t, "tambon")
	_, body, _ := c.get(planURL)
	problem := regexp.MustCompile(`name="rank_(\d+)"`).FindStringSubmatch(body)
	partnerID := regexp.MustCompile(`<option value="(\d+)">อบต.เขาขลุง</option>`).FindStringSubmatch(body)
	if problem == nil || partnerID == nil {
		t.Fatal("the plan page offers no problem or partner")
	}
	status, _, h := c.post(planURL+"/items", url.Values{"title": {"ส่งเสริมอาชีพเสริม"}, "problem": {problem[1]}, "partner": {partnerID[1]},
		"budget": {"45,000"}, "budget_source": {"local"}, "start": {"1/11/2563"}, "end": {"30/9/2564"}, "physical": {"30"}, "financial": {"20"}})
	if status != http.StatusSeeOther {
		t.Fatalf("add item: %d", status)
	}
	itemURL := h.Get("Location")
	_, body, _ = c.get(itemURL)
	cands := regexp.MustCompile(`name="hh" value="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(cands) < 3 {
		t.Fatalf("the targeting list has %d households", len(cands))
	}
	var ids []string
	for _, m := range cands[:3] {
		ids = append(ids, m[1])
	}
	if status, _, _ := c.post(itemURL+"/targets", url.Values{"hh": ids}); status != http.StatusSeeOther {
		t.Fatalf("targets: %d", status)
	}
	for i, id := range ids {
		st := plan.Delivered
		if i == 2 {
			st = plan.Cancelled
		}
		if status, body, _ := c.post(itemURL+"/assistance", url.Values{"household": {id}, "what": {"พันธุ์ผักและปุ๋ย"}, "helper": {"อบต.เขาขลุง"},
			"date": {"15/3/2564"}, "status": {st}}); status != http.StatusSeeOther {
			t.Fatalf("assistance: %d %s", status, body)
		}
	}
	return planURL, itemURL
}

func TestPlanExports(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { planExports(t, mustPlanApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		planExports(t, mustPlanAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn))))
	})
}

func planExports(t *testing.T, app *householdApp) {
	planURL, itemURL := mustHelpedPlan(t, app)
	ctx := context.Background()
	tambon := app.as(t, "tambon")

	// The plan list: a link on the page, and every plan and item of the store.
	if _, body, _ := tambon.get("/areas/700513/plans"); !strings.Contains(body, `id="plans-xlsx" href="/areas/700513/plans.xlsx"`) ||
		!strings.Contains(body, "ดาวน์โหลด Excel") {
		t.Error("the plan list offers no Excel file")
	}
	plans, err := app.store.Plans(ctx, "700513")
	if err != nil || len(plans) != 1 {
		t.Fatalf("store plans: %d %v", len(plans), err)
	}
	items, err := app.store.PlanItems(ctx, plans[0].ID)
	if err != nil || len(items) != 1 {
		t.Fatalf("store items: %d %v", len(items), err)
	}
	wb := mustXLSX(t, tambon, "/areas/700513/plans.xlsx")
	if len(wb.names) != 2 || wb.names[0] != "แผนพัฒนา" {
		t.Fatalf("plan list sheets: %v", wb.names)
	}
	list := wb.sheet(0)
	if len(list) != 2 || list[0][0] != "ชื่อแผน" || list[1][0] != plans[0].Title || list[1][1] != fmt.Sprint(plans[0].FiscalYear) ||
		list[1][4] != "1" || list[1][5] != "45000" {
		t.Errorf("plans sheet: %q", list)
	}
	it := wb.sheet(1)
	if len(it) != 2 || it[1][1] != items[0].Title || it[1][3] != "อบต.เขาขลุง" || it[1][4] != "45000" ||
		it[1][6] != thai.FormatDate(items[0].Start, thai.DateShort) || it[1][6] != "1 พ.ย. 2563" || it[1][8] != "3" {
		t.Errorf("items sheet: %q", it)
	}
	en := mustXLSX(t, tambon, "/areas/700513/plans.xlsx?lang=en")
	if h := en.sheet(1)[0]; h[1] != "Project" || h[4] != "Budget (baht)" || en.sheet(1)[1][3] != "Khao Khlung SAO" || en.sheet(1)[1][6] != "1 Nov 2020" {
		t.Errorf("English items sheet: %q", en.sheet(1))
	}
	tambon.get("/areas/700513/plans?lang=th")
	if es := exportAudit(t, app.store, ""); len(es) != 0 {
		t.Errorf("a plan list without personal data was audited as personal: %+v", es)
	}

	// Graduation: the helped households, masked, and audited.
	if _, body, _ := tambon.get(planURL + "/graduation"); !strings.Contains(body, `id="graduation-xlsx" href="`+planURL+`/graduation.xlsx"`) {
		t.Error("the graduation page offers no Excel file")
	}
	wb = mustXLSX(t, tambon, planURL+"/graduation.xlsx")
	if len(wb.names) != 2 {
		t.Fatalf("graduation sheets: %v", wb.names)
	}
	helped := wb.sheet(1)[1:]
	if len(helped) != 2 {
		t.Errorf("graduation lists %d helped households, want 2 (the cancelled help is not followed)", len(helped))
	}
	help, _ := app.store.Assistance(ctx, plan.AssistanceFilter{PlanID: plans[0].ID})
	houses := map[string]bool{}
	for _, a := range help {
		if a.Status != plan.Cancelled {
			houses[a.HouseNo] = true
		}
	}
	for _, row := range helped {
		if !houses[row[1]] || !strings.HasSuffix(row[2], "***") || row[4] != "พันธุ์ผักและปุ๋ย" {
			t.Errorf("graduation row %q: not a helped household, or its head not masked", row)
		}
	}
	planID := strings.TrimPrefix(planURL, "/plans/")
	if es := exportAudit(t, app.store, "graduation:plan:"+planID); len(es) != 1 || es[0].User != "tambon" || es[0].Area != "700513" {
		t.Errorf("graduation export audit: %+v", es)
	}
	// The district's view of every plan, and the partner's: counts only.
	if wb := mustXLSX(t, app.as(t, "district"), "/areas/7005/graduation.xlsx"); len(wb.sheet(1)) != 3 || wb.sheet(0)[1][0] != plans[0].Title {
		t.Errorf("district graduation: %q", wb.sheets)
	}
	if wb := mustXLSX(t, app.as(t, "partner"), planURL+"/graduation.xlsx"); len(wb.names) != 1 {
		t.Errorf("a partner's graduation file holds households: %v", wb.names)
	}
	if es := exportAudit(t, app.store, "graduation:plan:"+planID); len(es) != 1 {
		t.Errorf("a file without households was audited: %d entries", len(es))
	}

	// The item's target households and its targeting list.
	if _, body, _ := tambon.get(itemURL); !strings.Contains(body, `id="targets-xlsx" href="`+itemURL+`/targets.xlsx"`) {
		t.Error("the item page offers no Excel file of its targets")
	}
	wb = mustXLSX(t, tambon, itemURL+"/targets.xlsx")
	targets, _ := app.store.ItemTargets(ctx, items[0].ID)
	var want, got []string
	for _, tg := range targets {
		rec, err := app.store.Household(ctx, tg.HouseholdID)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, rec.Household.HouseNo)
	}
	for _, row := range wb.sheet(0)[1:] {
		got = append(got, row[1])
		if !strings.HasSuffix(row[2], "***") {
			t.Errorf("target head %q not masked", row[2])
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if len(want) != 3 || !slices.Equal(want, got) {
		t.Errorf("target households %v, want %v", got, want)
	}
	if len(wb.names) != 2 || len(wb.sheet(1)) < 4 {
		t.Errorf("the targeting list sheet: %v", wb.names)
	} else {
		chosen := 0
		for _, row := range wb.sheet(1)[1:] {
			if row[0] == "ใช่" {
				chosen++
			}
		}
		if chosen != 3 {
			t.Errorf("the targeting list marks %d households chosen, want 3", chosen)
		}
	}
	itemID := itemURL[strings.LastIndex(itemURL, "/")+1:]
	if es := exportAudit(t, app.store, "targets:item:"+itemID); len(es) != 1 {
		t.Errorf("targets export audit: %+v", es)
	}

	// Scopes: as the pages.
	for _, tc := range []struct {
		user, path string
		want       int
	}{
		{"partner", itemURL + "/targets.xlsx", 403}, // may not see households
		{"viewer", "/areas/700513/plans.xlsx", 403},
		{"viewer", planURL + "/graduation.xlsx", 403},
		{"tambon", "/areas/700514/plans.xlsx", 403}, // another tambon
		{"tambon", "/areas/700514/graduation.xlsx", 403},
		{"moo4", planURL + "/graduation.xlsx", 403},
	} {
		if status, _, _ := app.as(t, tc.user).get(tc.path); status != tc.want {
			t.Errorf("%s GET %s: %d, want %d", tc.user, tc.path, status, tc.want)
		}
	}
}

func TestActivityAndPartnerExports(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { activityAndPartnerExports(t, mustPlanApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		activityAndPartnerExports(t, mustPlanAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn))))
	})
}

func activityAndPartnerExports(t *testing.T, app *householdApp) {
	ctx := context.Background()
	s := app.store
	head, err := s.CreatePartner(ctx, partner.Partner{Kind: partner.VillageHead, NameTH: "นายสมชาย ใจดี", PositionTH: "ผู้ใหญ่บ้านหมู่ 4",
		AreaCode: "70051304", Phone: "0812345678"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreatePartner(ctx, partner.Partner{Kind: partner.LocalGov, NameTH: "อบต.ท่าชุมพล", AreaCode: "700514"}, "test"); err != nil {
		t.Fatal(err)
	}
	tambon := app.as(t, "tambon")
	if _, body, _ := tambon.get("/partners?area=700513&q=" + url.QueryEscape("สมชาย")); !strings.Contains(body, `id="partners-xlsx" href="/partners.xlsx?area=700513&amp;q=`) {
		t.Errorf("the partner list offers no Excel file with its filters")
	}
	want, _ := s.Partners(ctx, partner.Filter{Serves: "700513"})
	wb := mustXLSX(t, tambon, "/partners.xlsx?area=700513")
	rows := wb.sheet(0)
	if len(rows) != len(want)+1 || len(want) < 2 {
		t.Fatalf("partners file: %d rows, the store %d partners", len(rows)-1, len(want))
	}
	for i, p := range want {
		if rows[i+1][0] != p.NameTH || rows[i+1][5] != p.Phone {
			t.Errorf("partner row %d: %q, want %s", i, rows[i+1], p.NameTH)
		}
	}
	if strings.Contains(fmt.Sprint(rows), "อบต.ท่าชุมพล") {
		t.Error("a partner of another tambon is in the file")
	}
	// The search box filters the file as it filters the page.
	if rows := mustXLSX(t, tambon, "/partners.xlsx?area=700513&q="+url.QueryEscape("สมชาย")).sheet(0); len(rows) != 2 || rows[1][0] != head.NameTH {
		t.Errorf("filtered partners file: %q", rows)
	}
	if es := exportAudit(t, s, "partners:700513"); len(es) != 2 || es[0].User != "tambon" {
		t.Errorf("a partner list naming people was not audited: %+v", es)
	}

	// Activities of a month.
	bkk := thai.Bangkok()
	for i, a := range []activity.Activity{
		{Kind: activity.Meeting, TitleTH: "ประชุมประชาคมหมู่บ้าน", Start: time.Date(2021, 3, 5, 9, 30, 0, 0, bkk), AreaCode: "70051304", Venue: "ศาลาประชาคม", OrganiserID: head.ID},
		{Kind: activity.Training, TitleTH: "อบรมการทำบัญชีครัวเรือน", Start: time.Date(2021, 3, 20, 13, 0, 0, 0, bkk), AreaCode: "700513"},
		{Kind: activity.Meeting, TitleTH: "ประชุมเดือนถัดไป", Start: time.Date(2021, 4, 2, 9, 0, 0, 0, bkk), AreaCode: "700513"},
		{Kind: activity.Meeting, TitleTH: "ประชุมตำบลอื่น", Start: time.Date(2021, 3, 6, 9, 0, 0, 0, bkk), AreaCode: "700514"},
	} {
		if _, err := s.CreateActivity(ctx, a, "test"); err != nil {
			t.Fatalf("activity %d: %v", i, err)
		}
	}
	if _, body, _ := tambon.get("/activities?area=700513&month=2564-03"); !strings.Contains(body, `id="activities-xlsx" href="/activities.xlsx?area=700513&amp;month=2564-03"`) {
		t.Error("the calendar offers no Excel file of its month")
	}
	first := time.Date(2021, 3, 1, 0, 0, 0, 0, bkk)
	acts, _ := s.Activities(ctx, activity.Filter{Within: "700513", From: first, To: first.AddDate(0, 1, 0)})
	rows = mustXLSX(t, tambon, "/activities.xlsx?area=700513&month=2564-03").sheet(0)
	if len(acts) != 2 || len(rows) != 3 {
		t.Fatalf("activities file: %d rows, the store %d activities", len(rows)-1, len(acts))
	}
	for i, a := range acts {
		if rows[i+1][3] != a.TitleTH {
			t.Errorf("activity row %d: %q, want %s", i, rows[i+1], a.TitleTH)
		}
	}
	if rows[1][0] != "5 มี.ค. 2564 09:30 น." || rows[1][2] != "ประชุม" || rows[1][6] != head.NameTH {
		t.Errorf("the first activity's date, kind or organiser: %q", rows[1])
	}
	if rows := mustXLSX(t, tambon, "/activities.xlsx?area=700513&month=2021-03&lang=en").sheet(0); rows[0][0] != "Start" || rows[1][0] != "5 Mar 2021 09:30" {
		t.Errorf("English activities file: %q", rows[:2])
	}
	for _, tc := range []struct {
		user, path string
		want       int
	}{
		{"tambon", "/activities.xlsx?area=700514", 403},
		{"tambon", "/partners.xlsx?area=700514", 403},
		{"viewer", "/partners.xlsx?area=70", 403},
		{"tambon", "/activities.xlsx?area=700513&month=March", 400},
	} {
		if status, _, _ := app.as(t, tc.user).get(tc.path); status != tc.want {
			t.Errorf("%s GET %s: %d, want %d", tc.user, tc.path, status, tc.want)
		}
	}
}

func TestProgrammeParticipantsExport(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { programmeParticipantsExport(t, mustPlanApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		programmeParticipantsExport(t, mustPlanAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn))))
	})
}

func programmeParticipantsExport(t *testing.T, app *householdApp) {
	tambon := app.as(t, "tambon")
	status, body, h := tambon.post("/areas/700513/programmes", url.Values{"type": {"vegetable_gardens"}, "title": {"ผักสวนครัว หมู่ 4"}, "fiscal_year": {"2564"}})
	if status != http.StatusSeeOther {
		t.Fatalf("create programme: %d %s", status, body)
	}
	prog := h.Get("Location")
	_, body, _ = tambon.get(prog)
	hh := regexp.MustCompile(`<select id="household" name="household"><option value="(\d+)"`).FindStringSubmatch(body)
	if hh == nil {
		t.Fatal("no household to enrol")
	}
	if status, body, _ := tambon.post(prog+"/participants", url.Values{"household": {hh[1]}, "name": {"นางสมศรี มีสุข"}, "status": {"enrolled"}}); status != http.StatusSeeOther {
		t.Fatalf("join: %d %.300s", status, body)
	}
	if _, body, _ := tambon.get(prog); !strings.Contains(body, `id="participants-xlsx" href="`+prog+`/participants.xlsx"`) {
		t.Error("the programme page offers no Excel file of its participants")
	}
	ctx := context.Background()
	id := strings.TrimPrefix(prog, "/programmes/")
	var pid int64
	fmt.Sscan(id, &pid)
	pts, err := app.store.Participants(ctx, pid)
	if err != nil || len(pts) != 1 {
		t.Fatalf("store participants: %d %v", len(pts), err)
	}
	rows := mustXLSX(t, tambon, prog+"/participants.xlsx").sheet(0)
	if len(rows) != 2 || rows[0][0] != "ชื่อ" || rows[1][0] != pts[0].Name {
		t.Errorf("participants file for the tambon team: %q", rows)
	}
	// A partner sees the programme but not households: the name is masked.
	rows = mustXLSX(t, app.as(t, "partner"), prog+"/participants.xlsx").sheet(0)
	if len(rows) != 2 || rows[1][0] != "น***" {
		t.Errorf("participants file for a partner: %q", rows)
	}
	es := exportAudit(t, app.store, "participants:programme:"+id)
	if len(es) != 2 || !strings.Contains(es[0].Detail, `"masked":true`) || !strings.Contains(es[1].Detail, `"masked":false`) {
		t.Errorf("participants export audit: %+v", es)
	}
	for _, who := range []string{"viewer", "moo4"} {
		if status, _, _ := app.as(t, who).get(prog + "/participants.xlsx"); status != http.StatusForbidden {
			t.Errorf("%s downloads the participants: %d", who, status)
		}
	}
}
