package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestServeFixture serves the fixture for looking at pages by hand:
// TAMBON_WEB_SERVE=/tmp/url go test -run TestServeFixture ./internal/web/
// writes the address to that file and serves until killed.
func TestServeFixture(t *testing.T) {
	out := os.Getenv("TAMBON_WEB_SERVE")
	if out == "" {
		t.Skip("set TAMBON_WEB_SERVE to a file name to serve the fixture")
	}
	ts := mustServer(t)
	os.WriteFile(out, []byte(ts.URL), 0o644)
	select {}
}

// mustGet fetches a page that must answer 200.
func mustGet(t *testing.T, base string, path string) string {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, b)
	}
	return string(b)
}

func contains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

var missingKey = regexp.MustCompile(`\[[a-z0-9_]+\.[a-z0-9_.]+\]`)

func TestAreaProfile(t *testing.T) {
	ts := mustServer(t)
	t.Run("village: newest round, change from the previous, MPI, map", func(t *testing.T) {
		body := mustGet(t, ts.URL, "/areas/70051304")
		contains(t, "village page", body,
			"หมู่ 4 บ้านหนองไม้เฝ้า", `id="indicators"`, `id="groups"`, `id="problems"`,
			`<option value="bmn-2562" selected>จปฐ. ปี 2562</option>`, // default: the newest round with data
			"เทียบ จปฐ. ปี 2561",                                      // the previous round is the household one, not TPMAP's of the same year
			`class="map-points"`, `data-current="70051304"`, "/geo/subdistrict/70.json?v=",
			`href="/areas/700513?round=bmn-2562"`, // up, keeping the round
			"/areas/70051304/report?round=bmn-2562", "/areas/70051304/export.xlsx?table=indicators&amp;round=bmn-2562")
	})
	t.Run("aggregate round: no MPI, a notice", func(t *testing.T) {
		body := mustGet(t, ts.URL, "/areas/700513?round=tpmap-2561")
		contains(t, "TPMAP round", body, "ข้อมูลสรุปที่ TPMAP เผยแพร่", "ไม่มีสถิติความยากจนหลายมิติ", `id="children"`)
		if strings.Contains(body, `id="mpi"`) {
			t.Error("an aggregate round shows MPI figures")
		}
	})
	t.Run("an area only TPMAP covers defaults to TPMAP's round", func(t *testing.T) {
		body := mustGet(t, ts.URL, "/areas/7001")
		contains(t, "amphoe 7001", body, `<option value="tpmap-2561" selected>`, "/geo/subdistrict/70.json", `data-within="7001"`)
	})
	t.Run("country and province", func(t *testing.T) {
		contains(t, "country", mustGet(t, ts.URL, "/areas/TH?round=tpmap-2561"), "/geo/province.json?v=", `href="/areas/70?round=tpmap-2561"`)
		contains(t, "province", mustGet(t, ts.URL, "/areas/70?round=tpmap-2561"), "/geo/district/70.json?v=", `href="/areas/7005?round=tpmap-2561"`)
	})
	t.Run("unknown round", func(t *testing.T) {
		if code, _, _ := get(t, ts, "/areas/700513?round=bmn-2499"); code != http.StatusNotFound {
			t.Errorf("status %d, want 404", code)
		}
	})
	t.Run("English", func(t *testing.T) {
		body := mustGet(t, ts.URL, "/areas/70051304?lang=en")
		contains(t, "English page", body, "Moo 4 (หนองไม้เฝ้า)", "Results by indicator", "BMN 2562", `href="/areas/70051304?lang=th"`)
	})
}

// Every page in both languages: no missing locale key, no template error.
func TestPagesHaveEveryString(t *testing.T) {
	ts := mustServer(t)
	for _, lang := range []string{"th", "en"} {
		for _, p := range []string{"/areas/TH", "/areas/70", "/areas/7005", "/areas/700513", "/areas/70051304", "/areas/70051304?round=tpmap-2561",
			"/areas/700513/indicators/7", "/areas/700513/poverty?k=1/10", "/areas/7005/poverty?round=tpmap-2561",
			"/areas/700513/report", "/areas/70051304/report?round=tpmap-2561", "/areas/700513?map=mpi&sort=mpi&dir=desc"} {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			body := mustGet(t, ts.URL, p+sep+"lang="+lang)
			if m := missingKey.FindString(body); m != "" {
				t.Errorf("%s in %s: missing locale key %s", p, lang, m)
			}
		}
	}
}

