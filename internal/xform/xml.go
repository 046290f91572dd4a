package xform

import (
	"bytes"
	"encoding/xml"
	"strings"

	"tambon/internal/apperr"
)

// The two languages of the form, as ODK clients name them.
const (
	LangTH = "Thai (th)"
	LangEN = "English (en)"
)

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&quot;")
}

var requiredMsg = apperr.T("ต้องตอบข้อนี้", "this question must be answered")

// xml writes the form: the head (title, itext in Thai and English, the
// primary instance, the two CSV secondary instances, the binds) and the body.
func (b *builder) xml() []byte {
	var w bytes.Buffer
	f := b.f
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.WriteString(`<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms" xmlns:orx="http://openrosa.org/xforms" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` + "\n")
	w.WriteString("<h:head>\n<h:title>" + esc(f.Title.TH) + "</h:title>\n")
	w.WriteString(`<model odk:xforms-version="1.0.0">` + "\n<itext>\n")
	for _, lang := range []string{LangTH, LangEN} {
		def := ""
		if lang == LangTH {
			def = ` default="true()"`
		}
		w.WriteString(`<translation lang="` + lang + `"` + def + ">\n")
		pick := func(t apperr.Text) string {
			if lang == LangEN && t.EN != "" {
				return t.EN
			}
			return t.TH
		}
		text := func(id string, t apperr.Text) {
			w.WriteString(`<text id="` + esc(id) + `"><value>` + esc(pick(t)) + "</value></text>\n")
		}
		for _, fd := range b.fields {
			p := "/data/" + fd.path
			if fd.label != (apperr.Text{}) && fd.kind != "repeat-end" {
				text(p+":label", fd.label)
			}
			if fd.hint != (apperr.Text{}) {
				text(p+":hint", fd.hint)
			}
			if fd.message != (apperr.Text{}) {
				text(p+":constraintMsg", fd.message)
			}
			if fd.required {
				text(p+":requiredMsg", requiredMsg)
			}
			for _, c := range fd.choices {
				text(p+"/"+c.value+":label", c.label)
			}
		}
		w.WriteString("</translation>\n")
	}
	w.WriteString("</itext>\n<instance>\n")
	w.WriteString(`<data id="` + esc(f.ID) + `" version="` + esc(f.Version) + `">` + "\n")
	for _, fd := range b.fields {
		name := fd.path[strings.LastIndexByte(fd.path, '/')+1:]
		switch fd.kind {
		case "repeat-start":
			w.WriteString("<" + name + ` jr:template="">` + "\n")
		case "repeat-end":
			w.WriteString("</" + name + ">\n")
		default:
			w.WriteString("<" + name + "/>\n")
		}
	}
	w.WriteString("<meta><instanceID/><instanceName/><deprecatedID/></meta>\n</data>\n</instance>\n")
	w.WriteString(`<instance id="villages" src="jr://file-csv/` + VillagesCSV + `"/>` + "\n")
	w.WriteString(`<instance id="households" src="jr://file-csv/` + HouseholdsCSV + `"/>` + "\n")
	w.WriteString(`<instance id="prev_households" src="jr://file-csv/` + PrevHouseholdsCSV + `"/>` + "\n")
	w.WriteString(`<instance id="prev_members" src="jr://file-csv/` + PrevMembersCSV + `"/>` + "\n")
	for _, fd := range b.fields {
		if fd.kind == "repeat-start" || fd.kind == "repeat-end" {
			continue
		}
		w.WriteString(`<bind nodeset="/data/` + fd.path + `" type="` + fd.typ + `"`)
		if fd.required {
			w.WriteString(` required="true()" jr:requiredMsg="jr:itext('/data/` + fd.path + `:requiredMsg')"`)
		}
		if fd.relevant != "" {
			w.WriteString(` relevant="` + esc(fd.relevant) + `"`)
		}
		if fd.constraint != "" {
			w.WriteString(` constraint="` + esc(fd.constraint) + `"`)
		}
		if fd.message != (apperr.Text{}) {
			w.WriteString(` jr:constraintMsg="jr:itext('/data/` + fd.path + `:constraintMsg')"`)
		}
		if fd.calculate != "" {
			w.WriteString(` calculate="` + esc(fd.calculate) + `" readonly="true()"`)
		}
		if fd.preload[0] != "" {
			w.WriteString(` jr:preload="` + fd.preload[0] + `" jr:preloadParams="` + fd.preload[1] + `"`)
		}
		w.WriteString("/>\n")
	}
	w.WriteString(`<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>` + "\n")
	w.WriteString(`<bind nodeset="/data/meta/instanceName" type="string" calculate="concat(/data/village, ' ', /data/house_no)"/>` + "\n")
	w.WriteString(`<bind nodeset="/data/meta/deprecatedID" type="string"/>` + "\n")
	w.WriteString("</model>\n</h:head>\n<h:body>\n")
	for _, fd := range b.fields {
		p := "/data/" + fd.path
		label := `<label ref="jr:itext('` + p + `:label')"/>`
		hint := ""
		if fd.hint != (apperr.Text{}) {
			hint = `<hint ref="jr:itext('` + p + `:hint')"/>`
		}
		switch fd.kind {
		case "hidden":
		case "repeat-start":
			count := ""
			if fd.count != "" {
				count = ` jr:count="` + esc(fd.count) + `"`
			}
			w.WriteString(`<group ref="` + p + `">` + label + "\n" + `<repeat nodeset="` + p + `"` + count + ">\n")
			writeSetvalues(&w, fd.setvalues)
		case "repeat-end":
			w.WriteString("</repeat>\n</group>\n")
		case "input":
			w.WriteString(`<input ref="` + p + `">` + label + hint + "</input>\n")
		case "upload":
			w.WriteString(`<upload ref="` + p + `" mediatype="image/*">` + label + hint + "</upload>\n")
		case "select1", "select":
			w.WriteString("<" + fd.kind + ` ref="` + p + `">` + label + hint)
			writeSetvalues(&w, fd.setvalues)
			if fd.itemset != "" {
				w.WriteString(`<itemset nodeset="` + esc(fd.itemset) + `"><value ref="name"/><label ref="label"/></itemset>`)
			}
			for _, c := range fd.choices {
				w.WriteString(`<item><label ref="jr:itext('` + p + "/" + c.value + `:label')"/><value>` + esc(c.value) + "</value></item>")
			}
			w.WriteString("</" + fd.kind + ">\n")
		}
	}
	w.WriteString("</h:body>\n</h:html>\n")
	return w.Bytes()
}

// writeSetvalues writes ODK setvalue actions inside a control's element.
func writeSetvalues(w *bytes.Buffer, svs []setvalue) {
	for _, sv := range svs {
		w.WriteString(`<setvalue event="` + sv.event + `" ref="` + esc(sv.ref) + `" value="` + esc(sv.value) + `"/>` + "\n")
	}
}
