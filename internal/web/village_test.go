package web_test

import (
	"bytes"
	"context"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/tabular"
	"tambon/internal/village"
	"tambon/internal/village/villagefile"
)

const (
	villageRound2560 = "kcc2k-2560"
	villageRound2562 = "kcc2k-2562"
)

// seedVillages adds the กชช. 2ค rounds 2560 and 2562 with every village of
// ตำบลเขาขลุง, deterministically; หมู่ 4 is made a lagging village in 2562.
func seedVillages(tb testing.TB, s *store.Store) *village.Set {
	tb.Helper()
	ctx := context.Background()
	set := village.ForYear(2562)
	tree := mustTree(tb)
	for i, id := range []string{villageRound2560, villageRound2562} {
		if err := s.CreateVillageRound(ctx, village.Round{ID: id, SurveyYear: 2560 + 2*i, SetID: set.ID}); err != nil {
			tb.Fatal(err)
		}
		r := rand.New(rand.NewPCG(uint64(i), 1))
		var recs []village.Record
		for _, v := range tree.Children("700513") {
			q := r.Float64()
			if v.Code == "70051304" {
				q = 0.9 - 0.8*float64(i) // advanced in 2560, lagging in 2562
			}
			recs = append(recs, village.Record{Village: v.Code, Answers: set.Synthetic(r, q)})
		}
		if _, err := s.WriteVillages(ctx, id, recs, "seed"); err != nil {
			tb.Fatal(err)
		}
	}
	return set
}

