package dhis2

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"time"

	"tambon/internal/apperr"
)

// Formats tambon reads and writes.
const (
	FormatJSON = "json" // DHIS2 dataValueSets, JSON
	FormatXML  = "xml"  // DHIS2 dataValueSets, DXF 2 XML
	FormatADX  = "adx"  // ADX, ISO/TS 22703
)

// Namespaces of the two XML formats.
const (
	DXFNamespace = "http://dhis2.org/schema/dxf/2.0"
	ADXNamespace = "urn:ihe:qrph:adx:2015"
)

// ContentType is the media type of a format.
func ContentType(format string) string {
	switch format {
	case FormatXML:
		return "application/xml; charset=utf-8"
	case FormatADX:
		return "application/adx+xml; charset=utf-8"
	}
	return "application/json; charset=utf-8"
}

// ErrNoValues: a set of values must hold one (ADX has no empty message).
var ErrNoValues = apperr.New(apperr.NotFound, apperr.T(
	"ไม่มีตัวเลขที่ส่งออกได้ของพื้นที่นี้ในรอบนี้", "there are no figures to export for this area in this round"))

// WriteValues writes values in a format. Data value sets name objects by UID;
// ADX by code, as DHIS2 reads and writes each by default. exported is when
// the ADX message was made.
func (m *Mapping) WriteValues(w io.Writer, format string, vals []Value, exported time.Time) error {
	if len(vals) == 0 {
		return ErrNoValues
	}
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case FormatJSON:
		err = m.writeJSON(bw, vals)
	case FormatXML:
		err = m.writeXML(bw, vals)
	case FormatADX:
		err = m.writeADX(bw, vals, exported)
	default:
		return errFormat(format)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func errFormat(format string) error {
	return apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักรูปแบบ %q: ใช้ json, xml หรือ adx", "unknown format %q: use json, xml or adx", format))
}

type jsonValue struct {
	DataElement          string `json:"dataElement"`
	Period               string `json:"period"`
	OrgUnit              string `json:"orgUnit"`
	CategoryOptionCombo  string `json:"categoryOptionCombo"`
	AttributeOptionCombo string `json:"attributeOptionCombo"`
	Value                string `json:"value"`
	Comment              string `json:"comment,omitempty"`
}

// completeOf is what a data value set says of its completeness. DHIS2
// registers a data set complete for the set's own organisation unit and
// period, so a set of many areas says it only when every area in it is
// certified, naming the first (the top area: parents come first, and
// every other lies under it), with the date the last was certified.
func completeOf(vals []Value) (orgUnit, period, date string, ok bool) {
	top := vals[0]
	var last time.Time
	for _, v := range vals {
		if v.Complete.IsZero() || v.Period != top.Period || !InSubtree(v.OrgUnit, top.OrgUnit) {
			return "", "", "", false
		}
		if v.Complete.After(last) {
			last = v.Complete
		}
	}
	return top.OrgUnit, top.Period, last.UTC().Format(time.DateOnly), true
}

func (m *Mapping) writeJSON(w *bufio.Writer, vals []Value) error {
	w.WriteString(`{"dataSet":`)
	b, _ := json.Marshal(m.DataSet.ID)
	w.Write(b)
	if ou, pe, date, ok := completeOf(vals); ok {
		for _, f := range [][2]string{{"completeDate", date}, {"period", pe}, {"orgUnit", m.OrgUnit(ou)}} {
			b, _ := json.Marshal(f[1])
			w.WriteString(`,"` + f[0] + `":`)
			w.Write(b)
		}
	}
	w.WriteString(",\"dataValues\":[\n")
	for i, v := range vals {
		b, err := json.Marshal(jsonValue{DataElement: v.DataElement.ID, Period: v.Period, OrgUnit: m.OrgUnit(v.OrgUnit),
			CategoryOptionCombo: v.COC(), AttributeOptionCombo: DefaultCOC, Value: v.Value, Comment: v.Comment})
		if err != nil {
			return err
		}
		if i > 0 {
			w.WriteString(",\n")
		}
		w.Write(b)
	}
	_, err := w.WriteString("\n]}\n")
	return err
}

// attr writes name="value" with value escaped.
func attr(w *bufio.Writer, name, value string) {
	w.WriteString(" " + name + `="`)
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(value))
	w.Write(b.Bytes())
	w.WriteString(`"`)
}

func (m *Mapping) writeXML(w *bufio.Writer, vals []Value) error {
	w.WriteString(xml.Header + `<dataValueSet xmlns="` + DXFNamespace + `"`)
	attr(w, "dataSet", m.DataSet.ID)
	if ou, pe, date, ok := completeOf(vals); ok {
		attr(w, "completeDate", date)
		attr(w, "period", pe)
		attr(w, "orgUnit", m.OrgUnit(ou))
	}
	w.WriteString(">\n")
	for _, v := range vals {
		w.WriteString("  <dataValue")
		attr(w, "dataElement", v.DataElement.ID)
		attr(w, "period", v.Period)
		attr(w, "orgUnit", m.OrgUnit(v.OrgUnit))
		attr(w, "categoryOptionCombo", v.COC())
		attr(w, "attributeOptionCombo", DefaultCOC)
		attr(w, "value", v.Value)
		if v.Comment != "" {
			attr(w, "comment", v.Comment)
		}
		w.WriteString("/>\n")
	}
	_, err := w.WriteString("</dataValueSet>\n")
	return err
}

// writeADX writes one group per organisation unit and period, values named
// by code, a disaggregation as an attribute named by the category's code
// whose value is the option's code. A group of certified figures carries
// its completeDate, as DHIS2 reads it; a comment is the value's annotation.
func (m *Mapping) writeADX(w *bufio.Writer, vals []Value, exported time.Time) error {
	w.WriteString(xml.Header + `<adx xmlns="` + ADXNamespace + `"`)
	attr(w, "exported", exported.UTC().Format(time.RFC3339))
	w.WriteString(">\n")
	open := ""
	for _, v := range vals {
		if g := v.OrgUnit + "|" + v.Period; g != open {
			if open != "" {
				w.WriteString("  </group>\n")
			}
			open = g
			w.WriteString("  <group")
			attr(w, "orgUnit", v.OrgUnit)
			attr(w, "period", ADXPeriod(v.Period))
			attr(w, "dataSet", m.DataSet.Code)
			if !v.Complete.IsZero() {
				attr(w, "completeDate", v.Complete.UTC().Format(time.DateOnly))
			}
			w.WriteString(">\n")
		}
		w.WriteString("    <dataValue")
		attr(w, "dataElement", v.DataElement.Code)
		if v.Option != nil {
			attr(w, v.Category.Code, v.Option.Code)
		}
		attr(w, "value", v.Value)
		if v.Comment == "" {
			w.WriteString("/>\n")
			continue
		}
		w.WriteString("><annotation>")
		xml.EscapeText(w, []byte(v.Comment))
		w.WriteString("</annotation></dataValue>\n")
	}
	w.WriteString("  </group>\n")
	_, err := w.WriteString("</adx>\n")
	return err
}
