package dhis2_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"tambon/internal/dhis2"
	"tambon/internal/engine"
)

// Every identifier of the default mapping is a DHIS2 UID, distinct, and
// the same when generated again; codes fit DHIS2's 50 characters.
func TestDefaultMappingIdentifiers(t *testing.T) {
	eng, err := engine.ForRound(round2564)
	if err != nil {
		t.Fatal(err)
	}
	a, b := dhis2.Default(eng.Set(), eng.Poverty()), dhis2.Default(eng.Set(), eng.Poverty())
	var x, y bytes.Buffer
	a.WriteMapping(&x)
	b.WriteMapping(&y)
	if x.String() != y.String() {
		t.Fatal("the default mapping differs when generated twice")
	}
	seen := map[string]string{}
	check := func(what, id, code string) {
		if !dhis2.ValidUID(id) {
			t.Errorf("%s: %q is not a DHIS2 UID", what, id)
		}
		if prev, ok := seen[id]; ok {
			t.Errorf("%s and %s share the UID %s", what, prev, id)
		}
		seen[id] = what
		if len(code) > 50 || code == "" {
			t.Errorf("%s: code %q", what, code)
		}
	}
	for _, e := range a.DataElements {
		check("data element "+e.Key, e.ID, e.Code)
		if len([]rune(e.ShortName)) > 50 {
			t.Errorf("%s: short name of %d characters", e.Key, len([]rune(e.ShortName)))
		}
	}
	for _, c := range a.Categories {
		check("category "+c.Key, c.ID, c.Code)
		for _, o := range c.Options {
			check("option "+o.Key, o.ID, o.Code)
			check("combo "+o.Key, o.COC, o.Code)
		}
	}
	if got := a.Period(round2564); got != "2021" {
		t.Errorf("period of 2564: %q, want 2021", got)
	}
	for _, bad := range []string{"", "1abcdefghij", "abcdefghij", "abcdefghijk1", "abc-efghijk"} {
		if dhis2.ValidUID(bad) {
			t.Errorf("ValidUID(%q) is true", bad)
		}
	}
}

// An office's edited mapping replaces what it names and keeps the rest;
// a key the set lacks, or an identifier that is not a UID, is refused
// saying where.
func TestLoadEditedMapping(t *testing.T) {
	eng, _ := engine.ForRound(round2564)
	def := dhis2.Default(eng.Set(), eng.Poverty())
	edit := func(f func(m map[string]any)) string {
		var b bytes.Buffer
		def.WriteMapping(&b)
		var m map[string]any
		json.Unmarshal(b.Bytes(), &m)
		f(m)
		out, _ := json.Marshal(m)
		return string(out)
	}
	own := edit(func(m map[string]any) {
		m["data_elements"] = []any{map[string]any{"key": "households", "id": "HHsurveyed1", "code": "HH_SURVEYED"}}
		m["categories"] = []any{}
		m["org_units"] = map[string]any{"700513": "KhaoKhlung1"}
		m["periods"] = map[string]any{"bmn-2564": "2020"}
	})
	got, err := dhis2.Load(strings.NewReader(own), def)
	if err != nil {
		t.Fatal(err)
	}
	if e := got.DataElements[0]; e.ID != "HHsurveyed1" || e.Code != "HH_SURVEYED" || e.Name != def.DataElements[0].Name {
		t.Errorf("edited households: %+v", e)
	}
	if got.DataElements[1] != def.DataElements[1] || got.OrgUnit("700513") != "KhaoKhlung1" || got.OrgUnit("70051301") != def.OrgUnit("70051301") ||
		got.Period(round2564) != "2020" {
		t.Errorf("the rest of the mapping changed: %+v", got.DataElements[1])
	}
	for _, tt := range []struct{ name, file, want string }{
		{"an unknown figure", edit(func(m map[string]any) {
			m["data_elements"] = []any{map[string]any{"key": "indicator/99"}}
		}), "data_elements[0]"},
		{"an identifier that is no UID", edit(func(m map[string]any) {
			m["data_elements"] = []any{map[string]any{"key": "people", "id": "people"}}
		}), "is not a DHIS2 UID"},
		{"one UID twice", edit(func(m map[string]any) {
			m["data_elements"] = []any{map[string]any{"key": "people", "id": def.DataElements[0].ID}}
		}), "also used by"},
		{"another set", edit(func(m map[string]any) { m["set_id"] = "bmn-2566-2570" }), "bmn-2566-2570"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dhis2.Load(strings.NewReader(tt.file), def)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one with %q", err, tt.want)
			}
		})
	}
}
