package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"tambon/internal/dhis2"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
)

type dataValueSet struct {
	DataSet    string `json:"dataSet"`
	DataValues []struct {
		DataElement, Period, OrgUnit, CategoryOptionCombo, AttributeOptionCombo, Value string
	} `json:"dataValues"`
}

// dvsValue finds one value of a set: data element, org unit, option combo.
func (d dataValueSet) value(de, ou, coc string) (string, bool) {
	for _, v := range d.DataValues {
		if v.DataElement == de && v.OrgUnit == ou && v.CategoryOptionCombo == coc {
			return v.Value, true
		}
	}
	return "", false
}

func mustDataValueSet(t *testing.T, base, path, token string) (dataValueSet, http.Header) {
	t.Helper()
	status, body, h := odataGet(t, base, path, token)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	var d dataValueSet
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("GET %s: not JSON: %v", path, err)
	}
	return d, h
}

// The DHIS2 data value set gives the public (and a viewer's token, and a
// token outside its area) what the results API gives the public: a
// withheld count has no value, a published one its value. A token that may
// open the households of the area gets the exact counts, with the poverty
// index's deprivation counts, and the export is in the audit log.
func TestDHIS2ExportFollowsDisclosure(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { dhis2Disclosure(t, mustHouseholdApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		dhis2Disclosure(t, mustHouseholdAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn))))
	})
}

func dhis2Disclosure(t *testing.T, app *householdApp) {
	base := app.ts.URL
	ctx := context.Background()
	rd, err := app.store.Round(ctx, round2562)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	m := dhis2.Default(eng.Set(), eng.Poverty())
	hh := deID(m, dhis2.KeyHouseholds)
	passed := m.Categories[0].Options[0].COC
	path := "/api/v1/dhis2/dataValueSets.json?round=" + round2562 + "&area=700513"

	public, h := mustDataValueSet(t, base, path, "")
	if h.Get("X-Tambon-Figures") != "public" || public.DataSet != m.DataSet.ID || len(public.DataValues) == 0 {
		t.Fatalf("public export: figures %q, data set %q, %d values", h.Get("X-Tambon-Figures"), public.DataSet, len(public.DataValues))
	}
	withheld := 0
	for _, code := range []string{"700513", "70051301", "70051304"} {
		status, body, _ := odataGet(t, base, "/api/v1/areas/"+code+"/results?round="+round2562, "")
		if status != http.StatusOK {
			t.Fatalf("results of %s: %d", code, status)
		}
		var api struct {
			Households *int64
			Indicators []struct {
				Code   string
				Passed *int64
			}
		}
		json.Unmarshal([]byte(body), &api)
		ou := m.OrgUnit(code)
		got, ok := public.value(hh, ou, dhis2.DefaultCOC)
		if (api.Households != nil) != ok || ok && got != strconv.FormatInt(*api.Households, 10) {
			t.Errorf("%s households: export %q (%v), results API %v", code, got, ok, api.Households)
		}
		for _, in := range api.Indicators {
			de := deID(m, "indicator/"+in.Code) // the indicator's passed/failed
			got, ok := public.value(de, ou, passed)
			if in.Passed == nil {
				withheld++
			}
			if (in.Passed != nil) != ok || ok && got != strconv.FormatInt(*in.Passed, 10) {
				t.Errorf("%s indicator %s passed: export %q (%v), results API %v", code, in.Code, got, ok, in.Passed)
			}
		}
	}
	if withheld == 0 {
		t.Fatal("the fixture withholds nothing: the test proves nothing about suppression")
	}
	score := deID(m, dhis2.KeyMPIScore)
	for _, v := range public.DataValues {
		if v.DataElement == score {
			t.Fatalf("the public export holds the deprivation counts by score: %+v", v)
		}
	}

	// A viewer, and a tambon's token asking beyond its tambon, read the public figures.
	_, publicBody, _ := odataGet(t, base, path, "")
	for _, tok := range []struct{ name, token, path string }{
		{"a viewer's token", mustToken(t, app.store, "viewer-bi", user.Viewer, "70"), path},
		{"a tambon's token asking for its province", mustToken(t, app.store, "khaokhlung-dhis2", user.Tambon, "700513"),
			"/api/v1/dhis2/dataValueSets.json?round=" + round2562 + "&area=70"},
	} {
		status, body, h := odataGet(t, base, tok.path, tok.token)
		if status != http.StatusOK || h.Get("X-Tambon-Figures") != "public" {
			t.Errorf("%s: %d, figures %q", tok.name, status, h.Get("X-Tambon-Figures"))
		}
		if tok.path == path && body != publicBody {
			t.Errorf("%s reads other figures than the public", tok.name)
		}
	}

	// The tambon's token in its tambon: exact counts, as the store holds them, audited.
	tok := mustToken(t, app.store, "khaokhlung-exact", user.Tambon, "700513")
	exact, h := mustDataValueSet(t, base, path, tok)
	if h.Get("X-Tambon-Figures") != "exact" {
		t.Fatalf("a tambon's token in its tambon: figures %q", h.Get("X-Tambon-Figures"))
	}
	all, err := app.store.AllTotals(ctx, eng, round2562)
	if err != nil {
		t.Fatal(err)
	}
	scores := 0
	for _, code := range []string{"700513", "70051301", "70051304"} {
		tot := all[code]
		if got, _ := exact.value(hh, m.OrgUnit(code), dhis2.DefaultCOC); got != strconv.FormatInt(tot.Households, 10) {
			t.Errorf("%s exact households %q, stored %d", code, got, tot.Households)
		}
		for i, c := range tot.Indicators {
			de := deID(m, "indicator/"+eng.Set().Indicators[i].Code)
			if got, _ := exact.value(de, m.OrgUnit(code), passed); got != strconv.FormatInt(c.Passed, 10) {
				t.Errorf("%s indicator %d exact passed %q, stored %d", code, i, got, c.Passed)
			}
		}
	}
	for _, v := range exact.DataValues {
		if v.DataElement == score {
			scores++
		}
	}
	if scores == 0 {
		t.Error("the exact export lacks the deprivation counts by score")
	}
	entries, _, err := app.store.SearchAudit(ctx, store.AuditQuery{User: "token:khaokhlung-exact", Action: "export.exact", Limit: 10})
	if err != nil || len(entries) != 1 || entries[0].Object != "dhis2:json" {
		t.Errorf("audit of the exact export: %+v, %v", entries, err)
	}

	// An aggregate round (TPMAP's published figures) exports too: no income, no poverty index.
	tpmap, _ := mustDataValueSet(t, base, "/api/v1/dhis2/dataValueSets.json?round="+roundTPMAP+"&area=70", "")
	if len(tpmap.DataValues) == 0 {
		t.Error("the aggregate round exports nothing")
	}
	tr, err := app.store.Round(ctx, roundTPMAP)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range tpmap.DataValues {
		if v.Period != strconv.Itoa(tr.SurveyYear-543) || v.DataElement == deID(m, dhis2.KeyNetIncome) {
			t.Fatalf("the aggregate round's value %+v (survey year %d)", v, tr.SurveyYear)
		}
	}

	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/api/v1/dhis2/dataValueSets.json?area=700513", 400},
		{"/api/v1/dhis2/dataValueSets.xml?round=bmn-2499&area=700513", 404},
		{"/api/v1/dhis2/adx?round=" + round2562 + "&area=99", 404},
	} {
		if status, body, _ := odataGet(t, base, tt.path, ""); status != tt.status {
			t.Errorf("GET %s: %d, want %d: %s", tt.path, status, tt.status, body)
		}
	}
}

