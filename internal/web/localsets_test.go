package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
	"tambon/internal/user"
	"tambon/internal/village"
	"tambon/internal/web"
)

// The worked example of docs/indicators.md: bmn-2566-2570 with one local
// indicator, LOC01, judged by the local question loc01_sorts_waste.
const (
	localQuestion  = "loc01_sorts_waste"
	localIndicator = "LOC01"
)

func localSetFile(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", "bmn-2566-2570-local.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// localApp is the web application on a store where a province has imported
// the local set: round bmn-2566 was opened before (version 1, with
// households), round bmn-2570 after (version 2, empty).
func localApp(t *testing.T, s *store.Store) *householdApp {
	t.Helper()
	ctx := context.Background()
	if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2566", Kind: survey.KindBMN, SurveyYear: 2566, SetID: "bmn-2566-2570"}); err != nil {
		t.Fatal(err)
	}
	old, err := s.Round(ctx, "bmn-2566")
	if err != nil {
		t.Fatal(err)
	}
	oldEng, err := engine.ForRound(old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteHouseholds(ctx, oldEng, old.ID, surveyfile.Example(oldEng.Set(), "70051304", 6, 66), "test", nil); err != nil {
		t.Fatal(err)
	}
	if v, created, err := s.ImportSet(ctx, localSetFile(t), "province", "local indicator"); err != nil || !created || v.Version != 2 {
		t.Fatalf("import the local set: %+v %v %v", v, created, err)
	}
	if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2570", Kind: survey.KindBMN, SurveyYear: 2570, SetID: "bmn-2566-2570"}); err != nil {
		t.Fatal(err)
	}
	hash, err := user.HashPassword(hhPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []user.User{{Username: "moo4", Role: user.Enumerator, AreaCode: "70051304"}, {Username: "tambon", Role: user.Tambon, AreaCode: "700513"}} {
		u.PasswordHash, u.DisplayName = hash, u.Username
		if _, err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: storetest.Now, Version: "test", SmallCell: 1})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &householdApp{ts: ts, store: s}
}

