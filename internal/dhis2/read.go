package dhis2

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"tambon/internal/apperr"
)

// RawValue is one data value as a file gives it, before the mapping names
// it, with where it is in the file.
type RawValue struct {
	DataElement          string
	Period               string
	OrgUnit              string
	CategoryOptionCombo  string            // data value sets
	AttributeOptionCombo string            // data value sets
	Categories           map[string]string // ADX: category code → option code
	Value                string
	Line                 int    // XML and ADX: the line of the value
	Field                string // JSON: dataValues[i]
}

// where is a problem at the value.
func (v RawValue) problem(file, value string, reason apperr.Text) apperr.Problem {
	return apperr.Problem{File: file, Row: v.Line, Field: v.Field, Value: value, Reason: reason}
}

// Sniff tells the format of a file from its first element: a JSON object,
// DHIS2's dataValueSet, or ADX's adx.
func Sniff(head []byte) (string, error) {
	b := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	if len(b) > 0 && b[0] == '{' {
		return FormatJSON, nil
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch {
			case se.Name.Local == "adx":
				return FormatADX, nil
			case se.Name.Local == "dataValueSet":
				return FormatXML, nil
			}
			break
		}
	}
	return "", apperr.New(apperr.Invalid, apperr.T(
		"ไม่รู้จักรูปแบบไฟล์: ต้องเป็น dataValueSet ของ DHIS2 (JSON หรือ XML) หรือ ADX",
		"unknown file format: it must be a DHIS2 dataValueSet (JSON or XML) or ADX"))
}

// Read reads the data values of a file in a format (Sniff it first when
// unknown). A file that is not of its format is refused with where it
// breaks; the values themselves are checked against the mapping by Resolve.
func Read(r io.Reader, format, file string) ([]RawValue, error) {
	switch format {
	case FormatJSON:
		return readJSON(r, file)
	case FormatXML, FormatADX:
		return readXML(r, format, file)
	}
	return nil, errFormat(format)
}

func unreadable(file string, line int, err error) error {
	return apperr.Problems{{File: file, Row: line, Reason: apperr.Tf("อ่านไฟล์ไม่ได้: %v", "the file cannot be read: %v", err)}}
}

func readJSON(r io.Reader, file string) ([]RawValue, error) {
	var set struct {
		Period     string `json:"period"`
		OrgUnit    string `json:"orgUnit"`
		AOC        string `json:"attributeOptionCombo"`
		DataValues []struct {
			DataElement          string          `json:"dataElement"`
			Period               string          `json:"period"`
			OrgUnit              string          `json:"orgUnit"`
			CategoryOptionCombo  string          `json:"categoryOptionCombo"`
			AttributeOptionCombo string          `json:"attributeOptionCombo"`
			Value                json.RawMessage `json:"value"`
		} `json:"dataValues"`
	}
	if err := json.NewDecoder(bufio.NewReader(r)).Decode(&set); err != nil {
		return nil, unreadable(file, 0, err)
	}
	out := make([]RawValue, 0, len(set.DataValues))
	for i, dv := range set.DataValues {
		v := RawValue{DataElement: dv.DataElement, Period: or(dv.Period, set.Period), OrgUnit: or(dv.OrgUnit, set.OrgUnit),
			CategoryOptionCombo: dv.CategoryOptionCombo, AttributeOptionCombo: or(dv.AttributeOptionCombo, set.AOC),
			Field: fmt.Sprintf("dataValues[%d]", i)}
		// DHIS2 writes values as strings; a number is taken as written.
		var s string
		if json.Unmarshal(dv.Value, &s) == nil {
			v.Value = s
		} else {
			v.Value = string(dv.Value)
		}
		out = append(out, v)
	}
	return out, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readXML reads DHIS2's DXF 2 dataValueSet or an ADX message, attributes
// of the set or group applying to the values inside.
func readXML(r io.Reader, format, file string) ([]RawValue, error) {
	dec := xml.NewDecoder(bufio.NewReader(r))
	var out []RawValue
	var outer map[string]string // the dataValueSet's or the group's attributes
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		line, _ := dec.InputPos()
		if err != nil {
			return nil, unreadable(file, line, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attrs := map[string]string{}
		for _, a := range se.Attr {
			if a.Name.Space == "" || a.Name.Space == se.Name.Space {
				attrs[a.Name.Local] = a.Value
			}
		}
		switch {
		case root == "":
			root = se.Name.Local
			want := map[string]string{FormatXML: "dataValueSet", FormatADX: "adx"}[format]
			if root != want {
				return nil, unreadable(file, line, fmt.Errorf("the root element is %s, not %s", root, want))
			}
			outer = attrs
		case se.Name.Local == "group" && format == FormatADX:
			outer = attrs
		case se.Name.Local == "dataValue":
			v := RawValue{DataElement: attrs["dataElement"], Value: attrs["value"], Line: line,
				Period: or(attrs["period"], outer["period"]), OrgUnit: or(attrs["orgUnit"], outer["orgUnit"])}
			if format == FormatXML {
				v.CategoryOptionCombo = attrs["categoryOptionCombo"]
				v.AttributeOptionCombo = or(attrs["attributeOptionCombo"], outer["attributeOptionCombo"])
			} else {
				v.Period = adxPeriod(v.Period)
				v.Categories = map[string]string{}
				for k, x := range attrs {
					if k != "dataElement" && k != "value" && k != "period" && k != "orgUnit" {
						v.Categories[k] = x
					}
				}
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// adxPeriod turns ADX's yearly period (2021-01-01/P1Y) into DHIS2's
// (2021); any other is kept as written, to be refused with it.
func adxPeriod(p string) string {
	if y, ok := strings.CutSuffix(p, "-01-01/P1Y"); ok && len(y) == 4 {
		return y
	}
	return p
}
