package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"tambon/internal/apperr"
)

// dvsValues reads a data value set file as data element|org unit|combo →
// value, leaving out the data elements named in skip.
func dvsValues(t *testing.T, file string, skip ...string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var d dvs
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, v := range d.DataValues {
		if !contains(skip, v.DataElement) {
			out[v.DataElement+"|"+v.OrgUnit+"|"+v.CategoryOptionCombo+"|"+v.Period] = v.Value
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// areaFigures is what the area page and the results API show of an area
// in a round, without what depends on the round itself (its id, previous
// round, status and coverage) or on income, which an aggregate round does
// not hold.
type areaFigures struct {
	Households, People int64
	Indicators         []struct {
		Code                     string
		Surveyed, Passed, Failed *int64
		PassedPct                *float64 `json:"passed_pct"`
	}
	MPI *struct {
		N, Q     *int64
		H, A, M0 *float64
	}
}

// A round exported to DHIS2 as a data value set (JSON, XML) or ADX and
// imported back into an aggregate round exports again as the same values
// (but the households' net income, which an aggregate round does not
// hold), and its area pages show the source round's figures: households,
// people, every indicator's counts and the poverty index. A file with
// problems, or a round of households, is refused and nothing is written.
func TestDHIS2RoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		env := map[string]string{"USER": "somchai"}
		run := mustRun(t, env)
		run("migrate", "--db", dsn)
		run("gen", "--area", "700513", "--round", "bmn-2564", "--year", "2564", "--db", dsn)
		var mapping struct {
			DataElements []struct{ Key, ID string } `json:"data_elements"`
		}
		json.Unmarshal([]byte(run("dhis2", "mapping", "--round", "bmn-2564", "--db", dsn)), &mapping)
		income := ""
		for _, e := range mapping.DataElements {
			if e.Key == "net_income" {
				income = e.ID
			}
		}
		source := filepath.Join(dir, "source.json")
		run("dhis2", "export", "--round", "bmn-2564", "--area", "700513", "--format", "json", "--out", source, "--db", dsn)
		want := dvsValues(t, source, income)
		if len(want) < 1000 {
			t.Fatalf("the source export has only %d values", len(want))
		}
		for _, format := range []string{"json", "xml", "adx"} {
			file := filepath.Join(dir, "export."+format)
			run("dhis2", "export", "--round", "bmn-2564", "--area", "700513", "--format", format, "--out", file, "--db", dsn)
			round := "dhis2-" + format
			out := run("dhis2", "import", file, "--round", round, "--db", dsn)
			if !strings.Contains(out, "into the new aggregate round "+round) {
				t.Errorf("%s import said: %s", format, out)
			}
			again := filepath.Join(dir, "again-"+format+".json")
			run("dhis2", "export", "--round", round, "--area", "700513", "--format", "json", "--out", again, "--db", dsn)
			if got := dvsValues(t, again); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: the imported round exports %d values, the source %d", format, len(got), len(want))
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%s: first difference %s: %q, source %q", format, k, got[k], v)
						break
					}
				}
			}
		}
		rounds := run("rounds", "--db", dsn)
		if !strings.Contains(rounds, "dhis2-json") || !strings.Contains(rounds, "DHIS2 (export.json)") {
			t.Errorf("the rounds do not show the imported round and where it came from:\n%s", rounds)
		}
		// The same file again replaces the round's figures with the same ones.
		run("dhis2", "import", filepath.Join(dir, "export.json"), "--round", "dhis2-json", "--db", dsn)
		again := filepath.Join(dir, "again-twice.json")
		run("dhis2", "export", "--round", "dhis2-json", "--area", "700513", "--format", "json", "--out", again, "--db", dsn)
		if got := dvsValues(t, again); !reflect.DeepEqual(got, want) {
			t.Errorf("importing the same file twice changes the round: %d values, want %d", len(got), len(want))
		}

		if _, _, err := run2(t, env, "dhis2", "import", source, "--round", "bmn-2564", "--db", dsn); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(err.Error(), "aggregate round") {
			t.Errorf("import into a round of households: %v", err)
		}
		b, _ := os.ReadFile(source)
		bad := filepath.Join(dir, "bad.json")
		os.WriteFile(bad, []byte(strings.Replace(string(b), `"value":"`, `"value":"x`, 1)), 0o644)
		_, stderr, err := run2(t, env, "dhis2", "import", bad, "--round", "dhis2-bad", "--db", dsn)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(stderr, "bad.json, dataValues[0]") || !strings.Contains(stderr, "the value must be a whole number") {
			t.Errorf("a bad value: %v\n%s", err, stderr)
		}
		if strings.Contains(run("rounds", "--db", dsn), "dhis2-bad") {
			t.Error("a refused import created its round")
		}

		// The area pages of the imported round show the source round's figures.
		base, _ := startApp(t, map[string]string{"TAMBON_PUBLISH": "all"}, "serve", "--db", dsn, "--small-cell", "1")
		for _, code := range []string{"700513", "70051301", "7005", "70"} {
			var src, imp areaFigures
			for _, x := range []struct {
				round string
				into  *areaFigures
			}{{"bmn-2564", &src}, {"dhis2-adx", &imp}} {
				status, body, _ := get(t, fmt.Sprintf("%s/api/v1/areas/%s/results?round=%s", base, code, x.round))
				if status != 200 {
					t.Fatalf("results of %s in %s: %d %s", code, x.round, status, body)
				}
				json.Unmarshal([]byte(body), x.into)
			}
			if src.Households == 0 || src.MPI == nil || len(src.Indicators) == 0 || !reflect.DeepEqual(src, imp) {
				t.Errorf("%s: the imported round's figures differ from the source's:\nsource %+v\nimport %+v", code, src, imp)
			}
			status, page, _ := get(t, base+"/areas/"+code+"?round=dhis2-adx")
			if hh := thousands(src.Households); status != 200 || !strings.Contains(page, hh) {
				t.Errorf("the area page of %s in the imported round (%d) does not show its %s households", code, status, hh)
			}
		}
	})
}

// run2 runs a command that may fail, returning its streams and error.
func run2(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	return run(t, env, "", args...)
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
