package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/survey"
)

var listRowRE = regexp.MustCompile(`<td><a href="/households/(\d+)">`)

// listIDs returns the household ids a list page shows, in order.
func listIDs(body string) []int64 {
	var out []int64
	for _, m := range listRowRE.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// expectedIDs walks the stored households of a round in an area and keeps
// those keep takes: the list's filters judged independently of the store's
// query.
func expectedIDs(t *testing.T, s *store.Store, round, area string, keep func(survey.Record) bool) []int64 {
	t.Helper()
	var out []int64
	if err := s.EachHousehold(context.Background(), round, area, func(r survey.Record) error {
		if keep(r) {
			out = append(out, r.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// allPages follows a filtered list's pages and returns every id shown.
func allPages(t *testing.T, c *client, path string) (ids []int64, pages int) {
	t.Helper()
	for p := 1; p < 20; p++ {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		status, body, _ := c.get(path + sep + "page=" + strconv.Itoa(p))
		if status != 200 {
			t.Fatalf("GET %s page %d: %d", path, p, status)
		}
		got := listIDs(body)
		if len(got) > 50 {
			t.Fatalf("%s page %d shows %d rows, more than a page", path, p, len(got))
		}
		ids = append(ids, got...)
		pages = p
		if !strings.Contains(body, `rel="next"`) {
			break
		}
	}
	slices.Sort(ids)
	return ids, pages
}

func TestHouseholdListFiltersAndPages(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	tambon := app.as(t, "tambon")
	base := "/rounds/" + round2562 + "/areas/700513/households"
	rd, _ := app.store.Round(ctx, round2562)
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	all := expectedIDs(t, app.store, round2562, "700513", func(survey.Record) bool { return true })
	if len(all) <= 50 {
		t.Fatalf("the fixture has %d households: too few to page", len(all))
	}
	status, body, _ := tambon.get(base)
	if status != 200 || len(listIDs(body)) != 50 || !strings.Contains(body, `rel="next"`) || !strings.Contains(body, strconv.Itoa(len(all))+" ครัวเรือน") {
		t.Fatalf("first page: %d, %d rows", status, len(listIDs(body)))
	}
	if got, pages := allPages(t, tambon, base); !slices.Equal(got, all) || pages != (len(all)+49)/50 {
		t.Errorf("the pages show %d households over %d pages, want %d", len(got), pages, len(all))
	}

	// Each filter against the households judged one by one here.
	set := eng.Set()
	var failing string
	for i, in := range set.Indicators {
		n := len(expectedIDs(t, app.store, round2562, "700513", func(r survey.Record) bool {
			o := set.EvaluateCounts(r.Household, rd.SurveyYear, nil)[i]
			return o.Applicable && o.Passed < o.Eligible
		}))
		if n > 0 && n < len(all) {
			failing = in.Code
			break
		}
	}
	if failing == "" {
		t.Fatal("no indicator that some but not all households fail")
	}
	fi := slices.IndexFunc(set.Indicators, func(in indicator.Indicator) bool { return in.Code == failing })
	w := eng.Worker()
	k := eng.Poverty().K()
	rec := app.firstHousehold(t, "70051304")
	var firstName string
	for _, m := range rec.Household.Members {
		if len([]rune(m.FirstName)) > 3 {
			firstName = m.FirstName
			break
		}
	}
	prev := map[string]bool{}
	app.store.EachHousehold(ctx, round2561, "700513", func(r survey.Record) error { prev[r.Key] = true; return nil })
	cur := map[string]bool{}
	app.store.EachHousehold(ctx, round2562, "700513", func(r survey.Record) error { cur[r.Key] = true; return nil })
	tests := []struct {
		name, query, round string
		keep               func(survey.Record) bool
	}{
		{"village", "village=70051304", round2562, func(r survey.Record) bool { return r.Household.VillageCode == "70051304" }},
		{"fails", "fails=" + failing, round2562, func(r survey.Record) bool {
			o := set.EvaluateCounts(r.Household, rd.SurveyYear, nil)[fi]
			return o.Applicable && o.Passed < o.Eligible
		}},
		{"poor", "poor=1", round2562, func(r survey.Record) bool {
			hit, ok := engine.Target(w, r.Household, engine.Filter{PoorAt: k})
			return ok && slices.Contains(hit.Matched, "poor")
		}},
		{"poor in a village", "poor=1&village=70051302", round2562, func(r survey.Record) bool {
			hit, ok := engine.Target(w, r.Household, engine.Filter{PoorAt: k})
			return r.Household.VillageCode == "70051302" && ok && slices.Contains(hit.Matched, "poor")
		}},
		{"house number", "q=" + url.QueryEscape(rec.Household.HouseNo), round2562, func(r survey.Record) bool {
			return strings.Contains(r.Household.HouseNo, rec.Household.HouseNo)
		}},
		{"name", "q=" + url.QueryEscape(firstName), round2562, func(r survey.Record) bool {
			return slices.ContainsFunc(r.Household.Members, func(m survey.Member) bool {
				return strings.Contains(m.FirstName+" "+m.LastName, firstName)
			})
		}},
		{"not re-surveyed", "missing=1", round2561, func(r survey.Record) bool { return !cur[r.Key] }},
		{"complete", "status=complete", round2562, func(r survey.Record) bool { return r.Household.Status == survey.Complete }},
		{"not helped", "helped=0", round2562, func(survey.Record) bool { return true }},
		{"helped", "helped=1", round2562, func(survey.Record) bool { return false }},
	}
	for _, tc := range tests {
		want := expectedIDs(t, app.store, tc.round, "700513", tc.keep)
		got, _ := allPages(t, tambon, base+"?"+tc.query)
		if !slices.Equal(got, want) {
			t.Errorf("%s (?%s): %d households %v, want %d %v", tc.name, tc.query, len(got), head(got), len(want), head(want))
		}
		if tc.name == "poor" && (len(want) == 0 || len(want) == len(all)) {
			t.Errorf("the poor filter is not tested: %d of %d poor", len(want), len(all))
		}
	}
	if len(prev) == 0 {
		t.Fatal("no households in the previous round")
	}
	// Sorting: descending is ascending reversed.
	up, _ := allPages(t, tambon, base+"?village=70051301")
	_, body, _ = tambon.get(base + "?village=70051301&sort=-house")
	down := listIDs(body)
	_, body, _ = tambon.get(base + "?village=70051301")
	first := listIDs(body)
	slices.Reverse(down)
	if len(up) == 0 || !slices.Equal(down, first) {
		t.Errorf("descending order is not ascending reversed: %v / %v", down, first)
	}
	// Names stay masked on the page, even when searched by name.
	_, body, _ = tambon.get(base + "?q=" + url.QueryEscape(firstName))
	if strings.Contains(body, ">"+firstName+"<") || strings.Contains(body, " "+firstName+" ") {
		t.Errorf("the list shows the name %q unmasked", firstName)
	}
	// Roles without household access see no list at all.
	for _, who := range []string{"viewer", "partner"} {
		if status, _, _ := app.as(t, who).get(base + "?poor=1"); status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", who, status)
		}
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }

func TestHouseholdListExcel(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	base := "/rounds/" + round2562 + "/areas/70051304/households"
	read := func(c *client, query string) [][]string {
		t.Helper()
		status, body, h := c.get(base + "?" + query)
		if status != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("xlsx ?%s: %d %s", query, status, h.Get("Content-Type"))
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		return rows[4:]
	}
	want := expectedIDs(t, app.store, round2562, "70051304", func(survey.Record) bool { return true })
	heads := map[string]string{} // house number → head's full name
	app.store.EachHousehold(ctx, round2562, "70051304", func(r survey.Record) error {
		for _, m := range r.Household.Members {
			if m.Relation == survey.RelHead && m.Resident {
				heads[r.Household.HouseNo] = strings.TrimSpace(m.FirstName + " " + m.LastName)
				break
			}
		}
		return nil
	})
	tambon, moo4 := app.as(t, "tambon"), app.as(t, "moo4")
	// The page offers full names only to accounts that may export them.
	if _, body, _ := tambon.get(base); !strings.Contains(body, `id="list-xlsx-names"`) {
		t.Errorf("tambon is not offered the file with full names")
	}
	if _, body, _ := moo4.get(base); strings.Contains(body, `id="list-xlsx-names"`) || !strings.Contains(body, `id="list-xlsx"`) {
		t.Errorf("enumerator: wrong download links")
	}
	// Every row, not one page; names masked by default.
	rows := read(tambon, "format=xlsx")
	if len(rows) != len(want) {
		t.Fatalf("xlsx has %d rows, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		if full := heads[r[1]]; full != "" && (r[2] == full || !strings.HasSuffix(r[2], "***")) {
			t.Errorf("masked xlsx shows %q for house %s", r[2], r[1])
		}
	}
	// Full names for a role that may export personal data, when asked.
	rows = read(tambon, "format=xlsx&names=1")
	named := 0
	for _, r := range rows {
		if full := heads[r[1]]; full != "" && r[2] == full {
			named++
		}
	}
	if named == 0 {
		t.Errorf("names=1 gave no full names")
	}
	// An enumerator may not export personal data: still masked.
	for _, r := range read(moo4, "format=xlsx&names=1") {
		if full := heads[r[1]]; full != "" && r[2] == full {
			t.Errorf("enumerator's xlsx shows %q", full)
		}
	}
	// Filters apply to the file as to the page.
	poor := read(tambon, "format=xlsx&poor=1")
	if len(poor) == 0 || len(poor) >= len(want) {
		t.Errorf("poor xlsx: %d rows of %d", len(poor), len(want))
	}
	log, err := app.store.AuditLog(ctx, store.AuditFilter{Action: "export.personal"})
	if err != nil || len(log) != 4 {
		t.Fatalf("audit: %d entries, %v", len(log), err)
	}
	var unmasked []string
	for _, e := range log {
		if strings.Contains(e.Detail, `"masked":false`) {
			unmasked = append(unmasked, e.User)
		}
	}
	if !slices.Equal(unmasked, []string{"tambon"}) {
		t.Errorf("unmasked downloads logged for %v, want [tambon]", unmasked)
	}
}

func TestReviewChecklistGatesSteps(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	tambon := app.as(t, "tambon")
	review := "/rounds/" + round2562 + "/areas/700513/review"
	status, body, _ := tambon.get(review)
	if status != 200 || !strings.Contains(body, `id="check-villages"`) || !strings.Contains(body, `data-village="70051304"`) || !strings.Contains(body, `name="override"`) {
		t.Fatalf("review page: %d, checklist or override field missing", status)
	}
	// The round compared with is named, not given by its code.
	if !strings.Contains(body, "เทียบกับรอบ จปฐ. ปี 2561") || strings.Contains(body, "เทียบกับรอบ "+round2561) {
		t.Errorf("the review page does not name the round it compares with")
	}
	// The expected count is the previous round's, read from its records.
	n := 0
	app.store.EachHousehold(ctx, round2561, "70051304", func(survey.Record) error { n++; return nil })
	row := body[strings.Index(body, `data-village="70051304"`):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, ">"+strconv.Itoa(n)+"<") {
		t.Errorf("หมู่ 4 row lacks the expected %d: %s", n, row)
	}
	// A village without households is a reason; submitting is refused.
	status, body, _ = tambon.post(review, url.Values{"step": {"submit"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="review-error"`) || !strings.Contains(body, "ยังไม่มีครัวเรือนในรอบนี้เลย") {
		t.Fatalf("submit refused: %d", status)
	}
	if st, _ := app.store.RoundStatus(ctx, round2562, "700513"); st != survey.StatusOpen {
		t.Fatalf("status after a refusal: %s", st)
	}
	// In English too.
	req, _ := http.NewRequest("POST", tambon.ts.URL+review, strings.NewReader(url.Values{"step": {"submit"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "lang", Value: "en"})
	if _, body, _ := tambon.do(req); !strings.Contains(body, "no households at all in this round") {
		t.Errorf("English refusal lacks its reasons")
	} else if m := regexp.MustCompile(`Moo \d+ :`).FindString(body); m != "" {
		t.Errorf("a village is named without its name in English: %q", m)
	}
	// An override with a reason goes ahead and is audited.
	if status, _, _ := tambon.post(review, url.Values{"step": {"submit"}, "override": {"หมู่ 5-9 สำรวจปีหน้า ตามมติอำเภอ"}}); status != http.StatusSeeOther {
		t.Fatalf("submit with override: %d", status)
	}
	log, err := app.store.AuditLog(ctx, store.AuditFilter{Action: "round.override"})
	if err != nil || len(log) != 1 || log[0].User != "tambon" || !strings.Contains(log[0].Detail, "มติอำเภอ") {
		t.Errorf("override audit: %+v %v", log, err)
	}
	// The district verifying meets the same gate.
	district := app.as(t, "district")
	if status, _, _ := district.post(review, url.Values{"step": {"verify"}}); status != http.StatusUnprocessableEntity {
		t.Errorf("verify without override: %d", status)
	}
}

// The area page's poor count and failing counts open the filtered lists for
// those who may see households, and stay plain figures for everyone else.
func TestAreaPageCountsLinkToLists(t *testing.T) {
	app := mustHouseholdApp(t)
	page := "/areas/70051304?round=" + round2562
	list := "/rounds/" + round2562 + "/areas/70051304/households"
	_, body, _ := app.as(t, "tambon").get(page)
	if !strings.Contains(body, `id="poor-link" href="`+list+`?poor=1"`) || !strings.Contains(body, `href="`+list+`?fails=`) {
		t.Errorf("tambon's village page lacks the links to the poor and failing lists")
	}
	for _, who := range []string{"", "viewer", "partner"} {
		_, body, _ := app.as(t, who).get(page)
		if strings.Contains(body, "?poor=1") || strings.Contains(body, "?fails=") {
			t.Errorf("%q sees links to household lists", who)
		}
	}
	// A link leads to the list it names.
	_, body, _ = app.as(t, "tambon").get(list + "?poor=1")
	if !strings.Contains(body, `name="poor" value="1" checked`) {
		t.Errorf("the poor list does not show its filter")
	}
}
