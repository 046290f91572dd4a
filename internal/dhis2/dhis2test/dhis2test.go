// Package dhis2test reads back, for tests, what a DHIS2 data value set of
// tambon's says beyond its values: the completeDate and each value's
// comment, which the importer (dhis2.Read) checks but does not keep.
package dhis2test

import (
	"encoding/json"
	"encoding/xml"

	"tambon/internal/dhis2"
)

// DataValue is one value of a data value set.
type DataValue struct {
	DataElement string `json:"dataElement" xml:"dataElement,attr"`
	OrgUnit     string `json:"orgUnit" xml:"orgUnit,attr"`
	Value       string `json:"value" xml:"value,attr"`
	Comment     string `json:"comment" xml:"comment,attr"`
}

// DataValueSet is a data value set, JSON or XML.
type DataValueSet struct {
	CompleteDate string      `json:"completeDate" xml:"completeDate,attr"`
	OrgUnit      string      `json:"orgUnit" xml:"orgUnit,attr"`
	DataValues   []DataValue `json:"dataValues" xml:"dataValue"`
}

// Decode reads a data value set in format (dhis2.FormatJSON or XML).
func Decode(format string, b []byte) (DataValueSet, error) {
	var set DataValueSet
	var err error
	if format == dhis2.FormatJSON {
		err = json.Unmarshal(b, &set)
	} else {
		err = xml.Unmarshal(b, &set)
	}
	return set, err
}
