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
		page := importFile(t, c, "bmn-2570", csv.Bytes())
		if n, _ := s.CountHouseholds(ctx, "bmn-2570", "70051304"); n != 5 || !strings.Contains(page, `id="import-summary"`) {
			t.Fatalf("after the import the village has %d households, want 5: %s", n, page[strings.Index(page, "<main"):])
		}

		// Results: 1 of 5 households passes LOC01.
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
			if i < 0 || res.Indicators[i].Surveyed == nil || *res.Indicators[i].Surveyed != 5 || *res.Indicators[i].Passed != 1 {
				t.Errorf("API %s: LOC01 is not 1 of 5 households: %s", code, body)
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
func importFile(t *testing.T, c *client, round string, file []byte) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "households.csv")
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
