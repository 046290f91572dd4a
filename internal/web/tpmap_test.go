package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/thai"
	"tambon/internal/tpmap"
	"tambon/internal/web"
)

// parseTPMAP parses a published file kept beside the tpmap package.
func parseTPMAP(tb testing.TB, name string) *tpmap.File {
	tb.Helper()
	fh, err := os.Open(filepath.Join("..", "tpmap", "data", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer fh.Close()
	f, err := tpmap.Parse(name, fh)
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// withTPMAP stores Ratchaburi's 2561 target poor from its village files.
func withTPMAP(tb testing.TB, s *store.Store) {
	tb.Helper()
	rows := tpmap.WithCountry(tpmap.TargetPoorYear(2561, []*tpmap.File{
		parseTPMAP(tb, "61_70_village_common.csv"), parseTPMAP(tb, "61_70_village_11111.csv")}))
	if err := s.ReplaceTPMAPYear(context.Background(), 2561, rows); err != nil {
		tb.Fatal(err)
	}
}

func tpmapServer(tb testing.TB, small int) *httptest.Server {
	tb.Helper()
	s := mustFixture(tb)
	withTPMAP(tb, s)
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(tb), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: storetest.Now, Version: "test", SmallCell: small})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return ts
}

// publishedTargetPoor sums TPMAP's published tambon rows under a prefix.
func publishedTargetPoor(tb testing.TB, prefix string) (targetPoor, poor, registered int64, dims [5]int64) {
	for _, r := range parseTPMAP(tb, "61_70_tambol_11111.csv").Poverty {
		if strings.HasPrefix(r.Code, prefix) {
			targetPoor += r.TargetPoor
			poor += r.Poor
			registered += r.PoorMOFReg
			for k := range dims {
				dims[k] += r.Dimensions[k]
			}
		}
	}
	return
}

type tpmapJSON struct {
	Year       int              `json:"year"`
	SurveyYear int              `json:"survey_year"`
	Published  bool             `json:"published"`
	People     *int64           `json:"people"`
	Poor       *int64           `json:"poor"`
	Registered *int64           `json:"registered"`
	TargetPoor *int64           `json:"target_poor"`
	Dimensions map[string]int64 `json:"dimensions"`
	Indicators []struct {
		Number     int    `json:"number"`
		NameTH     string `json:"name_th"`
		TargetPoor *int64 `json:"target_poor_failing"`
	} `json:"indicators"`
	Withheld []string `json:"withheld"`
}

func getTPMAPJSON(t *testing.T, ts *httptest.Server, code string) (int, tpmapJSON) {
	t.Helper()
	status, body, _ := get(t, ts, "/api/v1/areas/"+code+"/target-poor")
	var out tpmapJSON
	if status == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("%s: %v\n%s", code, err, body)
		}
	}
	return status, out
}

