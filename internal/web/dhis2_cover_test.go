package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tambon/internal/dhis2"
	"tambon/internal/dhis2/dhis2test"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/user"
	"tambon/internal/web"
)

// areaMarks are what an export says of one organisation unit: its
// coverage and certification counts, the comment beside the count of
// tambons certified, and the completeDate that applies to it.
type areaMarks struct {
	VillagesWithData, Villages, Tambons, Certified string
	Comment, Complete                              string
}

// exportMarks reads the marks of every organisation unit of an export,
// by area code, in any of the three formats.
func exportMarks(t *testing.T, m *dhis2.Mapping, format, body string) (map[string]*areaMarks, string) {
	t.Helper()
	key := map[string]string{}
	for _, e := range m.DataElements {
		key[e.ID], key[e.Code] = e.Key, e.Key
	}
	out := map[string]*areaMarks{}
	at := func(ou string) *areaMarks {
		for _, code := range []string{"7005", "700513", "700514", "70051301", "70051302", "70051303", "70051304", "70051401"} {
			if ou == code || ou == m.OrgUnit(code) {
				ou = code
			}
		}
		if out[ou] == nil {
			out[ou] = &areaMarks{}
		}
		return out[ou]
	}
	mark := func(ou, de, value, comment string) {
		a := at(ou)
		switch key[de] {
		case dhis2.KeyVillagesWithData:
			a.VillagesWithData = value
		case dhis2.KeyVillages:
			a.Villages = value
		case dhis2.KeyTambons:
			a.Tambons = value
		case dhis2.KeyTambonsCertified:
			a.Certified, a.Comment = value, comment
		}
	}
	if format == dhis2.FormatADX {
		var msg struct {
			Groups []struct {
				OrgUnit      string `xml:"orgUnit,attr"`
				CompleteDate string `xml:"completeDate,attr"`
				DataValues   []struct {
					DataElement string `xml:"dataElement,attr"`
					Value       string `xml:"value,attr"`
					Annotation  string `xml:"annotation"`
				} `xml:"dataValue"`
			} `xml:"group"`
		}
		if err := xml.Unmarshal([]byte(body), &msg); err != nil {
			t.Fatal(err)
		}
		for _, g := range msg.Groups {
			at(g.OrgUnit).Complete = g.CompleteDate
			for _, v := range g.DataValues {
				mark(g.OrgUnit, v.DataElement, v.Value, v.Annotation)
			}
		}
		return out, ""
	}
	set, err := dhis2test.Decode(format, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range set.DataValues {
		mark(v.OrgUnit, v.DataElement, v.Value, v.Comment)
	}
	// A set's completeDate applies to the set's own organisation unit.
	if set.CompleteDate != "" {
		at(set.OrgUnit).Complete = set.CompleteDate
	}
	return out, set.CompleteDate
}

// mustDHIS2Server serves the household application on a filled store,
// publishing as told.
func mustDHIS2Server(t *testing.T, s *store.Store, publish web.Publish) string {
	t.Helper()
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: storetest.Now, Version: "test", Publish: publish})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(web.HouseholdHandler(srv))
	t.Cleanup(ts.Close)
	return ts.URL
}

// validADX checks an ADX message against the ADX schema, where xmllint is.
func validADX(t *testing.T, body string) {
	t.Helper()
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Log("xmllint is not installed (apt-get install libxml2-utils): the ADX schema is not checked here")
		return
	}
	f := filepath.Join(t.TempDir(), "api.adx")
	os.WriteFile(f, []byte(body), 0o644)
	if out, err := exec.Command(lint, "--noout", "--schema", filepath.Join("..", "dhis2", "schema", "adx.xsd"), f).CombinedOutput(); err != nil {
		t.Errorf("the ADX fails the schema: %v\n%s", err, out)
	}
}

// writeVillage adds n example households to a village of the round.
func writeVillage(t *testing.T, s *store.Store, eng *engine.Engine, village string, n int, seed uint64) {
	t.Helper()
	hs := surveyfile.Example(eng.Set(), village, n, seed)
	for _, h := range hs {
		h.RoundID = round2562
	}
	if _, err := s.WriteHouseholds(context.Background(), eng, round2562, hs, "test", nil); err != nil {
		t.Fatal(err)
	}
}

