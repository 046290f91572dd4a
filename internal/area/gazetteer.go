package area

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// Source file names inside the data folder (each may also be stored as
// name+".gz").
const (
	fileRegions   = "geographies.csv"
	fileProvinces = "provinces.csv"
	fileDistricts = "districts.csv"
	fileTambons   = "sub_districts.csv"
	fileVillages  = "bmn59.village_name.csv"
)

// regionEN gives the English names of the six regions of geographies.csv,
// keyed by the Thai name so that a renumbered file cannot mislabel them.
var regionEN = map[string]string{
	"ภาคเหนือ": "Northern",
	"ภาคกลาง":  "Central",
	"ภาคตะวันออกเฉียงเหนือ": "Northeastern",
	"ภาคตะวันตก":            "Western",
	"ภาคตะวันออก":           "Eastern",
	"ภาคใต้":                "Southern",
}

// registrationOfficeAA is the lowest district number (the AA of PPAA) used by
// DOPA for registration offices rather than amphoe. Bangkok is the exception:
// its 50 khet are numbered 1001-1050, so 1050 เขตบางบอน is a real district.
const registrationOfficeAA = 50

// isRegistrationOffice reports whether a districts.csv row is a local
// registration office (สำนักทะเบียนท้องถิ่น) rather than an amphoe or khet:
// outside Bangkok, a district number of 50 or more; anywhere, a name that
// starts with "ท้องถิ่น" (the two such rows in the data, 7074 and 9077, match
// both tests).
func isRegistrationOffice(code, nameTH string) bool {
	aa, _ := strconv.Atoi(code[2:])
	return (code[:2] != bangkok && aa >= registrationOfficeAA) || strings.HasPrefix(nameTH, "ท้องถิ่น")
}