// The API's ADX validates against the ADX schema, public and exact.
func TestDHIS2ADXFromTheAPIValidates(t *testing.T) {
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (apt-get install libxml2-utils): the ADX schema cannot be checked here")
	}
	app := mustHouseholdApp(t)
	path := "/api/v1/dhis2/adx?round=" + round2562 + "&area=700513"
	for _, token := range []string{"", mustToken(t, app.store, "khaokhlung-adx", user.Tambon, "700513")} {
		status, body, h := odataGet(t, app.ts.URL, path, token)
		if status != http.StatusOK || h.Get("Content-Type") != dhis2.ContentType(dhis2.FormatADX) {
			t.Fatalf("GET %s: %d %s %s", path, status, h.Get("Content-Type"), body)
		}
		f := filepath.Join(t.TempDir(), "api.adx")
		os.WriteFile(f, []byte(body), 0o644)
		if out, err := exec.Command(lint, "--noout", "--schema", filepath.Join("..", "dhis2", "schema", "adx.xsd"), f).CombinedOutput(); err != nil {
			t.Errorf("the %s ADX fails the schema: %v\n%s", h.Get("X-Tambon-Figures"), err, out)
		}
	}
}

// deID is the UID of the mapping's data element of a figure key.
func deID(m *dhis2.Mapping, key string) string {
	for _, e := range m.DataElements {
		if e.Key == key {
			return e.ID
		}
	}
	panic("no data element " + key)
}