// Every DHIS2 export says, per organisation unit, what its figures cover
// and whether the province has certified them, in JSON, XML and ADX, for
// the public and for a caller with exact figures, as the results API says
// it beside the same figures. An amphoe holding a certified tambon and an
// uncertified one is provisional; the certified tambon and its villages
// are certified, with ADX's completeDate the day of certification; the
// other tambon and its village are not, and carry no completeDate. Under
// `--publish certified` the public's export holds only the certified
// tambon, says the other was left out, and is complete as a whole. The
// ADX validates against the schema throughout.
func TestDHIS2ExportSaysCoverageAndCertification(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { dhis2Marks(t, mustFixture(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		dhis2Marks(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn)))
	})
}

func dhis2Marks(t *testing.T, s *store.Store) {
	ctx := context.Background()
	rd, err := s.Round(ctx, round2562)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	m := dhis2.Default(eng.Set(), eng.Poverty())
	writeVillage(t, s, eng, "70051401", 2, 41) // ตำบลเบิกไพร, never certified: its counts are small
	certify(t, s, round2562, "700513")
	hist, err := s.ReviewHistory(ctx, round2562, "700513")
	if err != nil || len(hist) == 0 || hist[len(hist)-1].Step != survey.Certify {
		t.Fatalf("review history %+v, %v", hist, err)
	}
	certifiedOn := hist[len(hist)-1].At.UTC().Format(time.DateOnly)
	certifiedAreas := map[string]bool{"700513": true, "70051301": true, "70051302": true, "70051303": true, "70051304": true,
		"7005": false, "700514": false, "70051401": false}

	all := mustDHIS2Server(t, s, web.PublishAll)
	province := mustToken(t, s, "province-dhis2", user.Province, "70")
	for _, caller := range []struct{ name, token string }{{"public", ""}, {"exact", province}} {
		for _, format := range []string{dhis2.FormatJSON, dhis2.FormatXML, dhis2.FormatADX} {
			path := map[string]string{dhis2.FormatJSON: "dataValueSets.json", dhis2.FormatXML: "dataValueSets.xml", dhis2.FormatADX: "adx"}[format]
			status, body, h := odataGet(t, all, "/api/v1/dhis2/"+path+"?round="+round2562+"&area=7005", caller.token)
			if status != http.StatusOK || (caller.token != "") != (h.Get("X-Tambon-Figures") == "exact") {
				t.Fatalf("%s %s: %d, figures %q: %s", caller.name, format, status, h.Get("X-Tambon-Figures"), body)
			}
			if format == dhis2.FormatADX {
				validADX(t, body)
			}
			marks, setComplete := exportMarks(t, m, format, body)
			if setComplete != "" {
				t.Errorf("%s %s: a set holding an uncertified tambon is complete on %s", caller.name, format, setComplete)
			}
			for code, certified := range certifiedAreas {
				got := marks[code]
				if got == nil {
					t.Errorf("%s %s: nothing of %s", caller.name, format, code)
					continue
				}
				var api resultsJSON
				status, b, _ := odataGet(t, all, "/api/v1/areas/"+code+"/results?round="+round2562, caller.token)
				if status != http.StatusOK || json.Unmarshal([]byte(b), &api) != nil || api.Coverage == nil || api.Certification == nil {
					t.Fatalf("results of %s: %d %s", code, status, b)
				}
				want := areaMarks{VillagesWithData: itoa(api.Coverage.VillagesWithData), Villages: itoa(api.Coverage.Villages),
					Tambons: itoa(api.Certification.Tambons), Certified: itoa(api.Certification.TambonsCertified)}
				if g := *got; g.VillagesWithData != want.VillagesWithData || g.Villages != want.Villages || g.Tambons != want.Tambons || g.Certified != want.Certified {
					t.Errorf("%s %s %s: export %+v, results API %+v", caller.name, format, code, g, want)
				}
				if certified != (api.Status == "certified") {
					t.Fatalf("%s: the results API says %s", code, api.Status)
				}
				if certified != strings.Contains(got.Comment, "(certified:") || certified == strings.Contains(got.Comment, "(provisional:") {
					t.Errorf("%s %s %s: comment %q", caller.name, format, code, got.Comment)
				}
				if format == dhis2.FormatADX && got.Complete != map[bool]string{true: certifiedOn}[certified] {
					t.Errorf("%s ADX %s: completeDate %q (certified %v on %s)", caller.name, code, got.Complete, certified, certifiedOn)
				}
			}
		}
	}

	// Publishing certified tambons only: the public's export of the amphoe
	// is its certified tambon's, whole and complete, and says what it left out.
	certOnly := mustDHIS2Server(t, s, web.PublishCertified)
	for _, format := range []string{dhis2.FormatJSON, dhis2.FormatXML, dhis2.FormatADX} {
		path := map[string]string{dhis2.FormatJSON: "dataValueSets.json", dhis2.FormatXML: "dataValueSets.xml", dhis2.FormatADX: "adx"}[format]
		status, body, _ := odataGet(t, certOnly, "/api/v1/dhis2/"+path+"?round="+round2562+"&area=7005", "")
		if status != http.StatusOK {
			t.Fatalf("publish certified %s: %d %s", format, status, body)
		}
		if format == dhis2.FormatADX {
			validADX(t, body)
		}
		marks, setComplete := exportMarks(t, m, format, body)
		if marks["700514"] != nil || marks["70051401"] != nil {
			t.Errorf("publish certified %s: the uncertified tambon is in the public's export: %+v %+v", format, marks["700514"], marks["70051401"])
		}
		amphoe := marks["7005"]
		if amphoe == nil || amphoe.Tambons != "1" || amphoe.Certified != "1" || amphoe.Complete != certifiedOn ||
			!strings.Contains(amphoe.Comment, "(certified:") {
			t.Fatalf("publish certified %s: the amphoe's marks %+v", format, amphoe)
		}
		if format != dhis2.FormatADX && setComplete != certifiedOn {
			t.Errorf("publish certified %s: the set of certified figures says completeDate %q", format, setComplete)
		}
		if !strings.Contains(body, "leaving out 1 tambons not yet certified") {
			t.Errorf("publish certified %s: the export does not say it left a tambon out", format)
		}
	}
}

