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
	"tambon/internal/dhis2"
	"tambon/internal/dhis2/dhis2test"
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
// but two kinds, each of which an aggregate round does not hold: the
// households' net income, and the count of tambons certified (an aggregate
// round is not reviewed here, so its figures carry no certification and
// never look certified). Its area pages show the source round's figures:
// households, people, every indicator's counts and the poverty index. A
// file with problems, or a round of households, is refused and nothing is
// written. The export of an amphoe holding a certified tambon and an
// uncertified one says which is which.
func TestDHIS2RoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		env := map[string]string{"USER": "somchai"}
		run := mustRun(t, env)
		run("migrate", "--db", dsn)
		run("gen", "--area", "700513", "--round", "bmn-2564", "--year", "2564", "--db", dsn)
		run("gen", "--area", "700514", "--round", "bmn-2564", "--db", dsn)
		for _, step := range []string{"submit", "verify", "certify"} {
			run("review", "--round", "bmn-2564", "--area", "700513", "--step", step, "--override", "generated households", "--db", dsn)
		}
		var mapping struct {
			DataElements []struct{ Key, ID string } `json:"data_elements"`
		}
		json.Unmarshal([]byte(run("dhis2", "mapping", "--round", "bmn-2564", "--db", dsn)), &mapping)
		id := map[string]string{}
		for _, e := range mapping.DataElements {
			id[e.Key] = e.ID
		}
		source := filepath.Join(dir, "source.json")
		run("dhis2", "export", "--round", "bmn-2564", "--area", "7005", "--format", "json", "--out", source, "--db", dsn)
		checkCertificationMarks(t, dir, dsn, run, id)
		want := dvsValues(t, source, id[dhis2.KeyNetIncome], id[dhis2.KeyTambons], id[dhis2.KeyTambonsCertified])
		if len(want) < 1000 {
			t.Fatalf("the source export has only %d values", len(want))
		}
		for _, format := range []string{"json", "xml", "adx"} {
			file := filepath.Join(dir, "export."+format)
			run("dhis2", "export", "--round", "bmn-2564", "--area", "7005", "--format", format, "--out", file, "--db", dsn)
			round := "dhis2-" + format
			out, stderr, err := run2(t, env, "dhis2", "import", file, "--round", round, "--db", dsn)
			if err != nil || !strings.Contains(out, "into the new aggregate round "+round) ||
				!strings.Contains(stderr, "net income was read and checked but not stored") || !strings.Contains(stderr, "never as certified") {
				t.Errorf("%s import: %v, said: %s\n%s", format, err, out, stderr)
			}
			again := filepath.Join(dir, "again-"+format+".json")
			run("dhis2", "export", "--round", round, "--area", "7005", "--format", "json", "--out", again, "--db", dsn)
			b, _ := os.ReadFile(again)
			if strings.Contains(string(b), "completeDate") || strings.Contains(string(b), id[dhis2.KeyTambonsCertified]) ||
				strings.Contains(string(b), id[dhis2.KeyNetIncome]) {
				t.Errorf("%s: the imported round's export carries certification or a net income", format)
			}
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
		run("dhis2", "export", "--round", "dhis2-json", "--area", "7005", "--format", "json", "--out", again, "--db", dsn)
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

// checkCertificationMarks exports ตำบลเขาขลุง (certified) and ตำบลเบิกไพร
// (not) and their amphoe in the three formats, and checks what each says
// of each area: tambons certified out of those in the figures, a comment
// saying certified or provisional, and completeDate only where every
// tambon is certified.
func checkCertificationMarks(t *testing.T, dir, dsn string, run func(args ...string) string, id map[string]string) {
	t.Helper()
	want := map[string]struct {
		tambons, certified string
	}{"7005": {"2", "1"}, "700513": {"1", "1"}, "70051301": {"1", "1"}, "700514": {"1", "0"}, "70051401": {"1", "0"}}
	for _, format := range []string{"json", "xml", "adx"} {
		file := filepath.Join(dir, "marks."+format)
		run("dhis2", "export", "--round", "bmn-2564", "--area", "7005", "--format", format, "--out", file, "--db", dsn)
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		body := string(b)
		if format == "adx" {
			for code, w := range want {
				i := strings.Index(body, `<group orgUnit="`+code+`"`)
				if i < 0 {
					t.Fatalf("adx: no group of %s", code)
				}
				group := body[i : i+strings.Index(body[i:], "</group>")]
				head := group[:strings.Index(group, ">")]
				certified := w.certified == w.tambons
				if strings.Contains(head, "completeDate=") != certified ||
					!strings.Contains(group, `dataElement="TBN_TAMBONS" value="`+w.tambons+`"`) ||
					!strings.Contains(group, `dataElement="TBN_TAMBONS_CERTIFIED" value="`+w.certified+`"><annotation>`+map[bool]string{true: "รับรองแล้ว", false: "ยังไม่รับรอง"}[certified]) {
					t.Errorf("adx %s: %s … marks differ from %s of %s certified", code, head, w.certified, w.tambons)
				}
			}
			continue
		}
		d, err := dhis2test.Decode(format, b)
		if err != nil || d.CompleteDate != "" {
			t.Fatalf("%s: %v; a set with an uncertified tambon says completeDate %q", format, err, d.CompleteDate)
		}
		for code, w := range want {
			ou := dhis2.UID("organisationUnit", code)
			got := map[string]string{}
			comment := ""
			for _, v := range d.DataValues {
				if v.OrgUnit == ou {
					got[v.DataElement] = v.Value
					if v.DataElement == id[dhis2.KeyTambonsCertified] {
						comment = v.Comment
					}
				}
			}
			certified := w.certified == w.tambons
			if got[id[dhis2.KeyTambons]] != w.tambons || got[id[dhis2.KeyTambonsCertified]] != w.certified ||
				strings.Contains(comment, "(certified:") != certified || strings.Contains(comment, "(provisional:") == certified {
				t.Errorf("%s %s: %s of %s tambons certified, comment %q; want %s of %s", format, code,
					got[id[dhis2.KeyTambonsCertified]], got[id[dhis2.KeyTambons]], comment, w.certified, w.tambons)
			}
		}
	}
	// The certified tambon alone is complete as a whole.
	one := filepath.Join(dir, "certified.json")
	run("dhis2", "export", "--round", "bmn-2564", "--area", "700513", "--format", "json", "--out", one, "--db", dsn)
	b, _ := os.ReadFile(one)
	var d struct{ CompleteDate, OrgUnit string }
	if json.Unmarshal(b, &d) != nil || d.CompleteDate == "" || d.OrgUnit != dhis2.UID("organisationUnit", "700513") {
		t.Errorf("the certified tambon's export says completeDate %q of %q", d.CompleteDate, d.OrgUnit)
	}
}