// A local indicator added to an official set as a new version flows through
// every door of a round pinned to that version: the web form asks its
// question, the import template has its column, an imported file fills it,
// and the area's page, its indicator page, its export and the API show the
// local indicator's result — while the round opened before keeps its own
// version and still serves as the previous round to compare with.
func TestLocalIndicatorEveryDoor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		app := localApp(t, s)
		rd, err := s.Round(ctx, "bmn-2570")
		if err != nil {
			t.Fatal(err)
		}
		if rd.SetVersion != 2 {
			t.Fatalf("the new round is pinned to version %d, want 2", rd.SetVersion)
		}
		eng, err := engine.ForRound(rd)
		if err != nil {
			t.Fatal(err)
		}
		c := app.as(t, "moo4")

		// The web form asks the local question, in Thai and in English.
		for lang, label := range map[string]string{"th": "ครัวเรือนคัดแยกขยะก่อนทิ้ง", "en": "sorts its waste before throwing it away"} {
			status, body, _ := c.get("/rounds/bmn-2570/households/new?village=70051304&lang=" + lang)
			if status != 200 || !strings.Contains(body, `name="answers.`+localQuestion+`"`) || !strings.Contains(body, label) {
				t.Fatalf("the %s form does not ask the local question (status %d)", lang, status)
			}
		}
		// A household entered through the form, answering it "yes".
		h := surveyfile.Example(eng.Set(), "70051304", 1, 501)[0]
		h.Status = survey.Complete
		f := formOf(t, h)
		if f.Get("answers."+localQuestion) == "" {
			t.Fatalf("the example household leaves the local question blank")
		}
		f.Set("answers."+localQuestion, "1")
		f.Set("save", "complete")
		status, body, hd := c.post("/rounds/bmn-2570/households/new", f)
		if status != http.StatusSeeOther {
			t.Fatalf("the form was refused: %d %s", status, errorsOf(body))
		}
		var id int64
		fmt.Sscanf(hd.Get("Location"), "/households/%d", &id)
		rec, err := s.Household(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if b, ok := rec.Household.Answers[localQuestion].Bool(); !ok || !b {
			t.Fatalf("the stored household's local answer: %v", rec.Household.Answers[localQuestion])
		}
		if _, page, _ := c.get(fmt.Sprintf("/households/%d", id)); !strings.Contains(page, localIndicator) {
			t.Errorf("the household's page does not show the local indicator or its answer: %s", page[strings.Index(page, "<main"):])
		}

		// The import template of the round has the local question's column,
		// and a file written with the template's columns imports.
		status, tpl, hd := c.get("/templates/households.xlsx?round=bmn-2570")
		if status != 200 || !strings.Contains(hd.Get("Content-Disposition"), "bmn-2566-2570") {
			t.Fatalf("template: %d %s", status, hd.Get("Content-Disposition"))
		}
		header := xlsxHeader(t, []byte(tpl), surveyfile.DataSheet)
		if !slices.ContainsFunc(header, func(h string) bool { return strings.Contains(h, "("+localQuestion+")") }) {
			t.Fatalf("the template has no column for the local question: %v", header)
		}
		hs := surveyfile.Example(eng.Set(), "70051304", 4, 502)
		for _, h := range hs {
			h.Status, h.SurveyDate = survey.Complete, storetest.Now().AddDate(0, 0, -10)
			h.Answers[localQuestion] = survey.Bool(false)
		}
		var csv bytes.Buffer
		w := tabular.NewCSVWriter(&csv)
		if err := surveyfile.Write(w, eng.Set(), hs); err != nil {
			t.Fatal(err)
		}
		w.Close()
		if got := strings.SplitN(strings.TrimPrefix(csv.String(), "\ufeff"), "\n", 2)[0]; strings.TrimSpace(got) != strings.Join(quoteAll(header), ",") &&
			strings.TrimSpace(got) != strings.Join(header, ",") {
			t.Fatalf("the file's columns are not the template's:\n%s\n%s", got, strings.Join(header, ","))
		}
		page := importFile(t, c, "bmn-2570", "households.csv", csv.Bytes())
		if n, _ := s.CountHouseholds(ctx, "bmn-2570", "70051304"); n != 5 || !strings.Contains(page, `id="import-summary"`) {
			t.Fatalf("after the import the village has %d households, want 5: %s", n, page[strings.Index(page, "<main"):])
		}
		// And an Excel file, whose two households sort their waste.
		hs = surveyfile.Example(eng.Set(), "70051304", 2, 503)
		for _, h := range hs {
			h.Status, h.SurveyDate = survey.Complete, storetest.Now().AddDate(0, 0, -10)
			h.Answers[localQuestion] = survey.Bool(true)
		}
		var xb bytes.Buffer
		xw := tabular.NewXLSXWriter(&xb)
		if err := surveyfile.Write(xw, eng.Set(), hs); err != nil {
			t.Fatal(err)
		}
		if err := xw.Close(); err != nil {
			t.Fatal(err)
		}
		page = importFile(t, c, "bmn-2570", "households.xlsx", xb.Bytes())
		if n, _ := s.CountHouseholds(ctx, "bmn-2570", "70051304"); n != 7 {
			t.Fatalf("after the Excel import the village has %d households, want 7: %s", n, page[strings.Index(page, "<main"):])
		}

		// Results: 3 of 7 households pass LOC01.
		tambon := app.as(t, "tambon")
		for _, code := range []string{"70051304", "700513", "70"} {
			status, body, _ := tambon.get("/api/v1/areas/" + code + "/results?round=bmn-2570")
			if status != 200 {
				t.Fatalf("API %s: %d %s", code, status, body)
			}
			var res struct {
				Indicators []struct {
					Code             string
					Surveyed, Passed *int64
				}
				PreviousRound *struct{ ID string } `json:"previous_round"`
			}
			if err := json.Unmarshal([]byte(body), &res); err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(res.Indicators, func(x struct {
				Code             string
				Surveyed, Passed *int64
			}) bool {
				return x.Code == localIndicator
			})
			if i < 0 || res.Indicators[i].Surveyed == nil || *res.Indicators[i].Surveyed != 7 || *res.Indicators[i].Passed != 3 {
				t.Errorf("API %s: LOC01 is not 3 of 7 households: %s", code, body)
			}
			if res.PreviousRound == nil || res.PreviousRound.ID != "bmn-2566" {
				t.Errorf("API %s: the round opened before (version 1) is not the previous round: %+v", code, res.PreviousRound)
			}
		}
		for _, path := range []string{"/areas/70051304?round=bmn-2570", "/areas/70051304/indicators/LOC01?round=bmn-2570",
			"/areas/70051304?round=bmn-2570&lang=en"} {
			status, body, _ := tambon.get(path)
			name := "ครัวเรือนคัดแยกขยะ"
			if strings.HasSuffix(path, "lang=en") {
				name = "Household sorts its waste"
			}
			if status != 200 || !strings.Contains(body, name) {
				t.Errorf("%s: status %d, shows LOC01 %v", path, status, strings.Contains(body, name))
			}
		}
		// The round opened before keeps its version: no LOC01 there.
		if _, body, _ := tambon.get("/api/v1/areas/70051304/results?round=bmn-2566"); strings.Contains(body, localIndicator) {
			t.Errorf("the round pinned to version 1 shows the local indicator")
		}
		// Exports: the area's indicator table and the household list.
		status, x, _ := tambon.get("/areas/70051304/export.xlsx?round=bmn-2570")
		if status != 200 || !xlsxHas(t, []byte(x), "Household sorts its waste") {
			t.Errorf("the area export lacks LOC01 (status %d)", status)
		}
		status, x, _ = tambon.get("/rounds/bmn-2570/areas/70051304/households?format=xlsx")
		if status != 200 || !xlsxHas(t, []byte(x), localIndicator) {
			t.Errorf("the household list export lacks LOC01 (status %d)", status)
		}
	})
}