func TestChildrenSortAndMap(t *testing.T) {
	ts := mustServer(t)
	body := mustGet(t, ts.URL, "/areas/700513?sort=households&dir=desc&map=7")
	// Households per village in the fixture: 12, 15, 18, 21 for หมู่ 1-4.
	rows := regexp.MustCompile(`<tr><td class="code">(\d{8})</td>`).FindAllStringSubmatch(body, -1)
	if len(rows) < 4 || rows[0][1] != "70051304" || rows[3][1] != "70051301" {
		t.Errorf("sorted by households, most first: %v", rows[:min(4, len(rows))])
	}
	contains(t, "sorted table", body, `aria-sort="descending"`, "ร้อยละที่ผ่านเกณฑ์ ตัวชี้วัดที่ 7",
		`<option value="7" selected>`, `href="/areas/700513?dir=asc&amp;map=7&amp;sort=households#children"`)
}

func TestIndicatorAndPovertyPages(t *testing.T) {
	ts := mustServer(t)
	body := mustGet(t, ts.URL, "/areas/700513/indicators/7")
	contains(t, "indicator page", body, "คนอายุ 6 ปีขึ้นไป", `id="rounds"`, "ข้อมูลเผยแพร่ TPMAP ปี 2561", "จปฐ. ปี 2561", `data-chart="lines"`,
		`href="/areas/70051304/indicators/7?round=bmn-2562"`)
	// The picker's ?ind= goes to the indicator's own address.
	req, _ := http.NewRequest("GET", ts.URL+"/areas/700513/indicators/7?round=bmn-2562&ind=22", nil)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/areas/700513/indicators/22?round=bmn-2562" {
		t.Errorf("picker: %d %q", resp.StatusCode, loc)
	}
	if code, _, _ := get(t, ts, "/areas/700513/indicators/99"); code != http.StatusNotFound {
		t.Errorf("unknown indicator: %d", code)
	}

	body = mustGet(t, ts.URL, "/areas/700513/poverty?k=1/10")
	contains(t, "poverty page", body, "(ค่าตั้งต้น)", "k = 1/10", `id="dimensions"`, `id="mpi-indicators"`, "สุขภาพ")
	if code, _, _ := get(t, ts, "/areas/700513/poverty?k=abc"); code != http.StatusBadRequest {
		t.Errorf("bad k: %d, want 400", code)
	}
}

func TestReportIsTheDepartmentTable(t *testing.T) {
	ts := mustServer(t)
	body := mustGet(t, ts.URL, "/areas/700513/report")
	contains(t, "report", body, `id="report"`, "จปฐ. ปี 2562", "จปฐ. ปี 2561", "สำรวจ", "ผ่านเกณฑ์", "ไม่ผ่านเกณฑ์",
		"พิมพ์เมื่อ 25 พฤศจิกายน 2569", "data-print")
	css := mustGet(t, ts.URL, "/static/css/app.css")
	contains(t, "stylesheet", css, "@page { size: A4", "@media print")
	fonts := mustGet(t, ts.URL, "/static/css/fonts.css")
	contains(t, "fonts", fonts, "sarabun-thai-400-normal.")
}