// An attacker holding the public's export before and after a withheld
// count changes learns nothing from the coverage and certification: the
// count of households of a village too small to publish moves, and every
// coverage and certification figure, comment and completeDate of every
// area stays as it was (a coverage that counted households would move).
func TestDHIS2CoverageRevealsNoWithheldCount(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { dhis2CoverageLeak(t, mustFixture(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		dhis2CoverageLeak(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn)))
	})
}

func dhis2CoverageLeak(t *testing.T, s *store.Store) {
	ctx := context.Background()
	rd, _ := s.Round(ctx, round2562)
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	m := dhis2.Default(eng.Set(), eng.Poverty())
	writeVillage(t, s, eng, "70051401", 2, 41)
	certify(t, s, round2562, "700513")
	base := mustDHIS2Server(t, s, web.PublishAll)
	token := mustToken(t, s, "province-leak", user.Province, "70")
	households := deID(m, dhis2.KeyHouseholds)
	read := func() map[string]map[string]*areaMarks {
		out := map[string]map[string]*areaMarks{}
		for _, format := range []string{dhis2.FormatJSON, dhis2.FormatADX} {
			path := map[string]string{dhis2.FormatJSON: "dataValueSets.json", dhis2.FormatADX: "adx"}[format]
			status, body, _ := odataGet(t, base, "/api/v1/dhis2/"+path+"?round="+round2562+"&area=70", "")
			if status != http.StatusOK {
				t.Fatalf("%s: %d %s", format, status, body)
			}
			out[format], _ = exportMarks(t, m, format, body)
		}
		return out
	}
	householdsOf := func(token, code string) (string, bool) {
		d, _ := mustDataValueSet(t, base, "/api/v1/dhis2/dataValueSets.json?round="+round2562+"&area=70", token)
		return d.value(households, m.OrgUnit(code), dhis2.DefaultCOC)
	}
	before := read()
	exact1, _ := householdsOf(token, "70051401")
	writeVillage(t, s, eng, "70051401", 1, 42)
	after := read()
	exact2, _ := householdsOf(token, "70051401")
	if exact1 == exact2 || exact1 == "" {
		t.Fatalf("the village's exact households did not move: %q → %q", exact1, exact2)
	}
	for _, code := range []string{"70051401", "700514"} {
		if v, shown := householdsOf("", code); shown {
			t.Fatalf("the public sees %s's %s households: the test proves nothing about withheld counts", code, v)
		}
	}
	for format, marks := range before {
		if len(marks) < 5 {
			t.Fatalf("%s: marks of only %d areas", format, len(marks))
		}
		for code, b := range marks {
			a := after[format][code]
			if a == nil || *a != *b {
				t.Errorf("%s %s: coverage and certification moved with a withheld count: %+v → %+v", format, code, *b, a)
			}
		}
	}
}
