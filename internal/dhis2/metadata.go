package dhis2

import (
	"encoding/json"
	"io"

	"tambon/internal/area"
)

// The DHIS2 metadata of a mapping, in the shape of DHIS2's metadata API
// (POST /api/metadata): every object with its id, references as {"id": …}.

type ref struct {
	ID string `json:"id"`
}

type metaObject struct {
	ID          string `json:"id"`
	Code        string `json:"code,omitempty"`
	Name        string `json:"name"`
	ShortName   string `json:"shortName,omitempty"`
	Description string `json:"description,omitempty"`
}

// metaOf is an object in the metadata's JSON names (the fields are the same).
func metaOf(o Object) metaObject { return metaObject(o) }

type metaDataElement struct {
	metaObject
	DomainType        string `json:"domainType"`
	ValueType         string `json:"valueType"`
	AggregationType   string `json:"aggregationType"`
	ZeroIsSignificant bool   `json:"zeroIsSignificant"`
	CategoryCombo     ref    `json:"categoryCombo"`
}

type metaCategory struct {
	metaObject
	DataDimensionType string `json:"dataDimensionType"`
	CategoryOptions   []ref  `json:"categoryOptions"`
}

type metaCategoryCombo struct {
	metaObject
	DataDimensionType string `json:"dataDimensionType"`
	Categories        []ref  `json:"categories"`
}

type metaCOC struct {
	metaObject
	CategoryCombo   ref   `json:"categoryCombo"`
	CategoryOptions []ref `json:"categoryOptions"`
}

type metaOrgUnit struct {
	metaObject
	OpeningDate string `json:"openingDate"`
	Parent      *ref   `json:"parent,omitempty"`
}

type metaLevel struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Level int    `json:"level"`
}

type metaDataSetElement struct {
	DataElement ref `json:"dataElement"`
	DataSet     ref `json:"dataSet"`
}

type metaDataSet struct {
	metaObject
	PeriodType        string               `json:"periodType"`
	CategoryCombo     ref                  `json:"categoryCombo"`
	DataSetElements   []metaDataSetElement `json:"dataSetElements"`
	OrganisationUnits []ref                `json:"organisationUnits"`
}

// Metadata is a DHIS2 metadata import file.
type Metadata struct {
	CategoryOptions        []metaObject        `json:"categoryOptions"`
	Categories             []metaCategory      `json:"categories"`
	CategoryCombos         []metaCategoryCombo `json:"categoryCombos"`
	CategoryOptionCombos   []metaCOC           `json:"categoryOptionCombos"`
	DataElements           []metaDataElement   `json:"dataElements"`
	OrganisationUnitLevels []metaLevel         `json:"organisationUnitLevels"`
	OrganisationUnits      []metaOrgUnit       `json:"organisationUnits"`
	DataSets               []metaDataSet       `json:"dataSets"`
}

// levelNames are the DHIS2 organisation unit levels of the area tree.
var levelNames = []string{"ประเทศ (country)", "จังหวัด (province)", "อำเภอ (district)", "ตำบล (subdistrict)", "หมู่บ้าน (village)"}

// Metadata is the DHIS2 metadata of the mapping for the areas given (a
// subtree with its ancestors, parents before children): an office imports
// it into DHIS2 before the first data values. DHIS2 works out each
// organisation unit's level from its parent.
func (m *Mapping) Metadata(areas []area.Area) *Metadata {
	md := &Metadata{}
	for _, c := range m.Categories {
		cat := metaCategory{metaObject: metaOf(c.Object), DataDimensionType: "DISAGGREGATION"}
		combo := metaCategoryCombo{metaObject: metaObject{ID: c.ComboID, Code: c.Code, Name: c.Name}, DataDimensionType: "DISAGGREGATION",
			Categories: []ref{{c.ID}}}
		md.CategoryCombos = append(md.CategoryCombos, combo)
		for _, o := range c.Options {
			md.CategoryOptions = append(md.CategoryOptions, metaOf(o.Object))
			cat.CategoryOptions = append(cat.CategoryOptions, ref{o.ID})
			md.CategoryOptionCombos = append(md.CategoryOptionCombos, metaCOC{metaObject: metaObject{ID: o.COC, Code: o.Code, Name: o.Name},
				CategoryCombo: ref{c.ComboID}, CategoryOptions: []ref{{o.ID}}})
		}
		md.Categories = append(md.Categories, cat)
	}
	ds := metaDataSet{metaObject: metaOf(m.DataSet), PeriodType: "Yearly", CategoryCombo: ref{DefaultCategoryCombo}}
	for _, e := range m.DataElements {
		combo := DefaultCategoryCombo
		if c := m.index.cat[e.Category]; e.Category != "" && c != nil {
			combo = c.ComboID
		}
		md.DataElements = append(md.DataElements, metaDataElement{metaObject: metaOf(e.Object), DomainType: "AGGREGATE", ValueType: e.ValueType,
			AggregationType: e.Aggregation, ZeroIsSignificant: true, CategoryCombo: ref{combo}})
		ds.DataSetElements = append(ds.DataSetElements, metaDataSetElement{DataElement: ref{e.ID}, DataSet: ref{m.DataSet.ID}})
	}
	for i, name := range levelNames {
		md.OrganisationUnitLevels = append(md.OrganisationUnitLevels, metaLevel{ID: UID("organisationUnitLevel", name), Name: name, Level: i + 1})
	}
	for _, a := range areas {
		name := a.TitleTH()
		if en := a.TitleEN(); en != "" && a.Level != area.Village {
			name += " (" + en + ")"
		}
		ou := metaOrgUnit{metaObject: metaObject{ID: m.OrgUnit(a.Code), Code: a.Code, Name: name, ShortName: shortName(a.TitleTH())},
			OpeningDate: "1970-01-01"}
		if a.Parent != "" {
			ou.Parent = &ref{m.OrgUnit(a.Parent)}
		}
		md.OrganisationUnits = append(md.OrganisationUnits, ou)
		ds.OrganisationUnits = append(ds.OrganisationUnits, ref{ou.ID})
	}
	md.DataSets = []metaDataSet{ds}
	return md
}

// Write writes the metadata as indented JSON.
func (md *Metadata) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(md)
}