func TestExcelExports(t *testing.T) {
	ts := mustServer(t)
	for _, c := range []struct {
		path, file, sheet string
		header            []string
		numberCell        string
	}{
		{"/areas/700513/export.xlsx?table=indicators&round=bmn-2562", "tambon-700513-bmn-2562-indicators.xlsx", "ผลรายตัวชี้วัด",
			[]string{"ที่", "ตัวชี้วัด", "หมวด", "หน่วยนับ", "สำรวจ", "ผ่านเกณฑ์", "ผ่านเกณฑ์ (%)"}, "E2"},
		{"/areas/700513/export.xlsx?table=children", "tambon-700513-bmn-2562-children.xlsx", "พื้นที่ย่อย",
			[]string{"รหัส", "ชื่อ", "ครัวเรือน", "คน"}, "C2"},
		{"/areas/7005/export.xlsx?table=groups&round=tpmap-2561", "tambon-7005-tpmap-2561-groups.xlsx", "ผลตามหมวด",
			[]string{"หมวด", "จำนวนตัวชี้วัด"}, "B2"},
		{"/areas/700513/export.xlsx?table=indicator&ind=7", "tambon-700513-bmn-2562-indicator-7.xlsx", "พื้นที่ย่อย",
			[]string{"รหัส", "ชื่อ", "สำรวจ"}, "C2"},
		{"/areas/700513/export.xlsx?table=mpi", "tambon-700513-bmn-2562-mpi.xlsx", "ความยากจนหลายมิติ",
			[]string{"ค่าสถิติ"}, "B3"},
		{"/areas/700513/export.xlsx?table=poverty&k=1/10", "tambon-700513-bmn-2562-poverty-k1-10.xlsx", "ค่าสถิติความยากจนหลายมิติ",
			[]string{"ค่าสถิติ"}, "C2"},
	} {
		t.Run(c.file, func(t *testing.T) {
			resp, err := http.Get(ts.URL + c.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 {
				t.Fatalf("%d: %s", resp.StatusCode, b)
			}
			if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="`+c.file+`"` {
				t.Errorf("Content-Disposition %q", cd)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows(c.sheet)
			if err != nil {
				t.Fatalf("sheets %v: %v", f.GetSheetList(), err)
			}
			for i, h := range c.header {
				if rows[0][i] != h {
					t.Errorf("header %d: %q, want %q", i, rows[0][i], h)
				}
			}
			typ, _ := f.GetCellType(c.sheet, c.numberCell)
			v, _ := f.GetCellValue(c.sheet, c.numberCell)
			if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset || v == "" {
				t.Errorf("%s = %q is not a number (type %v)", c.numberCell, v, typ)
			}
		})
	}
	if code, _, _ := get(t, ts, "/areas/700513/export.xlsx?table=nope"); code != http.StatusBadRequest {
		t.Errorf("unknown table: %d", code)
	}
}

func TestResultsAPI(t *testing.T) {
	ts := mustServer(t)
	var rounds struct {
		Rounds []struct {
			ID            string `json:"id"`
			AggregateOnly bool   `json:"aggregate_only"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal([]byte(mustGet(t, ts.URL, "/api/v1/rounds")), &rounds); err != nil {
		t.Fatal(err)
	}
	if len(rounds.Rounds) != 3 || rounds.Rounds[0].ID != "bmn-2562" {
		t.Errorf("rounds: %+v", rounds.Rounds)
	}
	var res struct {
		Round           struct{ ID string }  `json:"round"`
		PreviousRound   *struct{ ID string } `json:"previous_round"`
		Households      int64                `json:"households"`
		IncomePerPerson *float64             `json:"income_per_person"`
		Indicators      []struct {
			Code            string   `json:"code"`
			Surveyed        int64    `json:"surveyed"`
			PassedPct       *float64 `json:"passed_pct"`
			ChangePassedPct *float64 `json:"change_passed_pct"`
		} `json:"indicators"`
		Groups []struct{ Code string } `json:"groups"`
		MPI    *struct {
			K          string  `json:"k"`
			H          float64 `json:"h"`
			Dimensions []struct {
				ID           string  `json:"id"`
				Contribution float64 `json:"contribution"`
			} `json:"dimensions"`
		} `json:"mpi"`
	}
	if err := json.Unmarshal([]byte(mustGet(t, ts.URL, "/api/v1/areas/700513/results")), &res); err != nil {
		t.Fatal(err)
	}
	if res.Round.ID != "bmn-2562" || res.PreviousRound == nil || res.PreviousRound.ID != "bmn-2561" {
		t.Errorf("rounds: %+v %+v", res.Round, res.PreviousRound)
	}
	if res.Households < 50 || len(res.Indicators) != 31 || len(res.Groups) != 5 {
		t.Errorf("households %d, %d indicators, %d groups", res.Households, len(res.Indicators), len(res.Groups))
	}
	if res.MPI == nil || res.MPI.K == "" || len(res.MPI.Dimensions) != 5 {
		t.Fatalf("mpi: %+v", res.MPI)
	}
	var sum float64
	for _, d := range res.MPI.Dimensions {
		sum += d.Contribution
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("dimension contributions sum to %v", sum)
	}
	if res.IncomePerPerson == nil || *res.IncomePerPerson <= 0 {
		t.Errorf("a household round's income per person: %v", res.IncomePerPerson)
	}
	// TPMAP's published figures hold no income and no one's deprivations:
	// unknown, never 0.
	code, body, _ := get(t, ts, "/api/v1/areas/700513/results?round=tpmap-2561")
	for _, want := range []string{`"mpi":null`, `"income_per_person":null`, `"net_income":null`} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("TPMAP round: %d, lacks %s", code, want)
		}
	}
}

func TestGeoLayers(t *testing.T) {
	ts := mustServer(t)
	for _, p := range []string{"/geo/province.json", "/geo/district/70.json", "/geo/subdistrict/70.json"} {
		code, body, h := get(t, ts, p, "Accept-Encoding", "gzip")
		if code != 200 {
			t.Fatalf("%s: %d", p, code)
		}
		if h.Get("Content-Encoding") != "gzip" || !strings.Contains(h.Get("Cache-Control"), "immutable") || h.Get("ETag") == "" {
			t.Errorf("%s: headers %v", p, h)
		}
		zr, err := gzip.NewReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var topo struct {
			Type string `json:"type"`
		}
		if err := json.NewDecoder(zr).Decode(&topo); err != nil || topo.Type != "Topology" {
			t.Errorf("%s: %q %v", p, topo.Type, err)
		}
		if code, _, _ := get(t, ts, p, "If-None-Match", h.Get("ETag")); code != http.StatusNotModified {
			t.Errorf("%s again: %d, want 304", p, code)
		}
	}
	for _, p := range []string{"/geo/subdistrict.json", "/geo/subdistrict/7x.json", "/geo/nope/70.json"} {
		if code, _, _ := get(t, ts, p); code < 400 {
			t.Errorf("%s: %d", p, code)
		}
	}
}

func TestPagesAreGzipped(t *testing.T) {
	ts := mustServer(t)
	code, body, h := get(t, ts, "/areas/700513", "Accept-Encoding", "gzip")
	if code != 200 || h.Get("Content-Encoding") != "gzip" {
		t.Fatalf("%d %v", code, h)
	}
	if len(body) > 20000 {
		t.Errorf("a tambon page is %d bytes gzipped", len(body))
	}
}

// The poverty page decomposes the parent's M0 over its child areas: the
// children's shares of M0 add up to the whole (Alkire-Foster decomposition
// by population subgroup).
func TestPovertyDecompositionSumsToTheParent(t *testing.T) {
	ts := mustServer(t)
	for _, k := range []string{"1/20", "1/10"} {
		code, body, _ := get(t, ts, "/areas/700513/export.xlsx?table=poverty&k="+k)
		if code != 200 {
			t.Fatalf("k=%s: %d", k, code)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		var found bool
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet)
			if len(rows) < 2 || len(rows[0]) < 8 || !strings.Contains(rows[0][7], "M0") {
				continue
			}
			found = true
			for _, r := range rows[1:] {
				if len(r) >= 8 {
					v, _ := strconv.ParseFloat(r[7], 64)
					sum += v
				}
			}
		}
		if !found {
			t.Fatalf("k=%s: no sheet of child areas with a share-of-M0 column", k)
		}
		if math.Abs(sum-100) > 0.1 {
			t.Errorf("k=%s: the children's shares of M0 add up to %.2f%%, not 100%%", k, sum)
		}
	}
}
