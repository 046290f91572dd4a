package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/user"
	"tambon/internal/web"

	"github.com/xuri/excelize/v2"
)

// mustPublishApp is the household application on the fixture, publishing
// as told.
func mustPublishApp(tb testing.TB, publish web.Publish) *householdApp {
	tb.Helper()
	s := mustFixture(tb)
	hash, err := user.HashPassword(hhPassword)
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range hhUsers {
		u.PasswordHash, u.DisplayName = hash, u.Username
		if _, err := s.CreateUser(context.Background(), u); err != nil {
			tb.Fatal(err)
		}
	}
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(tb), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: storetest.Now, Version: "test", Publish: publish})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(web.HouseholdHandler(srv))
	tb.Cleanup(ts.Close)
	return &householdApp{ts: ts, store: s}
}

// certify takes a tambon's round through submission, verification and
// certification.
func certify(tb testing.TB, s *store.Store, round, tambon string) {
	tb.Helper()
	for _, step := range []survey.Review{survey.Submit, survey.Verify, survey.Certify} {
		if _, err := s.Review(context.Background(), round, tambon, step, "province", ""); err != nil {
			tb.Fatal(err)
		}
	}
}

type resultsJSON struct {
	Round struct {
		ID string `json:"id"`
	} `json:"round"`
	Households int64 `json:"households"`
	Coverage   *struct {
		VillagesWithData   int    `json:"villages_with_data"`
		Villages           int    `json:"villages"`
		Households         *int64 `json:"households"`
		HouseholdsExpected *int64 `json:"households_expected"`
		TambonsLeftOut     int    `json:"tambons_left_out"`
		VillagesLeftOut    int    `json:"villages_left_out"`
	} `json:"coverage"`
	Status        string `json:"status"`
	Certification *struct {
		Tambons          int `json:"tambons"`
		TambonsCertified int `json:"tambons_certified"`
	} `json:"certification"`
}

func (c *client) results(path string) resultsJSON {
	c.tb.Helper()
	status, body, _ := c.get(path)
	if status != http.StatusOK {
		c.tb.Fatalf("%s: %d %s", path, status, body)
	}
	var out resultsJSON
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		c.tb.Fatal(err)
	}
	if out.Coverage == nil || out.Certification == nil {
		c.tb.Fatalf("%s carries no coverage or certification: %s", path, body)
	}
	return out
}

// TestResultsCoverageAndStatus: the API says how many villages the figures
// stand on out of the register's, and whether every tambon is certified.
func TestResultsCoverageAndStatus(t *testing.T) {
	app := mustPublishApp(t, web.PublishAll)
	tree := mustTree(t)
	c := app.as(t, "")

	// Partial and provisional: four villages of เขาขลุง, nothing certified.
	got := c.results("/api/v1/areas/700513/results?round=" + round2562)
	if cv := got.Coverage; cv.VillagesWithData != 4 || cv.Villages != tree.Villages("700513") || cv.Villages <= 4 ||
		cv.Households == nil || *cv.Households != got.Households || cv.HouseholdsExpected != nil {
		t.Errorf("tambon coverage %+v (households %d), want 4 of %d villages, no expected count (2561 did not cover every village)",
			*cv, got.Households, tree.Villages("700513"))
	}
	if got.Status != "provisional" || got.Certification.Tambons != 1 || got.Certification.TambonsCertified != 0 {
		t.Errorf("uncertified tambon: status %q, %+v", got.Status, *got.Certification)
	}
	province := c.results("/api/v1/areas/70/results?round=" + round2562)
	if province.Coverage.VillagesWithData != 4 || province.Coverage.Villages != tree.Villages("70") {
		t.Errorf("province coverage %+v, want 4 of %d", *province.Coverage, tree.Villages("70"))
	}

	// Full: one village, and the previous round covered it too.
	v := c.results("/api/v1/areas/70051304/results?round=" + round2562)
	if cv := v.Coverage; cv.VillagesWithData != 1 || cv.Villages != 1 || cv.HouseholdsExpected == nil || *cv.HouseholdsExpected <= 0 {
		t.Errorf("village coverage %+v, want 1 of 1 with the 2561 households expected", *cv)
	}

	// Certified by the province.
	certify(t, app.store, round2562, "700513")
	got = c.results("/api/v1/areas/70/results?round=" + round2562)
	if got.Status != "certified" || got.Certification.Tambons != 1 || got.Certification.TambonsCertified != 1 {
		t.Errorf("certified tambon: status %q, %+v", got.Status, *got.Certification)
	}

	// Published aggregates: every village of the province, no review.
	agg := c.results("/api/v1/areas/70/results?round=" + roundTPMAP)
	if agg.Status != "published" || agg.Coverage.VillagesWithData != tree.Villages("70") || agg.Coverage.Villages != tree.Villages("70") {
		t.Errorf("TPMAP: status %q, coverage %+v", agg.Status, *agg.Coverage)
	}
}

