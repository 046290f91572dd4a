package tpmap

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// layout is one header TPMAP publishes: a kind of file at one level. The
// headers are matched exactly, column by column, because a renamed or moved
// column would silently shift every figure after it.
type layout struct {
	kind   Kind
	level  int
	idCol  string // the first column, which names the level
	digits int    // length of an id in idCol
	header []string
}

// levelNames maps the level word of a file name to a level; the header's
// first column to the same level is in idColumns.
var levelNames = map[string]int{"village": LevelVillage, "tambol": LevelTambon, "amphur": LevelAmphoe}

var idColumns = []struct {
	name   string
	level  int
	digits int
}{
	{"village_ID", LevelVillage, 10},
	{"tumbol_ID", LevelTambon, 6},
	{"amphur_ID", LevelAmphoe, 4},
}

// The common-file columns after the id, up to the indicators.
var commonHead = []string{
	"household.CNT", "HOUSEMEMBER_CNT", "MOF_REG_CNT", "MOF_VAL_CNT",
	"ELDERLY_CNT", "DISABLED_CNT", "CHRONICPATIENT_CNT", "happiness",
}

// The poverty-file columns after the id, up to the per-indicator counts.
var povertyHead = []string{
	"poor.household.CNT", "poor.JPT.CNT", "poor.JPT.MOFreg.CNT", "poor.JPT.MOFval.CNT",
	"poor.JPT.MOFval.health", "poor.JPT.MOFval.living", "poor.JPT.MOFval.education",
	"poor.JPT.MOFval.income", "poor.JPT.MOFval.accessibility", "JPT.MOFval.pov.rate",
}

const provinceCol = "province_ID"

// Column positions shared by the parsers.
const (
	commonFirstAll  = 9                              // indicator1.ALL
	commonFirstFail = commonFirstAll + NumIndicators // indicator1.CNT
	povertyRateCol  = 10                             // JPT.MOFval.pov.rate
	povertyFirstInd = 11                             // poor.JPT.MOFval.ind1.CNT
)

func commonHeader(idCol string) []string {
	h := append([]string{idCol}, commonHead...)
	for n := 1; n <= NumIndicators; n++ {
		h = append(h, fmt.Sprintf("indicator%d.ALL", n))
	}
	for n := 1; n <= NumIndicators; n++ {
		h = append(h, fmt.Sprintf("indicator%d.CNT", n))
	}
	return append(h, provinceCol)
}

func povertyHeader(idCol string) []string {
	h := append([]string{idCol}, povertyHead...)
	for n := 1; n <= NumIndicators; n++ {
		h = append(h, fmt.Sprintf("poor.JPT.MOFval.ind%d.CNT", n))
	}
	return append(h, provinceCol)
}

// layoutFor returns the layout whose first two columns are those of header,
// or nil. The rest of the header is checked by the caller so that the problem
// can name the first wrong column.
func layoutFor(header []string) *layout {
	if len(header) < 2 {
		return nil
	}
	for _, id := range idColumns {
		if header[0] != id.name {
			continue
		}
		switch header[1] {
		case commonHead[0]:
			return &layout{KindCommon, id.level, id.name, id.digits, commonHeader(id.name)}
		case povertyHead[0]:
			return &layout{KindPoverty, id.level, id.name, id.digits, povertyHeader(id.name)}
		}
	}
	return nil
}

// fileName is what a publisher's file name says: <yy>_<PP>_<level>_<kind>.csv,
// yy the TPMAP year's last two digits (61 for 2561).
type fileName struct {
	year     int // Buddhist era
	province string
	level    int
	kind     Kind
	mask     string
}

var namePattern = regexp.MustCompile(`^([0-9]{2})_([0-9]{2})_(village|tambol|amphur)_(common|[01]{5})\.csv$`)

// parseName reads name's last path element; ok is false when it does not
// follow the publisher's pattern (an upload renamed by a user, a test), in
// which case the header alone decides.
func parseName(name string) (fn fileName, ok bool) {
	base := name[strings.LastIndexAny(name, `/\`)+1:]
	m := namePattern.FindStringSubmatch(base)
	if m == nil {
		return fn, false
	}
	yy, _ := strconv.Atoi(m[1])
	fn = fileName{year: 2500 + yy, province: m[2], level: levelNames[m[3]], kind: KindCommon}
	if m[4] != "common" {
		fn.kind, fn.mask = KindPoverty, m[4]
	}
	return fn, true
}

// levelWord is the Thai and English name of a level for messages.
func levelWord(level int) (th, en string) {
	switch level {
	case LevelVillage:
		return "หมู่บ้าน", "village"
	case LevelTambon:
		return "ตำบล", "tambon"
	case LevelAmphoe:
		return "อำเภอ", "amphoe"
	case LevelProvince:
		return "จังหวัด", "province"
	}
	return "ประเทศ", "country"
}

func kindWord(k Kind) (th, en string) {
	if k == KindPoverty {
		return "ข้อมูลคนจน", "poverty counts"
	}
	return "ข้อมูลทั่วไป", "common counts"
}