// quoteAll quotes each header as a CSV writer may.
func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}

// xlsxHeader reads the first row of a sheet.
func xlsxHeader(t *testing.T, b []byte, sheet string) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows[0]
}

// xlsxHas reports whether any cell of any sheet holds s.
func xlsxHas(t *testing.T, b []byte, s string) bool {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for _, r := range rows {
			for _, c := range r {
				if strings.Contains(c, s) {
					return true
				}
			}
		}
	}
	return false
}

// importFile uploads a household file to a round through the import page and
// waits for the job; it returns the result page.
func importFile(t *testing.T, c *client, round, name string, file []byte) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", c.ts.URL+"/imports?round="+url.QueryEscape(round), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, _, h := c.do(req)
	if status != http.StatusSeeOther {
		t.Fatalf("upload: %d", status)
	}
	loc := h.Get("Location")
	id := loc[strings.LastIndex(loc, "job=")+4:]
	for range 400 {
		_, b, _ := c.get("/imports/" + id)
		var st struct{ State string }
		json.Unmarshal([]byte(b), &st)
		if st.State == "done" || st.State == "failed" {
			_, page, _ := c.get(loc)
			return page
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("the import did not finish")
	return ""
}

// villageLevel reads the development level shown on a village's page.
func villageLevel(t *testing.T, c *client, round string) string {
	t.Helper()
	status, body, _ := c.get("/villages/" + round + "/70051304?lang=en")
	i := strings.Index(body, `id="kcc-level">`)
	if status != 200 || i < 0 {
		t.Fatalf("village page of %s: %d", round, status)
	}
	rest := body[i+len(`id="kcc-level">`):]
	return rest[:strings.Index(rest, "<")]
}

// A province's local กชช. 2ค indicator (the worked example of
// docs/indicators.md: a waste-bank indicator with its own cut-offs, and a
// level rule for villages with many moderate problems) imported as a new
// version scores the villages of a round opened after it: the village form
// asks it, its score and the level it brings show on the village's page,
// and a round opened before keeps its version.
func TestLocalVillageIndicator(t *testing.T) {
	local, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", "kcc2k-2560-2564-local.json"))
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const before, after, code = "kcc2k-2562", "kcc2k-2564", "loc01_waste_bank"
		if err := s.CreateVillageRound(ctx, village.Round{ID: before, SurveyYear: 2562, SetID: "kcc2k-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		if v, created, err := s.ImportSet(ctx, local, "province", "local village indicator"); err != nil || !created || v.Version != 2 {
			t.Fatalf("import: %+v %v %v", v, created, err)
		}
		if err := s.CreateVillageRound(ctx, village.Round{ID: after, SurveyYear: 2564, SetID: "kcc2k-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		rd, err := s.VillageRound(ctx, after)
		if err != nil || rd.SetVersion != 2 {
			t.Fatalf("the new round is on version %d: %v", rd.SetVersion, err)
		}
		set, err := village.ForRound(rd)
		if err != nil {
			t.Fatal(err)
		}
		app := localApp(t, s)
		c := app.as(t, "moo4")
		status, body, _ := c.get("/villages/" + after + "/70051304/edit")
		if status != 200 || !strings.Contains(body, `name="`+code+`"`) || !strings.Contains(body, "ธนาคารขยะ") {
			t.Fatalf("the village form does not ask the local indicator (status %d)", status)
		}
		if _, body, _ := c.get("/villages/" + before + "/70051304/edit"); strings.Contains(body, code) {
			t.Fatal("the round opened before asks the local indicator")
		}
		// Answers with no problem, and moderate ones in the first n
		// indicators that can be moderate.
		answers := func(moderate int) url.Values {
			f := url.Values{}
			for i := range set.Indicators {
				ind := &set.Indicators[i]
				want := village.Fine
				if moderate > 0 && ind.Code != code {
					want = village.Moderate
				}
				v, ok := valueScoring(ind, want)
				if !ok {
					v, _ = valueScoring(ind, village.Fine)
				} else if want == village.Moderate {
					moderate--
				}
				f.Set(ind.Code, ind.Format(v))
			}
			return f
		}
		save := func(round string, f url.Values) {
			t.Helper()
			if status, body, _ := c.post("/villages/"+round+"/70051304/edit", f); status != http.StatusSeeOther {
				t.Fatalf("save in %s: %d %s", round, status, errorsOf(body))
			}
		}
		for _, tc := range []struct {
			name      string
			moderate  int
			waste     string
			wantScore string
			wantLevel string
		}{
			{"few households in the waste bank: a serious problem", 0, "10", "serious problem", "Priority 2"},
			{"some: a moderate problem", 0, "45", "moderate problem", "Priority 3"},
			{"most: no problem", 0, "80", "little or no problem", "Priority 3"},
			{"the local level rule: 8 moderate problems", 8, "80", "little or no problem", "Priority 2"},
		} {
			f := answers(tc.moderate)
			f.Set(code, tc.waste)
			save(after, f)
			_, page, _ := c.get("/villages/" + after + "/70051304?lang=en")
			i := strings.Index(page, `id="kcc-`+code+`"`)
			if i < 0 || !strings.Contains(page[i:min(len(page), i+1500)], tc.wantScore) {
				t.Errorf("%s: the village page does not score the local indicator %q", tc.name, tc.wantScore)
			}
			if got := villageLevel(t, c, after); !strings.Contains(got, tc.wantLevel) {
				t.Errorf("%s: level %q, want %q", tc.name, got, tc.wantLevel)
			}
		}
		// The same answers in the round opened before: version 1 has neither
		// the local indicator nor the local level rule.
		f := answers(8)
		f.Del(code)
		save(before, f)
		if got := villageLevel(t, c, before); !strings.Contains(got, "Priority 3") {
			t.Errorf("the round on version 1: level %q, want Priority 3", got)
		}
		// The area's villages download in the template of the round's version.
		status, x, _ := c.get("/villages/" + after + "/700513/export.xlsx")
		if status != 200 || !xlsxHas(t, []byte(x), code) {
			t.Errorf("the village export lacks the local column (status %d)", status)
		}
	})
}

// valueScoring returns an answer to ind that scores want, if there is one.
func valueScoring(ind *village.Indicator, want int) (float64, bool) {
	if ind.Kind == village.KindChoice {
		for _, c := range ind.Choices {
			if c.Score == want {
				return float64(c.Value), true
			}
		}
		return 0, false
	}
	for _, v := range []float64{ind.Scoring.Good, ind.Scoring.Moderate, ind.Min, ind.Max} {
		if ind.Score(v).Score == want {
			return v, true
		}
	}
	return 0, false
}