// The area page, the printable report, the API and the Excel file of every
// level show TPMAP's target poor as TPMAP published them (the tambons'
// published rows and their exact sums), labelled as TPMAP's.
func TestTPMAPTargetPoorEverywhere(t *testing.T) {
	ts := tpmapServer(t, 1)
	for _, code := range []string{"700513", "7005", "70"} {
		tp, poor, reg, dims := publishedTargetPoor(t, code)
		if tp == 0 {
			t.Fatalf("%s: no published target poor to compare", code)
		}
		for _, lang := range []string{"th", "en"} {
			status, body, _ := get(t, ts, "/areas/"+code+"?lang="+lang)
			if status != 200 {
				t.Fatalf("%s %s: %d", code, lang, status)
			}
			sec := tpmapSection(t, body, `id="tpmap"`)
			for _, want := range []string{thai.FormatInt(tp), thai.FormatInt(poor), thai.FormatInt(reg), "TPMAP 2561", "2560", "tpmap.in.th/2562/501405"} {
				if !strings.Contains(sec, want) {
					t.Errorf("%s %s: the TPMAP section lacks %q:\n%s", code, lang, want, sec)
				}
			}
			whose := map[string]string{"th": "ไม่ใช่ตัวเลขที่ tambon คำนวณ", "en": "not figures tambon computed"}[lang]
			if !strings.Contains(sec, whose) {
				t.Errorf("%s %s: the section does not say the figures are TPMAP's", code, lang)
			}
		}
		status, got := getTPMAPJSON(t, ts, code)
		if status != 200 || got.TargetPoor == nil || *got.TargetPoor != tp || *got.Poor != poor || *got.Registered != reg ||
			got.Year != 2561 || got.SurveyYear != 2560 || got.Published || len(got.Withheld) != 0 {
			t.Errorf("%s API: %d %+v; want target poor %d, poor %d, registered %d", code, status, got, tp, poor, reg)
		}
		for k, key := range tpmap.Dimensions {
			if got.Dimensions[key] != dims[k] {
				t.Errorf("%s API: %s %d, published %d", code, key, got.Dimensions[key], dims[k])
			}
		}
		if len(got.Indicators) != 31 || got.Indicators[21].Number != 22 || got.Indicators[21].NameTH == "" {
			t.Errorf("%s API indicators: %+v", code, got.Indicators)
		}

		status, body, h := get(t, ts, "/areas/"+code+"/export.xlsx?table=tpmap&lang=en")
		if status != 200 || !strings.Contains(h.Get("Content-Disposition"), "tpmap-2561.xlsx") {
			t.Fatalf("%s Excel: %d %s", code, status, h.Get("Content-Disposition"))
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]string{}
		for _, r := range rows {
			if len(r) >= 2 {
				found[r[0]] = r[1]
			}
		}
		if found["Target poor"] != strconv.FormatInt(tp, 10) || found["TPMAP year"] != "2561" || found["จปฐ. year used"] != "2560" {
			t.Errorf("%s Excel: target poor %q, years %q %q; want %d", code, found["Target poor"], found["TPMAP year"], found["จปฐ. year used"], tp)
		}
		ind, err := f.GetRows(f.GetSheetName(1))
		if err != nil || len(ind) != 32 {
			t.Errorf("%s Excel indicators: %d rows, %v", code, len(ind), err)
		}
	}
	// A village and the report.
	status, got := getTPMAPJSON(t, ts, "70051304")
	if status != 200 || !got.Published || got.People == nil || *got.People == 0 {
		t.Errorf("village API: %d %+v", status, got)
	}
	status, body, _ := get(t, ts, "/areas/70051304?lang=th")
	if status != 200 || !strings.Contains(body, `id="tpmap"`) {
		t.Errorf("village page: %d", status)
	}
	tp, _, _, _ := publishedTargetPoor(t, "700513")
	status, body, _ = get(t, ts, "/areas/700513/report?round="+roundTPMAP+"&lang=th")
	if status != 200 || !strings.Contains(tpmapSection(t, body, `id="tpmap"`), thai.FormatInt(tp)) {
		t.Errorf("report: %d, no TPMAP target poor %d", status, tp)
	}
	// A year without figures is not found; a bad one is refused.
	if status, _, _ := get(t, ts, "/api/v1/areas/700513/target-poor?year=2562"); status != 404 {
		t.Errorf("year 2562: %d", status)
	}
	if status, _, _ := get(t, ts, "/api/v1/areas/700513/target-poor?year=61"); status != 400 {
		t.Errorf("year 61: %d", status)
	}
}

// tpmapSection cuts the <section> that has attr out of a page.
func tpmapSection(t *testing.T, body, attr string) string {
	t.Helper()
	i := strings.Index(body, attr)
	if i < 0 {
		t.Fatalf("the page has no %s", attr)
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		t.Fatalf("no end of the section %s", attr)
	}
	return body[i : i+j]
}

// Small counts of TPMAP's figures follow the disclosure rule for the public:
// a village's target poor from 1 to 4 is hidden on its page and in the API,
// and no tambon shown leaves exactly one village's count hidden.
func TestTPMAPSmallCountsHidden(t *testing.T) {
	ts := tpmapServer(t, 5)
	ctx := context.Background()
	s := mustFixture(t) // a second store, for the exact figures
	withTPMAP(t, s)
	var small []tpmap.TargetPoor
	kids, err := s.TPMAPTargetPoorChildren(ctx, "7005", 2561)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range kids {
		vs, err := s.TPMAPTargetPoorChildren(ctx, tb.Code, 2561)
		if err != nil {
			t.Fatal(err)
		}
		hidden, exact := 0, int64(0)
		for _, v := range vs {
			status, got := getTPMAPJSON(t, ts, v.Code)
			if status == http.StatusNotFound {
				continue // a village the fixture's area register lacks
			}
			if v.TargetPoor > 0 && v.TargetPoor < 5 {
				small = append(small, v)
			}
			if got.TargetPoor == nil {
				hidden++
				exact += v.TargetPoor
			} else if *got.TargetPoor != v.TargetPoor {
				t.Errorf("%s: shown %d, TPMAP published %d", v.Code, *got.TargetPoor, v.TargetPoor)
			}
		}
		_, parent := getTPMAPJSON(t, ts, tb.Code)
		if parent.TargetPoor != nil && hidden == 1 && exact > 0 {
			t.Errorf("tambon %s is shown with one village's target poor hidden: subtraction gives it", tb.Code)
		}
	}
	if len(small) == 0 {
		t.Fatal("amphoe 7005 has no village with 1-4 target poor to test with")
	}
	v := small[0]
	_, got := getTPMAPJSON(t, ts, v.Code)
	if got.TargetPoor != nil || !strings.Contains(strings.Join(got.Withheld, ","), "target_poor") {
		t.Errorf("%s: target poor %d published as %v, withheld %v", v.Code, v.TargetPoor, got.TargetPoor, got.Withheld)
	}
	_, body, _ := get(t, ts, "/areas/"+v.Code+"?lang=th")
	sec := tpmapSection(t, body, `id="tpmap"`)
	if !strings.Contains(sec, "ซ่อนไว้") {
		t.Errorf("%s: the page does not say the small count is hidden:\n%s", v.Code, sec)
	}
}
