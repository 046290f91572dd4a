// Package geo holds Thailand's administrative boundaries — provinces
// (จังหวัด), amphoe (อำเภอ/เขต) and tambon (ตำบล/แขวง) — as small TopoJSON
// layers embedded in the binary, so maps work in offices with no internet.
//
// Every feature carries its DOPA area code as the string property "code"
// (2 digits for a province, 4 for an amphoe, 6 for a tambon), the names
// "name_th" and "name_en", and, below province level, "parent": the code of
// the area one level up. Each file holds one TopoJSON object named after its
// level. The layers are simplified from the COD-AB Thailand boundaries; any
// map drawn from them must show Credit(). data/SOURCE.md says how they were
// made; build.sh remakes them.
package geo

import (
	"embed"
	"errors"
	"io/fs"
	"path"
	"sort"
	"strings"

	"tambon/internal/apperr"
)

// The levels a layer can be asked for. They match the TopoJSON object name
// inside each file.
const (
	Province    = "province"    // จังหวัด, whole country
	District    = "district"    // อำเภอ/เขต, whole country or one province
	Subdistrict = "subdistrict" // ตำบล/แขวง, one province per file
)

//go:embed data/province.topo.json data/district.topo.json data/district/*.topo.json data/subdistrict/*.topo.json
var data embed.FS

// credit is the attribution the licence (CC BY-IGO 3.0) asks for, worded as
// the source's SOURCE.md asks, less the part about the alt/ files we do not use.
const credit = "Boundaries: Royal Thai Survey Department / OCHA, via HDX (COD-AB Thailand), CC BY-IGO. " +
	"Simplified by prasertcbs/thailand_gis (province, district, tambon)."

// Credit returns the attribution line to print under every map drawn from
// these layers.
func Credit() string { return credit }

// Layer returns the TopoJSON bytes of one boundary layer.
//
// level is Province, District or Subdistrict. province is a 2-digit DOPA
// province code ("70") or empty: the province layer is whole-country only
// (province must be empty), the district layer is the whole country when
// province is empty and one province's amphoe otherwise, and the subdistrict
// layer needs a province, because the whole country's tambons are too big to
// send to a browser at once.
//
// A bad level or province code is an apperr.Invalid error; a well-formed
// province code with no layer is apperr.NotFound. The caller owns the
// returned slice.
func Layer(level, province string) ([]byte, error) {
	name, err := file(level, province)
	if err != nil {
		return nil, err
	}
	b, err := data.ReadFile(name)
	if err != nil {
		if province != "" && errors.Is(err, fs.ErrNotExist) {
			return nil, apperr.New(apperr.NotFound, apperr.Tf(
				"ไม่มีแผนที่ระดับ %s ของจังหวัดรหัส %s", "no %s map for province %s", level, province))
		}
		return nil, apperr.Wrap(err, apperr.Internal, apperr.T("", "read boundary layer"))
	}
	return b, nil
}

// Provinces returns the 2-digit codes of the provinces that have their own
// district and subdistrict layers, in order.
func Provinces() []string {
	entries, err := data.ReadDir("data/subdistrict")
	if err != nil {
		return nil // cannot happen: the directory is embedded
	}
	codes := make([]string, 0, len(entries))
	for _, e := range entries {
		codes = append(codes, strings.TrimSuffix(e.Name(), ".topo.json"))
	}
	sort.Strings(codes)
	return codes
}

// file maps a request to the embedded file name, refusing malformed input.
func file(level, province string) (string, error) {
	if province != "" && !isProvinceCode(province) {
		return "", apperr.New(apperr.Invalid, apperr.Tf(
			"รหัสจังหวัด %q ไม่ถูกต้อง ต้องเป็นตัวเลข 2 หลัก เช่น 70",
			"province code %q is not valid: it must be 2 digits, such as 70", province))
	}
	switch level {
	case Province:
		if province != "" {
			return "", apperr.New(apperr.Invalid, apperr.T(
				"แผนที่ระดับจังหวัดมีเฉพาะทั้งประเทศ ไม่ต้องระบุรหัสจังหวัด",
				"the province layer covers the whole country; do not give a province code"))
		}
		return "data/province.topo.json", nil
	case District:
		if province == "" {
			return "data/district.topo.json", nil
		}
		return path.Join("data/district", province+".topo.json"), nil
	case Subdistrict:
		if province == "" {
			return "", apperr.New(apperr.Invalid, apperr.T(
				"แผนที่ระดับตำบลต้องระบุรหัสจังหวัด",
				"the subdistrict layer is split by province; give a province code"))
		}
		return path.Join("data/subdistrict", province+".topo.json"), nil
	}
	return "", apperr.New(apperr.Invalid, apperr.Tf(
		"ไม่รู้จักระดับแผนที่ %q (province, district หรือ subdistrict)",
		"unknown map level %q: want province, district or subdistrict", level))
}

func isProvinceCode(s string) bool {
	return len(s) == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
}
