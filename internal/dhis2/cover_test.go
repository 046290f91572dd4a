package dhis2_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"tambon/internal/dhis2"
	"tambon/internal/dhis2/dhis2test"
)

// certifiedOn is when the fixture's certified tambon was certified.
var certifiedOn = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// mixedFigures are the figures of two tambons of one amphoe, the first
// certified by the province, the second not, each area with its cover.
func mixedFigures(t *testing.T) (*dhis2.Mapping, []dhis2.Figures) {
	t.Helper()
	eng, a := mustFigures(t, "700513")
	_, b := mustFigures(t, "700514")
	figs := append(a, b...)
	tambons := []dhis2.Tambon{{Code: "700513", Certified: true, CertifiedOn: certifiedOn}, {Code: "700514"}}
	var codes []string
	for _, f := range figs {
		codes = append(codes, f.Area)
		if len(f.Area) == 8 {
			for i := range tambons {
				if tambons[i].Code == f.Area[:6] {
					tambons[i].Villages++
				}
			}
		}
	}
	covers := dhis2.Covers(mustTree(t), codes, tambons, true)
	for i := range figs {
		figs[i].Cover = covers[figs[i].Area]
	}
	return dhis2.Default(eng.Set(), eng.Poverty()), figs
}

// marks are what a data value set says of each organisation unit: its
// tambons certified out of those in it, the comment beside that, and the
// set's own completeDate.
type marks struct {
	complete, completeUnit string
	tambons, certified     map[string]string // org unit → value
	comment                map[string]string
}

func dvsMarks(t *testing.T, m *dhis2.Mapping, format string, b []byte) marks {
	t.Helper()
	set, err := dhis2test.Decode(format, b)
	if err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	id := map[string]string{}
	for _, e := range m.DataElements {
		id[e.ID] = e.Key
	}
	out := marks{complete: set.CompleteDate, completeUnit: set.OrgUnit, tambons: map[string]string{}, certified: map[string]string{}, comment: map[string]string{}}
	for _, v := range set.DataValues {
		switch id[v.DataElement] {
		case dhis2.KeyTambons:
			out.tambons[v.OrgUnit] = v.Value
		case dhis2.KeyTambonsCertified:
			out.certified[v.OrgUnit], out.comment[v.OrgUnit] = v.Value, v.Comment
		}
	}
	return out
}

