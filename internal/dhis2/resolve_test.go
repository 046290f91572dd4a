package dhis2_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"tambon/internal/dhis2"
)

// Reading a file back checks it whole: every problem is named with where
// it is, in Thai and English, and a clean file gives back the statistics
// it was made of.
func TestResolveChecksTheWholeFile(t *testing.T) {
	eng, figs := mustFigures(t, "700513")
	m := dhis2.Default(eng.Set(), eng.Poverty())
	read := func(format string) []dhis2.RawValue {
		var b bytes.Buffer
		if err := m.WriteValues(&b, format, m.Values(round2564, figs), time.Now()); err != nil {
			t.Fatal(err)
		}
		if got, err := dhis2.Sniff(b.Bytes()); err != nil || got != format {
			t.Fatalf("sniffed %q, %v; wrote %s", got, err, format)
		}
		vals, err := dhis2.Read(&b, format, "f."+format)
		if err != nil {
			t.Fatal(err)
		}
		return vals
	}
	for _, format := range []string{dhis2.FormatJSON, dhis2.FormatXML, dhis2.FormatADX} {
		imp, err := m.Resolve(read(format), mustTree(t), eng, "f")
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if imp.Period != "2021" || len(imp.Areas) != len(figs) {
			t.Fatalf("%s: period %q, %d areas, want %d", format, imp.Period, len(imp.Areas), len(figs))
		}
		for _, f := range figs {
			got := dhis2.FromTotals(eng, f.Area, imp.Areas[f.Area], true)
			if *got.Households != *f.Households || *got.Indicators[4].Passed != *f.Indicators[4].Passed || *got.MPI.Q != *f.MPI.Q {
				t.Errorf("%s: area %s read back differently", format, f.Area)
			}
		}
	}
	find := func(vals []dhis2.RawValue, code, ou string, nth int) int {
		for i, v := range vals {
			if v.DataElement == code && v.OrgUnit == ou {
				if nth == 0 {
					return i
				}
				nth--
			}
		}
		t.Fatalf("no value %s of %s", code, ou)
		return -1
	}
	village := "70051301"
	for _, tt := range []struct {
		name  string
		edit  func(v []dhis2.RawValue) []dhis2.RawValue
		where string
		want  string
	}{
		{"a value that is not a number", func(v []dhis2.RawValue) []dhis2.RawValue {
			v[find(v, "TBN_PEOPLE", village, 0)].Value = "12.5"
			return v
		}, "f, row ", "the value must be a whole number"},
		{"an unknown data element", func(v []dhis2.RawValue) []dhis2.RawValue {
			v[find(v, "TBN_PEOPLE", village, 0)].DataElement = "TBN_NOTHING"
			return v
		}, "TBN_NOTHING", "no data element"},
		{"an unknown organisation unit", func(v []dhis2.RawValue) []dhis2.RawValue {
			v[find(v, "TBN_PEOPLE", village, 0)].OrgUnit = "70059999"
			return v
		}, "70059999", "unknown organisation unit"},
		{"another period", func(v []dhis2.RawValue) []dhis2.RawValue {
			v[find(v, "TBN_PEOPLE", village, 0)].Period = "2020"
			return v
		}, "2020", "a file is of one round"},
		{"a figure twice", func(v []dhis2.RawValue) []dhis2.RawValue {
			return append(v, v[find(v, "TBN_PEOPLE", village, 0)])
		}, "also at row", "given twice"},
		{"passed and failed not adding up", func(v []dhis2.RawValue) []dhis2.RawValue {
			v[find(v, "TBN_BMN_2560_2564_4_SURVEYED", village, 0)].Value = "1"
			return v
		}, village, "is not the 1 surveyed"},
		{"more households surveyed than there are", func(v []dhis2.RawValue) []dhis2.RawValue {
			i := find(v, "TBN_BMN_2560_2564_4", village, 0) // passed
			v[i].Value = "100000"
			v = append(v[:find(v, "TBN_BMN_2560_2564_4_SURVEYED", village, 0)], v[find(v, "TBN_BMN_2560_2564_4_SURVEYED", village, 0)+1:]...)
			return v
		}, village, "more than its"},
		{"a village withheld", func(v []dhis2.RawValue) []dhis2.RawValue {
			i := find(v, "TBN_HOUSEHOLDS", village, 0)
			return append(v[:i], v[i+1:]...)
		}, village, "no households"},
		{"a tambon that is not its villages' sum", func(v []dhis2.RawValue) []dhis2.RawValue {
			v[find(v, "TBN_NET_INCOME", "700513", 0)].Value = "1"
			return v
		}, "700513", "not the sum of the areas under it"},
		{"deprivation counts that do not fit their scores", func(v []dhis2.RawValue) []dhis2.RawValue {
			for i := range v {
				if strings.Contains(v[i].DataElement, "DEPRIVED") && v[i].OrgUnit == village && v[i].Value != "0" {
					v[i].Value = "999999"
					return v
				}
			}
			t.Fatal("no deprivation count to break")
			return v
		}, village, "poverty index"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.Resolve(tt.edit(read(dhis2.FormatADX)), mustTree(t), eng, "f")
			if err == nil {
				t.Fatal("accepted")
			}
			if msg := err.Error(); !strings.Contains(msg, tt.where) || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, want one at %q saying %q", msg, tt.where, tt.want)
			}
		})
	}
}