func TestVillagePages(t *testing.T) {
	app := mustHouseholdApp(t)
	seedVillages(t, app.store)
	c := app.as(t, "")
	ctx := context.Background()

	status, body, _ := c.get("/villages/" + villageRound2562 + "/700513")
	if status != http.StatusOK {
		t.Fatalf("tambon page: %d %s", status, body)
	}
	counts, _ := app.store.VillageCounts(ctx, villageRound2562, "700513")
	for _, want := range []string{`id="villages-n"><strong>` + itoa(counts.Villages) + `</strong>`, "อันดับ 1 (ล้าหลัง)", "เทียบปี 2560", "/villages/kcc2k-2562/70051304", `id="kcc-provisional"`} {
		if !strings.Contains(body, want) {
			t.Errorf("tambon page lacks %q", want)
		}
	}

	status, body, _ = c.get("/villages/" + villageRound2562 + "/70051304?lang=en")
	if status != http.StatusOK {
		t.Fatalf("village page: %d", status)
	}
	for _, want := range []string{`id="kcc-level">Priority 1 (lagging)`, "serious and", `id="kcc-prev-level">(2560: Priority`, `id="kcc-k33"`, "short of"} {
		if !strings.Contains(body, want) {
			t.Errorf("village page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="kcc-edit"`) {
		t.Error("a signed-out visitor is offered the form")
	}

	// The area page shows the จปฐ. figures, the MPI and กชช. 2ค side by side.
	status, body, _ = c.get("/areas/70051304?lang=th")
	if status != http.StatusOK {
		t.Fatalf("area page: %d", status)
	}
	for _, want := range []string{`id="households"`, `id="h-mpi"`, `id="kcc2k"`, `id="kcc-level">อันดับ 1 (ล้าหลัง)`, `id="kcc-problems"`} {
		if !strings.Contains(body, want) {
			t.Errorf("area page lacks %q", want)
		}
	}
	status, body, _ = c.get("/areas/7005")
	if status != http.StatusOK || !strings.Contains(body, `id="kcc-levels"`) {
		t.Errorf("district area page lacks the กชช. 2ค levels: %d", status)
	}
	// The area's villages download in the import template and read back as stored.
	status, body, _ = c.get("/villages/" + villageRound2562 + "/700513/export.xlsx")
	if status != http.StatusOK {
		t.Fatalf("export: %d", status)
	}
	rd, err := tabular.Open("export.xlsx", strings.NewReader(body), int64(len(body)), tabular.Options{Expect: villagefile.Columns(village.ForYear(2562))})
	if err != nil {
		t.Fatal(err)
	}
	recs, probs, err := villagefile.Read(rd, village.ForYear(2562), villagefile.Known(func(string) bool { return true }))
	if err != nil || len(probs) > 0 || len(recs) != counts.Villages {
		t.Fatalf("export read back: %d records, %v %v", len(recs), probs, err)
	}
	for _, rec := range recs {
		stored, _ := app.store.VillageRecord(ctx, villageRound2562, rec.Village)
		if !maps.Equal(stored.Answers, rec.Answers) {
			t.Errorf("%s exported %v, stored %v", rec.Village, rec.Answers, stored.Answers)
		}
	}
	if status, _, _ = c.get("/villages/kcc2k-2599/700513"); status != http.StatusNotFound {
		t.Errorf("unknown round: %d", status)
	}
}

func TestVillageForm(t *testing.T) {
	app := mustHouseholdApp(t)
	set := seedVillages(t, app.store)
	ctx := context.Background()
	edit := "/villages/" + villageRound2562 + "/70051304/edit"
	for _, tc := range []struct {
		who  string
		path string
		want int
	}{
		{"", edit, http.StatusSeeOther},
		{"viewer", edit, http.StatusForbidden},
		{"district", edit, http.StatusForbidden},
		{"moo4", "/villages/" + villageRound2562 + "/70051301/edit", http.StatusForbidden},
		{"moo4", edit, http.StatusOK},
		{"tambon", "/villages/" + villageRound2562 + "/700513/edit", http.StatusNotFound},
	} {
		if status, _, _ := app.as(t, tc.who).get(tc.path); status != tc.want {
			t.Errorf("%q GET %s = %d, want %d", tc.who, tc.path, status, tc.want)
		}
	}
	c := app.as(t, "moo4")
	before, _ := app.store.VillageRecord(ctx, villageRound2562, "70051304")
	form := url.Values{}
	for code, v := range before.Answers {
		form.Set(code, set.Indicators[0].Format(v))
	}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("k02", "140")
	bad.Set("k33", "")
	status, body, _ := c.post(edit, bad)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "ต้องอยู่ระหว่าง 0 ถึง 100") || !strings.Contains(body, "ไม่ได้ตอบตัวชี้วัด 33") {
		t.Fatalf("bad form: %d %s", status, errorsOf(body))
	}
	// Both refused fields are marked beside their text and linked from the summary.
	for _, code := range []string{"k02", "k33"} {
		tag := regexp.MustCompile(`<(input|select)[^>]* id="f-` + code + `"[^>]*>`).FindString(body)
		if !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, `aria-describedby="m-`+code+`"`) || !strings.Contains(body, `<a href="#f-`+code+`">`) {
			t.Errorf("%s is not marked invalid, described and linked: %s", code, tag)
		}
	}
	if after, _ := app.store.VillageRecord(ctx, villageRound2562, "70051304"); after.Version != before.Version {
		t.Fatal("a refused form changed the record")
	}
	form.Set("k02", "๙๖")
	status, _, h := c.post(edit, form)
	if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/villages/"+villageRound2562+"/70051304") {
		t.Fatalf("save: %d %v", status, h)
	}
	after, _ := app.store.VillageRecord(ctx, villageRound2562, "70051304")
	if after.Answers["k02"] != 96 || after.Version != before.Version+1 || after.UpdatedBy != "moo4" {
		t.Errorf("saved record %+v", after)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestVillageImportPage(t *testing.T) {
	app := mustHouseholdApp(t)
	set := seedVillages(t, app.store)
	ctx := context.Background()
	c := app.as(t, "moo4") // the enumerator of หมู่ 4 only
	if status, body, _ := c.get("/villages/" + villageRound2562 + "/import"); status != http.StatusOK || !strings.Contains(body, `id="kcc-import"`) {
		t.Fatalf("import page: %d", status)
	}
	file := func(codes []string, over village.Answers) []byte {
		var b bytes.Buffer
		w := tabular.NewCSVWriter(&b)
		r := rand.New(rand.NewPCG(5, 5))
		villagefile.Write(w, set, func(string) string { return "" }, func(yield func(village.Record) bool) {
			for _, code := range codes {
				a := set.Synthetic(r, 0.5)
				for k, v := range over {
					a[k] = v
				}
				yield(village.Record{Village: code, Answers: a})
			}
		})
		w.Close()
		return b.Bytes()
	}
	before, _ := app.store.VillageRecord(ctx, villageRound2562, "70051304")
	status, body := c.postFile("/imports/villages/"+villageRound2562, "file", "moo.csv", file([]string{"70051304", "70051301"}, village.Answers{"k05": 101}))
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("a file outside the account's area and with bad answers: %d", status)
	}
	for _, want := range []string{"moo.csv, row 3, column A (village_code)", "อยู่นอกพื้นที่ของบัญชีนี้", "row 2, column G (k05 ไฟฟ้า)", "ต้องอยู่ระหว่าง 0 ถึง 100"} {
		if !strings.Contains(body, want) {
			t.Errorf("the refusal lacks %q", want)
		}
	}
	if after, _ := app.store.VillageRecord(ctx, villageRound2562, "70051304"); after.Version != before.Version {
		t.Fatal("a refused file was written")
	}
	status, body = c.postFile("/imports/villages/"+villageRound2562, "file", "moo4.csv", file([]string{"70051304"}, village.Answers{"k05": 42}))
	if status != http.StatusOK || !strings.Contains(body, `id="imp-done"`) {
		t.Fatalf("a good file: %d", status)
	}
	if after, _ := app.store.VillageRecord(ctx, villageRound2562, "70051304"); after.Answers["k05"] != 42 || after.Version != before.Version+1 {
		t.Errorf("imported record %+v", after)
	}
	if status, _ = app.as(t, "viewer").postFile("/imports/villages/"+villageRound2562, "file", "x.csv", file([]string{"70051304"}, nil)); status != http.StatusForbidden {
		t.Errorf("a viewer imported: %d", status)
	}
}