// An export holding a certified and an uncertified tambon marks each area
// by what it holds: the certified tambon and its villages as certified
// (every tambon in them certified, a comment saying so and, in ADX, a
// completeDate on their groups), the other tambon, its villages and the
// amphoe above both as provisional, without a completeDate. A data value
// set of many areas has a completeDate only when all of them are certified.
func TestExportMarksCertification(t *testing.T) {
	m, figs := mixedFigures(t)
	write := func(format string, figs []dhis2.Figures) []byte {
		var b bytes.Buffer
		if err := m.WriteValues(&b, format, m.Values(round2564, figs), certifiedOn.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, format := range []string{dhis2.FormatJSON, dhis2.FormatXML} {
		got := dvsMarks(t, m, format, write(format, figs))
		if got.complete != "" {
			t.Errorf("%s: a set with an uncertified tambon says it is complete on %s", format, got.complete)
		}
		for _, f := range figs {
			ou := m.OrgUnit(f.Area)
			certified := strings.HasPrefix(f.Area, "700513")
			want := map[bool]string{true: "1", false: "0"}[certified]
			if got.tambons[ou] != "1" || got.certified[ou] != want {
				t.Errorf("%s %s: %s of %s tambons certified, want %s of 1", format, f.Area, got.certified[ou], got.tambons[ou], want)
			}
			if c := got.comment[ou]; certified != strings.Contains(c, "(certified:") || certified == strings.Contains(c, "provisional") {
				t.Errorf("%s %s: comment %q", format, f.Area, c)
			}
		}
		// The certified tambon alone: the set is complete, named by the tambon.
		one := dvsMarks(t, m, format, write(format, figs[:len(figs)/2]))
		if one.complete != "2026-11-25" || one.completeUnit != m.OrgUnit("700513") {
			t.Errorf("%s: the certified tambon's set says completeDate %q of %q", format, one.complete, one.completeUnit)
		}
	}

	adx := write(dhis2.FormatADX, figs)
	if ok, out := validateADX(t, adx); !ok {
		t.Fatalf("the ADX with completeDate and annotations fails the schema:\n%s", out)
	}
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
	if err := xml.Unmarshal(adx, &msg); err != nil {
		t.Fatal(err)
	}
	if len(msg.Groups) != len(figs) {
		t.Fatalf("%d groups for %d areas", len(msg.Groups), len(figs))
	}
	for _, g := range msg.Groups {
		certified := strings.HasPrefix(g.OrgUnit, "700513")
		if want := map[bool]string{true: "2026-11-25"}[certified]; g.CompleteDate != want {
			t.Errorf("ADX group %s: completeDate %q, want %q", g.OrgUnit, g.CompleteDate, want)
		}
		found := false
		for _, v := range g.DataValues {
			if v.DataElement == "TBN_TAMBONS_CERTIFIED" {
				found = true
				if certified != (v.Value == "1") || certified != strings.Contains(v.Annotation, "(certified:") {
					t.Errorf("ADX group %s: %s tambons certified, annotation %q", g.OrgUnit, v.Value, v.Annotation)
				}
			}
		}
		if !found {
			t.Errorf("ADX group %s says nothing of certification", g.OrgUnit)
		}
	}
}

// Covers count villages and tambons as the results API does: a village is
// one village in its tambon, an amphoe sums its tambons, and figures are
// certified only when every tambon in them is; a round of published
// aggregates says nothing of certification and never looks certified.
func TestCovers(t *testing.T) {
	tree := mustTree(t)
	tambons := []dhis2.Tambon{{Code: "700513", Villages: 3, Certified: true, CertifiedOn: certifiedOn},
		{Code: "700514", Villages: 2, Certified: true, CertifiedOn: certifiedOn.Add(-time.Hour)}, {Code: "700102", Villages: 1}}
	c := dhis2.Covers(tree, []string{"70", "7005", "700513", "70051301", "700102"}, tambons, true)
	for code, want := range map[string]dhis2.Cover{
		"70":       {VillagesWithData: 6, Villages: tree.Villages("70"), Reviewed: true, Tambons: 3, Certified: 2},
		"7005":     {VillagesWithData: 5, Villages: tree.Villages("7005"), Reviewed: true, Tambons: 2, Certified: 2, CertifiedOn: certifiedOn},
		"700513":   {VillagesWithData: 3, Villages: tree.Villages("700513"), Reviewed: true, Tambons: 1, Certified: 1, CertifiedOn: certifiedOn},
		"70051301": {VillagesWithData: 1, Villages: 1, Reviewed: true, Tambons: 1, Certified: 1, CertifiedOn: certifiedOn},
		"700102":   {VillagesWithData: 1, Villages: tree.Villages("700102"), Reviewed: true, Tambons: 1},
	} {
		if *c[code] != want {
			t.Errorf("%s: %+v, want %+v", code, *c[code], want)
		}
		if c[code].IsCertified() != (want.Certified == want.Tambons) {
			t.Errorf("%s: certified %v", code, c[code].IsCertified())
		}
	}
	agg := dhis2.Covers(tree, []string{"7005"}, tambons, false)["7005"]
	if agg.IsCertified() || !agg.CertifiedOn.IsZero() {
		t.Errorf("published aggregates look certified: %+v", *agg)
	}
	m, figs := mixedFigures(t)
	for i := range figs {
		figs[i].Cover.Reviewed = false
	}
	var b bytes.Buffer
	if err := m.WriteValues(&b, dhis2.FormatADX, m.Values(round2564, figs), certifiedOn); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.Contains(s, "completeDate") || strings.Contains(s, "TBN_TAMBONS") || !strings.Contains(s, "not reviewed here") {
		t.Error("an aggregate round's export carries certification, or does not say its figures are not reviewed")
	}
}

// Reading an export back takes its coverage and certification as checked
// figures it does not keep, keeps no net income (an aggregate round holds
// none), and refuses coverage that does not add up.
func TestResolveCoverAndIncome(t *testing.T) {
	m, figs := mixedFigures(t)
	eng, _ := mustFigures(t, "700513")
	var b bytes.Buffer
	if err := m.WriteValues(&b, dhis2.FormatJSON, m.Values(round2564, figs), certifiedOn); err != nil {
		t.Fatal(err)
	}
	vals, err := dhis2.Read(bytes.NewReader(b.Bytes()), dhis2.FormatJSON, "f.json")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := m.Resolve(vals, mustTree(t), eng, "f.json")
	if err != nil {
		t.Fatal(err)
	}
	notes := ""
	for _, n := range imp.Notes {
		notes += n.EN + "\n"
	}
	if !strings.Contains(notes, "net income was read and checked but not stored") || !strings.Contains(notes, "never as certified") {
		t.Errorf("notes:\n%s", notes)
	}
	for code, tot := range imp.Areas {
		if tot.NetIncome != 0 {
			t.Errorf("%s: the import keeps a net income of %d", code, tot.NetIncome)
		}
		if tot.Households == 0 {
			t.Errorf("%s: no households", code)
		}
	}
	withData := m.DataElements[slicesIndex(m, dhis2.KeyVillagesWithData)].ID
	for i := range vals {
		if vals[i].DataElement == withData && vals[i].OrgUnit == m.OrgUnit("700513") {
			vals[i].Value = "9999"
		}
	}
	if _, err := m.Resolve(vals, mustTree(t), eng, "f.json"); err == nil || !strings.Contains(err.Error(), "coverage/villages_with_data 9999 is more than coverage/villages") {
		t.Errorf("coverage of more villages than the register's: %v", err)
	}
}

func slicesIndex(m *dhis2.Mapping, key string) int {
	for i, e := range m.DataElements {
		if e.Key == key {
			return i
		}
	}
	panic("no data element " + key)
}
