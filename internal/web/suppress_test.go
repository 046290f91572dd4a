package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/engine"
)

// smallCells counts an area's indicators with a surveyed or failed count
// from 1 to 4: the cells the public must not see.
func smallCells(t *engine.Totals) int {
	n := 0
	for _, c := range t.Indicators {
		if f := c.Eligible - c.Passed; (c.Eligible > 0 && c.Eligible < 5) || (f > 0 && f < 5) {
			n++
		}
	}
	return n
}

// The public portal never shows a count from 1 to 4: the results API, read
// signed out, holds no indicator whose surveyed or failed number is small;
// a hidden count is absent, not 0, and never "meets target: no"; pages and
// the printable report say "hidden". A signed-in officer sees the true
// figures.
func TestPublicPortalSuppressesSmallCells(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	r, _ := app.store.Round(ctx, round2562)
	eng, _ := engine.ForRound(r)
	truth, err := app.store.AreaTotals(ctx, eng, round2562, "70051304")
	if err != nil {
		t.Fatal(err)
	}
	small := smallCells(truth)
	if small == 0 {
		t.Fatal("the fixture village has no small cell to hide: the test would prove nothing")
	}
	path := "/api/v1/areas/70051304/results?round=" + round2562
	num := regexp.MustCompile(`"(surveyed|failed|passed)":(\d+)`)
	_, pub, _ := app.as(t, "").get(path)
	for _, m := range num.FindAllStringSubmatch(pub, -1) {
		if n, _ := strconv.Atoi(m[2]); n > 0 && n < 5 && m[1] != "passed" {
			t.Errorf("the public sees %s = %d", m[1], n)
		}
	}
	var body struct {
		Indicators []map[string]any `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(pub), &body); err != nil {
		t.Fatal(err)
	}
	withheld := 0
	for _, ind := range body.Indicators {
		if ind["withheld"] != true {
			continue
		}
		withheld++
		for _, k := range []string{"passed", "failed", "meets_target", "change_failed", "change_passed_pct"} {
			if v, ok := ind[k]; ok {
				t.Errorf("withheld indicator %v gives %s = %v", ind["code"], k, v)
			}
		}
		if ind["passed_pct"] != nil {
			t.Errorf("withheld indicator %v gives a percentage", ind["code"])
		}
	}
	if withheld < small || !strings.Contains(pub, `"withheld_below":5`) {
		t.Errorf("the public results mark %d indicators withheld (at least %d are small), or do not give the threshold", withheld, small)
	}
	_, officer, _ := app.as(t, "tambon").get(path)
	if strings.Contains(officer, `"withheld`) {
		t.Error("an officer's results withhold counts")
	}
	shown := 0
	for _, m := range num.FindAllStringSubmatch(officer, -1) {
		if n, _ := strconv.Atoi(m[2]); n > 0 && n < 5 {
			shown++
		}
	}
	if shown == 0 {
		t.Error("a signed-in officer does not see the small counts either")
	}
	_, page, _ := app.as(t, "").get("/areas/70051304?round=" + round2562)
	if !strings.Contains(page, `id="public-notice"`) {
		t.Error("the public page does not say that small counts are hidden")
	}
	// Where a count was hidden the table says "hidden", not "nobody
	// surveyed", and never "<5" for a count that may be larger.
	if n := strings.Count(page, `class="muted withheld"`); n != withheld || !strings.Contains(page, `class="withheld"`) || strings.Contains(page, "&lt;5") {
		t.Errorf("the public page marks %d indicators withheld (the API %d), or shows <5", n, withheld)
	}
	if !strings.Contains(page, `class="muted withheld-count"`) {
		t.Error("the groups table does not say how many indicators it leaves out as hidden")
	}
	if _, rep, _ := app.as(t, "").get("/areas/70051304/report?round=" + round2562); !strings.Contains(rep, `class="withheld"`) {
		t.Error("the public printable report does not say hidden where it hid a count")
	}
	// The indicator's own page, and the Excel file: hidden, never 0 and
	// never "meets target: no".
	var code string
	for _, ind := range body.Indicators {
		if ind["withheld"] == true {
			code = ind["code"].(string)
			break
		}
	}
	if _, ip, _ := app.as(t, "").get("/areas/70051304/indicators/" + code + "?round=" + round2562); !strings.Contains(ip, `class="withheld"`) {
		t.Errorf("the public page of withheld indicator %s does not say hidden", code)
	}
	_, xl, _ := app.as(t, "").get("/areas/70051304/export.xlsx?table=indicators&round=" + round2562)
	x, err := excelize.OpenReader(bytes.NewReader([]byte(xl)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows(x.GetSheetList()[0])
	hiddenRows := 0
	for _, row := range rows[1:] {
		if len(row) < 11 || row[5] != "ซ่อนไว้" {
			continue
		}
		hiddenRows++
		if row[7] != "ซ่อนไว้" || row[10] != "ซ่อนไว้" {
			t.Errorf("the public Excel row of a withheld indicator reads %q", row)
		}
	}
	if hiddenRows != withheld {
		t.Errorf("the public Excel hides %d indicators, the API %d", hiddenRows, withheld)
	}
	_, signedIn, _ := app.as(t, "tambon").get("/areas/70051304?round=" + round2562)
	if strings.Contains(signedIn, `class="muted withheld"`) {
		t.Error("a signed-in officer's page withholds counts")
	}
}

// Who sees small counts: the roles that may open household records see
// exact counts; a viewer and a partner organisation's account see what a
// signed-out visitor sees, for every area in the country.
func TestSmallCountsByRole(t *testing.T) {
	app := mustHouseholdApp(t)
	path := "/api/v1/areas/70051304/results?round=" + round2562
	_, anonymous, _ := app.as(t, "").get(path)
	for _, tc := range []struct {
		user  string
		exact bool
	}{
		{"", false},
		{"viewer", false},
		{"partner", false},
		{"moo4", true},
		{"tambon", true},
		{"district", true},
		{"province", true},
	} {
		t.Run("as "+tc.user, func(t *testing.T) {
			status, body, _ := app.as(t, tc.user).get(path)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			hides := strings.Contains(body, `"withheld":true`)
			if hides == tc.exact {
				t.Errorf("withholds counts: %v, want %v", hides, !tc.exact)
			}
			if !tc.exact && body != anonymous {
				t.Error("sees other figures than a signed-out visitor")
			}
		})
	}
}

// A figure withheld from the public is drawn on the map as hidden, never as
// "no data", and a signed-in officer's map has the number.
func TestMapSaysHiddenNotNoData(t *testing.T) {
	app := mustHouseholdApp(t)
	_, pub, _ := app.as(t, "").get("/api/v1/areas/70051304/results?round=" + round2562)
	var body struct {
		Indicators []map[string]any `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(pub), &body); err != nil {
		t.Fatal(err)
	}
	code := ""
	for _, ind := range body.Indicators {
		if ind["withheld"] == true {
			code = ind["code"].(string)
			break
		}
	}
	if code == "" {
		t.Fatal("the fixture village withholds no indicator: the test would prove nothing")
	}
	points := regexp.MustCompile(`class="map-points">(.*?)</script>`)
	valueOf := func(who string) any {
		_, page, _ := app.as(t, who).get("/areas/700513?round=" + round2562 + "&map=" + code)
		m := points.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%q: the tambon page has no village points", who)
		}
		var ps []struct {
			Code  string `json:"code"`
			Value any    `json:"value"`
		}
		if err := json.Unmarshal([]byte(m[1]), &ps); err != nil {
			t.Fatalf("%q: map points: %v", who, err)
		}
		for _, p := range ps {
			if p.Code == "70051304" {
				return p.Value
			}
		}
		t.Fatalf("%q: no point for 70051304", who)
		return nil
	}
	if v := valueOf(""); v != "hidden" {
		t.Errorf("the public map gives village 70051304's withheld %s as %v, want \"hidden\"", code, v)
	}
	if v, ok := valueOf("tambon").(float64); !ok {
		t.Errorf("the officer's map gives village 70051304's %s as %v, want its number", code, v)
	}
}
