package geo_test

import (
	"encoding/json"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/geo"
)

// topology is the part of a TopoJSON file the maps rely on.
type topology struct {
	Type      string            `json:"type"`
	Arcs      [][][2]float64    `json:"arcs"`
	Transform *json.RawMessage  `json:"transform"`
	Objects   map[string]object `json:"objects"`
}

type object struct {
	Type       string     `json:"type"`
	Geometries []geometry `json:"geometries"`
}

type geometry struct {
	Type       string          `json:"type"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties struct {
		Code   string `json:"code"`
		NameTH string `json:"name_th"`
		NameEN string `json:"name_en"`
		Parent string `json:"parent"`
	} `json:"properties"`
}

// feature is one area as a map shows it.
type feature struct{ code, nameTH, nameEN, parent string }

// mustLayer loads a layer, checks that it is a well-formed topology whose one
// object is named after the level and whose features all carry a code of
// codeLen digits, and returns the features by code.
func mustLayer(tb testing.TB, level, province string, codeLen int) map[string]feature {
	tb.Helper()
	b, err := geo.Layer(level, province)
	if err != nil {
		tb.Fatalf("Layer(%q, %q): %v", level, province, err)
	}
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		tb.Fatalf("Layer(%q, %q) is not JSON: %v", level, province, err)
	}
	if t.Type != "Topology" || t.Transform == nil || len(t.Arcs) == 0 {
		tb.Fatalf("Layer(%q, %q): type %q, transform %v, %d arcs; want a quantized Topology",
			level, province, t.Type, t.Transform != nil, len(t.Arcs))
	}
	obj, ok := t.Objects[level]
	if !ok || len(t.Objects) != 1 {
		tb.Fatalf("Layer(%q, %q): objects %v; want exactly one named %q", level, province, keys(t.Objects), level)
	}
	if len(obj.Geometries) == 0 {
		tb.Fatalf("Layer(%q, %q): no features", level, province)
	}
	out := make(map[string]feature, len(obj.Geometries))
	for i, g := range obj.Geometries {
		p := g.Properties
		if len(p.Code) != codeLen || strings.Trim(p.Code, "0123456789") != "" {
			tb.Errorf("Layer(%q, %q) feature %d: code %q; want %d digits", level, province, i, p.Code, codeLen)
		}
		if province != "" && !strings.HasPrefix(p.Code, province) {
			tb.Errorf("Layer(%q, %q): feature %s is outside the province", level, province, p.Code)
		}
		if p.NameTH == "" || p.NameEN == "" {
			tb.Errorf("Layer(%q, %q) feature %s: names %q / %q; want both", level, province, p.Code, p.NameTH, p.NameEN)
		}
		if codeLen > 2 && p.Parent != p.Code[:codeLen-2] {
			tb.Errorf("Layer(%q, %q) feature %s: parent %q; want %q", level, province, p.Code, p.Parent, p.Code[:codeLen-2])
		}
		if g.Type != "Polygon" && g.Type != "MultiPolygon" {
			tb.Errorf("Layer(%q, %q) feature %s: geometry %q; want a polygon", level, province, p.Code, g.Type)
		}
		checkArcRefs(tb, g.Arcs, len(t.Arcs), level+"/"+p.Code)
		if _, dup := out[p.Code]; dup {
			tb.Errorf("Layer(%q, %q): code %s appears twice", level, province, p.Code)
		}
		out[p.Code] = feature{p.Code, p.NameTH, p.NameEN, p.Parent}
	}
	return out
}

// checkArcRefs walks a geometry's nested arc indexes (negative ones are arcs
// read backwards, ~i) and reports any that point past the arcs array, which
// would make the browser draw nothing or throw.
func checkArcRefs(tb testing.TB, raw json.RawMessage, n int, where string) {
	tb.Helper()
	var walk func(v any) int
	walk = func(v any) int {
		switch v := v.(type) {
		case float64:
			i := int(v)
			if i < 0 {
				i = ^i
			}
			if i >= n {
				tb.Errorf("%s: arc %d out of range (%d arcs)", where, int(v), n)
			}
			return 1
		case []any:
			c := 0
			for _, x := range v {
				c += walk(x)
			}
			return c
		}
		tb.Errorf("%s: unexpected arc value %v", where, v)
		return 0
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil || walk(v) == 0 {
		tb.Errorf("%s: no arcs (%v)", where, err)
	}
}

func keys(m map[string]object) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestEveryLayerHasCodedFeatures(t *testing.T) {
	provinces := mustLayer(t, geo.Province, "", 2)
	if len(provinces) != 77 {
		t.Errorf("province layer has %d provinces; want 77", len(provinces))
	}
	districts := mustLayer(t, geo.District, "", 4)
	if len(districts) != 928 {
		t.Errorf("district layer has %d amphoe; want 928", len(districts))
	}

	split := geo.Provinces()
	if len(split) != len(provinces) {
		t.Errorf("Provinces() has %d codes; want one per province (%d)", len(split), len(provinces))
	}
	perProvince := 0
	for _, p := range split {
		if _, ok := provinces[p]; !ok {
			t.Errorf("split layer for %s, which is not in the province layer", p)
		}
		ds := mustLayer(t, geo.District, p, 4)
		for code := range ds {
			if _, ok := districts[code]; !ok {
				t.Errorf("district/%s has %s, which the whole-country layer lacks", p, code)
			}
		}
		perProvince += len(ds)
		for code, f := range mustLayer(t, geo.Subdistrict, p, 6) {
			if _, ok := ds[f.parent]; !ok {
				t.Errorf("tambon %s: amphoe %s is not in district/%s", code, f.parent, p)
			}
		}
	}
	if perProvince != len(districts) {
		t.Errorf("split district layers hold %d amphoe; the whole-country layer %d", perProvince, len(districts))
	}
}

// The pages of the pilot province must find their areas by code and name.
func TestRatchaburiIsPresent(t *testing.T) {
	tests := []struct {
		name, level, province string
		codeLen               int
		want                  feature
	}{
		{"province Ratchaburi", geo.Province, "", 2, feature{"70", "ราชบุรี", "Ratchaburi", ""}},
		{"amphoe Ban Pong, national layer", geo.District, "", 4, feature{"7005", "บ้านโป่ง", "Ban Pong", "70"}},
		{"amphoe Ban Pong, Ratchaburi layer", geo.District, "70", 4, feature{"7005", "บ้านโป่ง", "Ban Pong", "70"}},
		{"tambon Khao Khlung", geo.Subdistrict, "70", 6, feature{"700513", "เขาขลุง", "Khao Khlung", "7005"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := mustLayer(t, tt.level, tt.province, tt.codeLen)[tt.want.code]
			if !ok {
				t.Fatalf("Layer(%q, %q) has no feature %s", tt.level, tt.province, tt.want.code)
			}
			if got != tt.want {
				t.Errorf("feature %s = %+v; want %+v", tt.want.code, got, tt.want)
			}
		})
	}
}

// Village offices load these over slow links: keep each download small.
func TestLayerSizes(t *testing.T) {
	const kb = 1000
	check := func(level, province string, limit int) {
		b, err := geo.Layer(level, province)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > limit {
			t.Errorf("Layer(%q, %q) is %d bytes; keep it under %d", level, province, len(b), limit)
		}
	}
	check(geo.Province, "", 150*kb)
	check(geo.District, "", 350*kb)
	for _, p := range geo.Provinces() {
		check(geo.District, p, 50*kb)
		check(geo.Subdistrict, p, 100*kb)
	}
}

func TestLayerRefusesBadRequests(t *testing.T) {
	tests := []struct {
		name, level, province string
		want                  apperr.Code
	}{
		{"unknown level", "village", "", apperr.Invalid},
		{"empty level", "", "", apperr.Invalid},
		{"province layer is not split", geo.Province, "70", apperr.Invalid},
		{"tambons need a province", geo.Subdistrict, "", apperr.Invalid},
		{"province code too long", geo.Subdistrict, "7005", apperr.Invalid},
		{"province code not digits", geo.District, "..", apperr.Invalid},
		{"path in province code", geo.Subdistrict, "../province", apperr.Invalid},
		{"no such province", geo.Subdistrict, "99", apperr.NotFound},
		{"no such province, districts", geo.District, "00", apperr.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := geo.Layer(tt.level, tt.province)
			if got := apperr.CodeOf(err); err == nil || got != tt.want {
				t.Fatalf("Layer(%q, %q) = %d bytes, %v (%s); want a %s error", tt.level, tt.province, len(b), err, got, tt.want)
			}
			if msg := apperr.MessageOf(err); msg.TH == "" || msg.EN == "" {
				t.Errorf("error message %+v; want Thai and English", msg)
			}
		})
	}
}

func TestCreditNamesSourceAndLicence(t *testing.T) {
	c := geo.Credit()
	for _, want := range []string{"Royal Thai Survey Department", "OCHA", "HDX", "COD-AB Thailand", "CC BY-IGO"} {
		if !strings.Contains(c, want) {
			t.Errorf("Credit() = %q; want it to name %q", c, want)
		}
	}
}

// A tambon drawn on a map must carry the register's code: a boundary whose
// code is not in the register, while the register has a tambon of the same
// Thai name in that province that no boundary carries, is the same tambon
// under an old code, and would be left blank on every map.
func TestTambonCodesFollowTheRegister(t *testing.T) {
	tree, err := area.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range geo.Provinces() {
		features := mustLayer(t, geo.Subdistrict, p, 6)
		unmatched := map[string]string{} // Thai name → register code with no boundary
		for _, d := range tree.Children(p) {
			for _, tb := range tree.Children(d.Code) {
				if _, drawn := features[tb.Code]; !drawn {
					unmatched[tb.NameTH] = tb.Code
				}
			}
		}
		for code, f := range features {
			if a, ok := tree.Get(code); ok {
				if a.Parent != f.parent {
					t.Errorf("tambon %s %s: parent %s on the map, %s in the register", code, f.nameTH, f.parent, a.Parent)
				}
				continue
			}
			if reg, ok := unmatched[f.nameTH]; ok {
				t.Errorf("tambon %s on the map is %s %s in the register: recode it in build.sh", code, reg, f.nameTH)
			}
		}
	}
}

// Khao Khlung's boundary box centre lies inside Ban Pong district (about
// 13.75-13.95 N, 99.65-99.95 E: it is the district's western tambon); a
// code with no boundary has none.
func TestCentreOfATambon(t *testing.T) {
	lat, lon, ok := geo.Centre("700513")
	if !ok || lat < 13.75 || lat > 13.95 || lon < 99.65 || lon > 99.95 {
		t.Errorf("Centre(700513) = %.4f, %.4f, %v; want inside Ban Pong", lat, lon, ok)
	}
	// A tambon in the far south is far from it: the layers are not mixed up.
	if lat2, _, ok := geo.Centre("960101"); !ok || lat2 > 7 {
		t.Errorf("Centre(960101) latitude %.4f, %v; want Narathiwat, below 7 N", lat2, ok)
	}
	for _, code := range []string{"709999", "70", "7005130"} {
		if _, _, ok := geo.Centre(code); ok {
			t.Errorf("Centre(%q) found a place", code)
		}
	}
}
