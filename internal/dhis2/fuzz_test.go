package dhis2_test

import (
	"bytes"
	"testing"

	"tambon/internal/dhis2"
	"tambon/internal/engine"
)

// FuzzRead feeds the reader and the checks arbitrary files: they refuse
// what they cannot take with an error, never a panic, and what they take
// has one period and statistics for every area it names.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		`{"dataSet":"x","dataValues":[{"dataElement":"TBN_HOUSEHOLDS","period":"2021","orgUnit":"70051301","value":"3"}]}`,
		`{"dataValues":[{"dataElement":"TBN_BMN_2560_2564_4","categoryOptionCombo":"x","period":"2021","orgUnit":"700513","value":1}]}`,
		`<?xml version="1.0"?><dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" period="2021" orgUnit="70051301"><dataValue dataElement="TBN_HOUSEHOLDS" value="2"/></dataValueSet>`,
		`<adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-01-01T00:00:00Z"><group orgUnit="70051301" period="2021-01-01/P1Y"><dataValue dataElement="TBN_HOUSEHOLDS" value="5"/><dataValue dataElement="TBN_BMN_2560_2564_4" TBN_RESULT="TBN_PASSED" value="4"/><dataValue dataElement="TBN_BMN_2560_2564_4" TBN_RESULT="TBN_FAILED" value="1"/></group></adx>`,
		`<adx><group orgUnit="TH" period="2021-01-01/P1Y"><dataValue dataElement="TBN_MPI_TPMAP_BMN_2560_2564_SCORE" value="-1"/></group></adx>`,
	} {
		f.Add([]byte(seed))
	}
	eng, err := engine.ForRound(round2564)
	if err != nil {
		f.Fatal(err)
	}
	m := dhis2.Default(eng.Set(), eng.Poverty())
	tree := mustTree(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		format, err := dhis2.Sniff(b)
		if err != nil {
			return
		}
		vals, err := dhis2.Read(bytes.NewReader(b), format, "fuzz")
		if err != nil || len(vals) == 0 {
			return
		}
		imp, err := m.Resolve(vals, tree, eng, "fuzz")
		if err != nil {
			return
		}
		for _, v := range vals {
			if v.Period != imp.Period {
				t.Fatalf("accepted periods %q and %q", imp.Period, v.Period)
			}
		}
		for _, l := range imp.Leaves {
			if imp.Areas[l] == nil {
				t.Fatalf("leaf %s has no statistics", l)
			}
		}
		imp.RoundTotals(tree, eng, nil)
	})
}
