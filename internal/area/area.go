package area

import (
	"strconv"
	"strings"
)

// Area is one node of the tree: the country, a province, a district, a
// subdistrict or a village. It is a plain value so callers can keep and
// compare it freely; the tree hands out copies.
type Area struct {
	Code   string // "TH", "70", "7005", "700513", "70051304"
	Level  Level
	NameTH string // bare Thai name, without a level word: "ราชบุรี", "บ้านโป่ง", "เขาขลุง", "หนองไม้เฝ้า"
	NameEN string // bare English name ("Ratchaburi", "Ban Pong", "Khao Khlung"); empty for villages, which have no English name in the data
	Parent string // code of the enclosing area; "" for the country
	Region int    // 1..6, see [Tree.Regions]; inherited from the province; 0 for the country
	Moo    int    // หมู่ที่ of a village (the last two digits of its code); 0 above village level
}

// bangkok is the province code of กรุงเทพมหานคร, whose districts are เขต and
// subdistricts แขวง instead of อำเภอ and ตำบล.
const bangkok = "10"

// InBangkok reports whether the area is กรุงเทพมหานคร or inside it, where
// the level words differ (เขต, แขวง).
func (a Area) InBangkok() bool {
	return a.Level >= Province && strings.HasPrefix(a.Code, bangkok)
}

// TitleTH is the name as Thai people write it in a heading or address, with
// the level word: "จังหวัดราชบุรี", "อำเภอบ้านโป่ง", "ตำบลเขาขลุง",
// "หมู่ 4 บ้านหนองไม้เฝ้า", "ประเทศไทย". Bangkok is "กรุงเทพมหานคร" (no
// จังหวัด) with "เขต…" and "แขวง…" below it.
func (a Area) TitleTH() string {
	switch a.Level {
	case Country:
		return "ประเทศไทย"
	case Province:
		if a.InBangkok() {
			return a.NameTH
		}
		return "จังหวัด" + a.NameTH
	case District:
		if a.InBangkok() {
			return "เขต" + a.NameTH
		}
		return "อำเภอ" + a.NameTH
	case Subdistrict:
		if a.InBangkok() {
			return "แขวง" + a.NameTH
		}
		return "ตำบล" + a.NameTH
	case Village:
		return "หมู่ " + strconv.Itoa(a.Moo) + " " + villageWithBan(a.NameTH)
	}
	return a.NameTH
}

// TitleEN is the English heading: "Ratchaburi Province", "Ban Pong
// District", "Khao Khlung Subdistrict", "Thailand", and "Bangkok" for the
// capital, which is not a province in law. A village has no English name in
// the data, so it is "Moo 4 (หนองไม้เฝ้า)": the number an English reader can
// use, and the Thai name in brackets rather than a made-up romanisation.
func (a Area) TitleEN() string {
	switch a.Level {
	case Country:
		return "Thailand"
	case Province:
		if a.InBangkok() {
			return a.NameEN
		}
		return a.NameEN + " Province"
	case District:
		return a.NameEN + " District"
	case Subdistrict:
		return a.NameEN + " Subdistrict"
	case Village:
		return "Moo " + strconv.Itoa(a.Moo) + " (" + a.NameTH + ")"
	}
	return a.NameEN
}

// shortTH is the abbreviated form used in addresses and search paths:
// "ต.เขาขลุง", "อ.บ้านโป่ง", "จ.ราชบุรี", "ม.4 บ้านหนองไม้เฝ้า". Bangkok keeps
// its full words ("แขวง…", "เขต…", "กรุงเทพมหานคร"), as Thai addresses do.
func (a Area) shortTH() string {
	if a.InBangkok() || a.Level == Country {
		return a.TitleTH()
	}
	switch a.Level {
	case Province:
		return "จ." + a.NameTH
	case District:
		return "อ." + a.NameTH
	case Subdistrict:
		return "ต." + a.NameTH
	case Village:
		return "ม." + strconv.Itoa(a.Moo) + " " + villageWithBan(a.NameTH)
	}
	return a.NameTH
}

// shortEN is the English form used in search paths: the bare name, or the
// village title.
func (a Area) shortEN() string {
	switch a.Level {
	case Country, Village:
		return a.TitleEN()
	}
	return a.NameEN
}

// villagePrefixes are the words a village name may already start with, in
// which case "บ้าน" is not put in front of it again: "บ้านหนองไม้เฝ้า" not
// "บ้านบ้านหนองไม้เฝ้า", "ชุมชนตลาด" not "บ้านชุมชนตลาด", and a housing
// estate "หมู่บ้านเจ้าคุณ" as it is.
var villagePrefixes = []string{"บ้าน", "ชุมชน", "หมู่บ้าน"}

// villageWithBan returns the village's name as it is spoken: with "บ้าน" in
// front unless the name already begins with one of villagePrefixes.
func villageWithBan(name string) string {
	for _, p := range villagePrefixes {
		if strings.HasPrefix(name, p) {
			return name
		}
	}
	return "บ้าน" + name
}

// Region is one of the six regions (ภาค) of the gazetteer, used to group
// provinces in reports and maps.
type Region struct {
	ID     int    // 1..6, as in geographies.csv
	NameTH string // "ภาคเหนือ"
	NameEN string // "Northern"
}