// readGazetteer loads the regions, provinces, districts and subdistricts into
// b, dropping and repairing rows as the report says.
func (b *builder) readGazetteer(fsys fs.FS) error {
	if err := b.readRegions(fsys); err != nil {
		return err
	}
	provinces, err := readTable(fsys, fileProvinces)
	if err != nil {
		return err
	}
	districts, err := readTable(fsys, fileDistricts)
	if err != nil {
		return err
	}
	tambons, err := readTable(fsys, fileTambons)
	if err != nil {
		return err
	}

	// provinces.csv ids are running numbers; the DOPA code of a province is
	// the first two digits of its districts' codes.
	dc, err := districts.need("id", "name_th", "name_en", "province_id", "deleted_at")
	if err != nil {
		return err
	}
	provinceCode := map[string]string{}
	for i := range districts.rows {
		code, pid := districts.field(i, dc[0]), districts.field(i, dc[3])
		if _, ok := LevelOf(code); !ok || len(code) != 4 {
			return fmt.Errorf("%s line %d: district code %q is not 4 digits", fileDistricts, districts.line[i], code)
		}
		if prev, ok := provinceCode[pid]; ok && prev != code[:2] {
			return fmt.Errorf("%s line %d: province %s has districts in both %s and %s", fileDistricts, districts.line[i], pid, prev, code[:2])
		}
		provinceCode[pid] = code[:2]
	}

	pc, err := provinces.need("id", "name_th", "name_en", "geography_id", "deleted_at")
	if err != nil {
		return err
	}
	kept := 0
	for i := range provinces.rows {
		f := func(c int) string { return provinces.field(i, pc[c]) }
		ex := func() string { return fmt.Sprintf("line %d: %s %s %s", provinces.line[i], f(0), f(1), f(2)) }
		if f(4) != "" {
			b.rep.note(fileProvinces, ReasonDeleted, true, ex)
			continue
		}
		code, ok := provinceCode[f(0)]
		if !ok {
			b.rep.note(fileProvinces, ReasonNoParent, true, func() string { return ex() + " (no districts, so no DOPA code)" })
			continue
		}
		region, err := strconv.Atoi(f(3))
		if err != nil || b.regionName(region) == "" {
			return fmt.Errorf("%s line %d: unknown geography_id %q", fileProvinces, provinces.line[i], f(3))
		}
		if b.add(fileProvinces, Area{Code: code, Level: Province, NameTH: f(1), NameEN: f(2), Parent: CountryCode, Region: region}, ex) {
			kept++
		}
	}
	b.rep.file(fileProvinces, len(provinces.rows), kept)

	kept = 0
	for i := range districts.rows {
		f := func(c int) string { return districts.field(i, dc[c]) }
		code := f(0)
		ex := func() string { return fmt.Sprintf("line %d: %s %s %s", districts.line[i], code, f(1), f(2)) }
		switch {
		case f(4) != "":
			b.rep.note(fileDistricts, ReasonDeleted, true, ex)
			continue
		case isRegistrationOffice(code, f(1)):
			b.rep.note(fileDistricts, ReasonRegistrationOffice, true, ex)
			continue
		}
		a := Area{Code: code, Level: District, NameTH: f(1), NameEN: f(2), Parent: code[:2]}
		if code[:2] == bangkok {
			// The file spells Bangkok's districts with their level word
			// ("เขตพระนคร", "Khet Phra Nakhon"); Area holds bare names.
			a.NameTH = strings.TrimPrefix(a.NameTH, "เขต")
			a.NameEN = strings.TrimPrefix(a.NameEN, "Khet ")
		}
		if b.addChild(fileDistricts, a, ex) {
			kept++
		}
	}
	b.rep.file(fileDistricts, len(districts.rows), kept)

	tc, err := tambons.need("id", "name_th", "name_en", "district_id", "deleted_at")
	if err != nil {
		return err
	}
	kept = 0
	for i := range tambons.rows {
		f := func(c int) string { return tambons.field(i, tc[c]) }
		code := f(0)
		ex := func() string { return fmt.Sprintf("line %d: %s %s %s", tambons.line[i], code, f(1), f(2)) }
		if lv, ok := LevelOf(code); !ok || lv != Subdistrict || f(3) != code[:4] {
			return fmt.Errorf("%s line %d: tambon code %q is not 6 digits under district %q", fileTambons, tambons.line[i], code, f(3))
		}
		if f(4) != "" {
			b.rep.note(fileTambons, ReasonDeleted, true, ex)
			continue
		}
		if b.addChild(fileTambons, Area{Code: code, Level: Subdistrict, NameTH: f(1), NameEN: f(2), Parent: code[:4]}, ex) {
			kept++
		}
	}
	b.rep.file(fileTambons, len(tambons.rows), kept)
	return nil
}

// readRegions reads the six regions and checks each has an English name.
func (b *builder) readRegions(fsys fs.FS) error {
	t, err := readTable(fsys, fileRegions)
	if err != nil {
		return err
	}
	c, err := t.need("id", "name")
	if err != nil {
		return err
	}
	for i := range t.rows {
		id, err := strconv.Atoi(t.field(i, c[0]))
		name := strings.TrimSpace(t.field(i, c[1]))
		en, ok := regionEN[name]
		if err != nil || !ok {
			return fmt.Errorf("%s line %d: unknown region %q %q", fileRegions, t.line[i], t.field(i, c[0]), name)
		}
		b.regions = append(b.regions, Region{ID: id, NameTH: name, NameEN: en})
	}
	b.rep.file(fileRegions, len(t.rows), len(t.rows))
	return nil
}

// regionName returns the Thai name of a region id, or "" if there is none.
func (b *builder) regionName(id int) string {
	for _, r := range b.regions {
		if r.ID == id {
			return r.NameTH
		}
	}
	return ""
}

// addChild adds a district or subdistrict whose parent must already be in
// the tree; otherwise the row is reported as having no parent. The region is
// inherited from the parent. It reports whether the area was added.
func (b *builder) addChild(file string, a Area, example func() string) bool {
	p, ok := b.byCode[a.Parent]
	if !ok {
		b.rep.note(file, ReasonNoParent, true, example)
		return false
	}
	a.Region = b.areas[p].Region
	return b.add(file, a, example)
}
