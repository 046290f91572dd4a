package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type dvs struct {
	DataSet    string `json:"dataSet"`
	DataValues []struct {
		DataElement          string `json:"dataElement" xml:"dataElement,attr"`
		Period               string `json:"period" xml:"period,attr"`
		OrgUnit              string `json:"orgUnit" xml:"orgUnit,attr"`
		CategoryOptionCombo  string `json:"categoryOptionCombo" xml:"categoryOptionCombo,attr"`
		AttributeOptionCombo string `json:"attributeOptionCombo" xml:"attributeOptionCombo,attr"`
		Value                string `json:"value" xml:"value,attr"`
	} `json:"dataValues" xml:"dataValue"`
}

type ids struct {
	ID string `json:"id"`
}

type metadataFile struct {
	DataElements []struct {
		ID            string `json:"id"`
		Code          string `json:"code"`
		Description   string `json:"description"`
		CategoryCombo ids    `json:"categoryCombo"`
	} `json:"dataElements"`
	CategoryOptionCombos []struct {
		ID            string `json:"id"`
		CategoryCombo ids    `json:"categoryCombo"`
	} `json:"categoryOptionCombos"`
	OrganisationUnits []struct {
		ID     string `json:"id"`
		Code   string `json:"code"`
		Parent *ids   `json:"parent"`
	} `json:"organisationUnits"`
	DataSets []struct {
		ID              string `json:"id"`
		PeriodType      string `json:"periodType"`
		DataSetElements []struct {
			DataElement ids `json:"dataElement"`
		} `json:"dataSetElements"`
	} `json:"dataSets"`
}

// `dhis2 export` writes the same values as JSON and XML data value sets,
// and every value refers to the data elements, option combos and
// organisation units `dhis2 metadata` declares, each data element with a
// combo its option combo belongs to, each organisation unit's parent
// declared before it.
func TestDHIS2ExportAndMetadata(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		run := mustRun(t, map[string]string{"USER": "somchai"})
		run("migrate", "--db", dsn)
		run("gen", "--area", "700513", "--round", "bmn-2564", "--year", "2564", "--db", dsn)
		var sets [2]dvs
		for i, format := range []string{"json", "xml"} {
			out := filepath.Join(dir, "values."+format)
			run("dhis2", "export", "--round", "bmn-2564", "--area", "700513", "--format", format, "--out", out, "--db", dsn)
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if format == "json" {
				err = json.Unmarshal(b, &sets[i])
			} else {
				err = xml.Unmarshal(b, &sets[i])
			}
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
		}
		if len(sets[0].DataValues) == 0 || len(sets[0].DataValues) != len(sets[1].DataValues) {
			t.Fatalf("%d JSON values, %d XML values", len(sets[0].DataValues), len(sets[1].DataValues))
		}
		for i := range sets[0].DataValues {
			if sets[0].DataValues[i] != sets[1].DataValues[i] {
				t.Fatalf("value %d: JSON %+v, XML %+v", i, sets[0].DataValues[i], sets[1].DataValues[i])
			}
		}
		var md metadataFile
		if err := json.Unmarshal([]byte(run("dhis2", "metadata", "--round", "bmn-2564", "--area", "700513", "--db", dsn)), &md); err != nil {
			t.Fatal(err)
		}
		combos := map[string]string{"HllvX50cXC0": "bjDvmb4bfuf"}
		for _, c := range md.CategoryOptionCombos {
			combos[c.ID] = c.CategoryCombo.ID
		}
		elements := map[string]string{}
		described := map[string]bool{}
		for _, e := range md.DataElements {
			elements[e.ID] = e.CategoryCombo.ID
			described[e.Code] = strings.Contains(e.Description, "(")
		}
		// Coverage and certification are data elements of their own, each saying what it means.
		for _, code := range []string{"TBN_VILLAGES_WITH_DATA", "TBN_VILLAGES", "TBN_TAMBONS", "TBN_TAMBONS_CERTIFIED"} {
			if !described[code] {
				t.Errorf("the metadata does not declare and describe %s", code)
			}
		}
		units := map[string]string{}
		for _, ou := range md.OrganisationUnits {
			if ou.Parent != nil && units[ou.Parent.ID] == "" {
				t.Errorf("organisation unit %s comes before its parent", ou.Code)
			}
			units[ou.ID] = ou.Code
		}
		if units[md.OrganisationUnits[0].ID] != "TH" || len(md.OrganisationUnits) != 1+1+1+1+len(villagesOf(t, md.OrganisationUnits, "700513")) {
			t.Errorf("organisation units: first %s, %d in all", md.OrganisationUnits[0].Code, len(md.OrganisationUnits))
		}
		if len(md.DataSets) != 1 || md.DataSets[0].PeriodType != "Yearly" || md.DataSets[0].ID != sets[0].DataSet ||
			len(md.DataSets[0].DataSetElements) != len(md.DataElements) {
			t.Errorf("data set %+v", md.DataSets)
		}
		for _, v := range sets[0].DataValues {
			combo, ok := elements[v.DataElement]
			if !ok || combos[v.CategoryOptionCombo] != combo || units[v.OrgUnit] == "" || v.Period != "2021" || v.AttributeOptionCombo != "HllvX50cXC0" {
				t.Fatalf("value %+v does not fit the metadata (element's combo %q, option combo's %q)", v, combo, combos[v.CategoryOptionCombo])
			}
		}
	})
}

func villagesOf(t *testing.T, units []struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	Parent *ids   `json:"parent"`
}, tambon string) []string {
	var out []string
	for _, u := range units {
		if len(u.Code) == 8 && strings.HasPrefix(u.Code, tambon) {
			out = append(out, u.Code)
		}
	}
	if len(out) == 0 {
		t.Errorf("no villages of %s in the metadata", tambon)
	}
	return out
}