// TestPublishCertifiedHidesUncertified: with --publish certified the public
// does not see an uncertified tambon's figures (and is told so), staff do,
// and certifying the tambon publishes them.
func TestPublishCertifiedHidesUncertified(t *testing.T) {
	app := mustPublishApp(t, web.PublishCertified)
	public, staff := app.as(t, ""), app.as(t, "district")

	pub := public.results("/api/v1/areas/7005/results?round=" + round2562)
	if pub.Households != 0 || pub.Coverage.VillagesWithData != 0 || pub.Coverage.TambonsLeftOut != 1 || pub.Coverage.VillagesLeftOut != 4 {
		t.Errorf("public sees %d households, coverage %+v; want none, one tambon (4 villages) left out", pub.Households, *pub.Coverage)
	}
	// Without a round asked for, the public gets the newest round it may see.
	if def := public.results("/api/v1/areas/700513/results"); def.Round.ID != roundTPMAP || def.Status != "published" {
		t.Errorf("public default round %q (%s), want the published TPMAP round", def.Round.ID, def.Status)
	}
	st := staff.results("/api/v1/areas/7005/results?round=" + round2562)
	if st.Households == 0 || st.Coverage.VillagesWithData != 4 || st.Coverage.TambonsLeftOut != 0 || st.Status != "provisional" {
		t.Errorf("staff see %d households, coverage %+v, status %q", st.Households, *st.Coverage, st.Status)
	}
	_, body, _ := public.get("/areas/7005?round=" + round2562)
	if !strings.Contains(body, `id="coverage-hidden"`) || !strings.Contains(body, "ไม่รวม 1 ตำบลที่ยังไม่รับรอง") {
		t.Error("the public page does not say an uncertified tambon is left out")
	}
	_, body, _ = staff.get("/areas/7005?round=" + round2562)
	if !strings.Contains(body, "ยังไม่รับรอง") || strings.Contains(body, `id="coverage-hidden"`) {
		t.Error("the staff page does not mark the figures provisional, or hides a tambon")
	}

	certify(t, app.store, round2562, "700513")
	pub = public.results("/api/v1/areas/7005/results?round=" + round2562)
	if pub.Households != st.Households || pub.Status != "certified" || pub.Coverage.TambonsLeftOut != 0 {
		t.Errorf("after certification the public sees %d households (staff %d), status %q", pub.Households, st.Households, pub.Status)
	}
}

// TestCoverageOnPages: partial coverage and provisional status are said on
// the area, indicator and poverty pages and the printable report.
func TestCoverageOnPages(t *testing.T) {
	app := mustPublishApp(t, web.PublishAll)
	c := app.as(t, "")
	n := itoa(mustTree(t).Villages("70"))
	for _, path := range []string{"/areas/70", "/areas/70/report", "/areas/70/poverty", "/areas/70/indicators/6"} {
		status, body, _ := c.get(path)
		if status != http.StatusOK {
			t.Errorf("%s: %d", path, status)
			continue
		}
		for _, want := range []string{"ข้อมูล 4 จาก " + n + " หมู่บ้าน", `class="badge provisional">ยังไม่รับรอง`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
	_, body, _ := c.get("/areas/70?round=" + roundTPMAP + "&lang=en")
	if !strings.Contains(body, "data from all "+n+" villages") || strings.Contains(body, "provisional") {
		t.Error("the TPMAP round does not read as full coverage of published figures")
	}
}

// TestExportSaysCoverage: every Excel export of an area's figures ends with
// a sheet saying how many villages they stand on and whether certified.
func TestExportSaysCoverage(t *testing.T) {
	app := mustPublishApp(t, web.PublishAll)
	c := app.as(t, "province") // signed in: the poverty counts are not withheld
	n := itoa(mustTree(t).Villages("70"))
	for _, q := range []string{"table=indicators", "table=children", "table=indicator&ind=6", "table=poverty"} {
		status, body, _ := c.get("/areas/70/export.xlsx?round=" + round2562 + "&" + q)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", q, status, body)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		rows, err := f.GetRows(sheets[len(sheets)-1])
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, r := range rows {
			all = append(all, strings.Join(r, "|"))
		}
		text := strings.Join(all, "\n")
		for _, want := range []string{"ข้อมูล 4 จาก " + n + " หมู่บ้าน", "ยังไม่รับรอง: ", "จปฐ. ปี 2562"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the last sheet %q lacks %q:\n%s", q, sheets[len(sheets)-1], want, text)
			}
		}
	}
}

// TestReportSignatures: the printed report carries the verifier's and
// certifier's lines (ลงชื่อ … ผู้รับรอง, ตำแหน่ง, วันที่), filled with who
// took each step and when once the tambon is certified.
func TestReportSignatures(t *testing.T) {
	app := mustPublishApp(t, web.PublishAll)
	c := app.as(t, "")
	path := "/areas/700513/report?round=" + round2562
	_, body, _ := c.get(path)
	for _, want := range []string{`id="report-sign"`, `id="sign-verify"`, `id="sign-certify"`, "ลงชื่อ", "ผู้รับรอง", "ผู้ตรวจสอบ", "ตำแหน่ง", "วันที่"} {
		if !strings.Contains(body, want) {
			t.Errorf("uncertified report lacks %q", want)
		}
	}
	if strings.Contains(body, "sign-rec") {
		t.Error("an uncertified report names a certifier")
	}
	ctx := context.Background()
	for _, st := range []struct {
		step survey.Review
		by   string
	}{{survey.Submit, "tambon"}, {survey.Verify, "district"}, {survey.Certify, "province"}} {
		if _, err := app.store.Review(ctx, round2562, "700513", st.step, st.by, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{path, "/areas/70051304/report?round=" + round2562} {
		_, body, _ = c.get(p)
		for _, want := range []string{"ระบบบันทึกว่า district ตรวจสอบข้อมูลเมื่อ 25 พฤศจิกายน 2569", "ระบบบันทึกว่า province รับรองข้อมูลเมื่อ 25 พฤศจิกายน 2569",
			`<span class="sign-line sign-name">province</span>`, `class="badge certified">รับรองแล้ว`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: certified report lacks %q", p, want)
			}
		}
	}
	// A province's report has lines to sign but names nobody.
	_, body, _ = c.get("/areas/70/report?round=" + round2562)
	if !strings.Contains(body, `id="sign-certify"`) || strings.Contains(body, "sign-rec") {
		t.Error("the province's report: signature lines missing, or filled from one tambon")
	}
}
