package web

import (
	"strings"

	"tambon/internal/apperr"
)

// An area is chosen in a form by its name: the input shows the area as an
// address ("ม.4 บ้านหนองไม้เฝ้า ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี") and the code
// travels in a hidden field beside it. With the page's script the input is
// a combobox over /api/v1/areas?q=&within=; without it, the name typed is
// read here, so the form works either way.

// areaLabel is how the form writes an area: its address, as the area
// search writes it, in the page's language.
func (s *Server) areaLabel(code, lang string) string {
	if code == "" {
		return ""
	}
	th, en, ok := s.areas.Paths(code)
	switch {
	case !ok:
		return code
	case lang == "en":
		return en
	}
	return th
}

// maxAreaChoices is how many matches a refused name lists.
const maxAreaChoices = 5

// pickArea reads an area chosen in a form: the hidden code when the text
// beside it is still that area's label (or empty), else the text — a code,
// or a name that names exactly one area within the given area ("" or "TH":
// anywhere). A name that matches nothing, or several areas, is a problem of
// field that lists the candidates, so the user can type a fuller name.
func (s *Server) pickArea(field, text, code, within string) (string, *apperr.Problem) {
	text, code = strings.TrimSpace(text), strings.TrimSpace(code)
	if text == "" || code != "" && (text == s.areaLabel(code, "th") || text == s.areaLabel(code, "en") || text == code) {
		return code, nil
	}
	if strings.Trim(text, "0123456789") == "" {
		return text, nil
	}
	if within == "TH" {
		within = ""
	}
	var inside []string
	var paths []apperr.Text
	for _, m := range s.areas.Search(text, 0) {
		if !strings.HasPrefix(m.Area.Code, within) {
			continue
		}
		if m.Path == text || m.PathEN == text {
			return m.Area.Code, nil
		}
		inside = append(inside, m.Area.Code)
		paths = append(paths, apperr.Text{TH: m.Path, EN: m.PathEN})
	}
	switch len(inside) {
	case 1:
		return inside[0], nil
	case 0:
		return "", &apperr.Problem{Field: field, Value: text, Reason: apperr.T(
			"ไม่พบพื้นที่ชื่อนี้ในพื้นที่ที่บัญชีของท่านดูแล: พิมพ์ชื่อหมู่บ้าน ตำบล หรืออำเภอ แล้วเลือกจากรายการ",
			"no area of this name within your account's area: type the name of a village, tambon or district and pick it from the list")}
	}
	var th, en []string
	for _, p := range paths[:min(len(paths), maxAreaChoices)] {
		th, en = append(th, p.TH), append(en, p.EN)
	}
	more := apperr.Text{}
	if len(paths) > maxAreaChoices {
		more = apperr.Tf(" และอีก %d แห่ง", " and %d more", len(paths)-maxAreaChoices)
	}
	return "", &apperr.Problem{Field: field, Value: text, Reason: apperr.T(
		"ชื่อนี้ตรงกับหลายพื้นที่ ("+strings.Join(th, "; ")+more.TH+"): เพิ่มชื่อตำบลหรืออำเภอ เช่น \"หนองไม้เฝ้า เขาขลุง\" หรือเลือกจากรายการ",
		"this name matches several areas ("+strings.Join(en, "; ")+more.EN+"): add the tambon or district, e.g. \"Nong Mai Fao, Khao Khlung\", or pick one from the list")}
}

// areaOption is an area offered in a form: its code and its name.
type areaOption struct {
	Code, Name string
}
