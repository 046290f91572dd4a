package dhis2

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/indicator"
	"tambon/internal/mpi"
	"tambon/internal/survey"
)

// MappingFormat names the mapping file's format and version.
const MappingFormat = "tambon-dhis2-mapping/1"

// Mapping says what tambon's figures of one indicator set are called in
// DHIS2. Default makes it from the set; an office edits the file it writes
// (WriteMapping) to use its own instance's identifiers, codes and names, and Load
// reads the edited file back over the default.
type Mapping struct {
	Format string `json:"format"`
	// SetID is the indicator set whose indicators the data elements count;
	// MPISpec the poverty measure, empty when the set has none.
	SetID   string `json:"set_id"`
	MPISpec string `json:"mpi_spec,omitempty"`
	DataSet Object `json:"data_set"`
	// OrgUnits maps area codes to the organisation units of an instance
	// that has its own; an area not listed is UID("organisationUnit", code),
	// and its DHIS2 code is the area code either way.
	OrgUnits map[string]string `json:"org_units,omitempty"`
	// Periods maps round ids to DHIS2 periods; a round not listed is its
	// survey year in the Gregorian calendar, a yearly period (2564 → "2021").
	Periods      map[string]string `json:"periods,omitempty"`
	Categories   []Category        `json:"categories"`
	DataElements []DataElement     `json:"data_elements"`

	index mapIndex
	set   *indicator.Set
	pov   *mpi.Index
	// units is orgUnitCodes of unitsOf, worked out once: every area's
	// derived UID is a hash.
	unitsMu sync.Mutex
	units   map[string]string
	unitsOf *area.Tree
}

// Object is what every DHIS2 object of the mapping has.
type Object struct {
	ID        string `json:"id"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	ShortName string `json:"short_name"`
	// Description says what a figure means where its name cannot: how
	// coverage and certification are carried.
	Description string `json:"description,omitempty"`
}

// DataElement is one tambon figure as a DHIS2 data element. Key is
// tambon's name for the figure (households, people, net_income,
// coverage/villages_with_data, coverage/villages, certification/tambons,
// certification/tambons_certified, indicator/<code>/surveyed, indicator/<code> for passed and failed,
// mpi/n, mpi/q, mpi/h, mpi/a, mpi/m0, mpi/score, mpi/deprived/<id>).
type DataElement struct {
	Key string `json:"key"`
	Object
	Category    string `json:"category,omitempty"` // a Category's key; empty: DHIS2's default
	ValueType   string `json:"value_type"`
	Aggregation string `json:"aggregation_type"`
}

// Category is a disaggregation: an indicator's result (passed, failed) or
// the poverty index's deprivation score. Each option is also the category
// option combination of the category's one-category combo.
type Category struct {
	Key string `json:"key"`
	Object
	ComboID string   `json:"category_combo"`
	Options []Option `json:"options"`
}

// Option is one category option and the combination made of it alone.
type Option struct {
	Key string `json:"key"`
	Object
	COC string `json:"category_option_combo"`
}

// Figure keys.
const (
	KeyHouseholds = "households"
	KeyPeople     = "people"
	KeyNetIncome  = "net_income"
	// Coverage and certification (cover.go): areas counted, never people.
	KeyVillagesWithData = "coverage/villages_with_data"
	KeyVillages         = "coverage/villages"
	KeyTambons          = "certification/tambons"
	KeyTambonsCertified = "certification/tambons_certified"

	KeyMPIN     = "mpi/n"
	KeyMPIQ     = "mpi/q"
	KeyMPIH     = "mpi/h"
	KeyMPIA     = "mpi/a"
	KeyMPIM0    = "mpi/m0"
	KeyMPIScore = "mpi/score"

	catResult = "result"
	catScore  = "score"
	optPassed = "passed"
	optFailed = "failed"
)

func keySurveyed(code string) string { return "indicator/" + code + "/surveyed" }
func keyResult(code string) string   { return "indicator/" + code }
func keyDeprived(id string) string   { return "mpi/deprived/" + id }
func keyScoreOption(s int) string    { return "s" + strconv.Itoa(s) }

var nonCode = regexp.MustCompile(`[^A-Z0-9]+`)

// codeOf makes a DHIS2 code (and an ADX attribute name) from parts: upper
// case letters, digits and underscores, at most DHIS2's 50 characters (a
// longer one keeps its first 43 and a 6-character digest of the whole, so
// codes stay distinct and the same each time).
func codeOf(parts ...string) string {
	for i, p := range parts {
		parts[i] = strings.Trim(nonCode.ReplaceAllString(strings.ToUpper(p), "_"), "_")
	}
	c := strings.Join(parts, "_")
	if len(c) > 50 {
		c = c[:43] + "_" + strings.ToUpper(UID("code", c)[:6])
	}
	return c
}

// shortName fits DHIS2's 50-character short names, counted in characters.
func shortName(s string) string {
	r := []rune(s)
	if len(r) <= 50 {
		return s
	}
	return string(r[:49]) + "…"
}

func obj(kind, key, code, name string) Object {
	return Object{ID: UID(kind, key), Code: code, Name: name, ShortName: shortName(name)}
}

// Default is the mapping tambon generates for a set and its poverty
// measure (nil when it has none).
func Default(set *indicator.Set, pov *mpi.Index) *Mapping {
	m := &Mapping{Format: MappingFormat, SetID: set.ID, set: set, pov: pov,
		DataSet: obj("dataSet", set.ID, codeOf("TBN", set.ID), "tambon "+set.Name.TH+" ("+set.Name.EN+")")}
	m.DataSet.Description = "ตัวเลขของพื้นที่หนึ่งในปีหนึ่งรับรองแล้วเมื่อจังหวัดรับรองครบทุกตำบลในตัวเลขนั้น: ADX ใส่ completeDate ที่กลุ่มของพื้นที่นั้น " +
		"dataValueSet ใส่ completeDate เฉพาะเมื่อทุกพื้นที่ในชุดรับรองแล้ว ความครอบคลุมและการรับรองของทุกพื้นที่อยู่ในรายการข้อมูล TBN_VILLAGES_WITH_DATA, TBN_VILLAGES, TBN_TAMBONS และ TBN_TAMBONS_CERTIFIED " +
		"(an area's figures of a year are certified when the province has certified every tambon in them: ADX gives that area's group a completeDate, " +
		"a dataValueSet gives one only when every area in it is certified. Every area's coverage and certification are the data elements " +
		"TBN_VILLAGES_WITH_DATA, TBN_VILLAGES, TBN_TAMBONS and TBN_TAMBONS_CERTIFIED)"
	result := Category{Key: catResult, Object: obj("category", catResult, "TBN_RESULT", "tambon ผลตามตัวชี้วัด (indicator result)"),
		ComboID: UID("categoryCombo", catResult)}
	result.Options = []Option{
		{Key: optPassed, Object: obj("categoryOption", optPassed, "TBN_PASSED", "ผ่านเกณฑ์ (passed)"), COC: UID("categoryOptionCombo", optPassed)},
		{Key: optFailed, Object: obj("categoryOption", optFailed, "TBN_FAILED", "ไม่ผ่านเกณฑ์ (failed)"), COC: UID("categoryOptionCombo", optFailed)},
	}
	m.Categories = append(m.Categories, result)
	count := func(key, code, name string, cat string) DataElement {
		return DataElement{Key: key, Object: obj("dataElement", key, code, name), Category: cat,
			ValueType: "INTEGER_ZERO_OR_POSITIVE", Aggregation: "SUM"}
	}
	m.DataElements = append(m.DataElements,
		count(KeyHouseholds, "TBN_HOUSEHOLDS", "tambon ครัวเรือนที่สำรวจ (households surveyed)", ""),
		count(KeyPeople, "TBN_PEOPLE", "tambon คนที่อาศัยอยู่จริง (resident people)", ""),
		count(KeyNetIncome, "TBN_NET_INCOME", "tambon รายได้สุทธิรวมของครัวเรือน บาท (households' net income, baht)", ""))
	m.DataElements[2].ValueType = "INTEGER"
	m.DataElements[2].Description = "รายได้สุทธิรวมของครัวเรือนที่สำรวจ รอบข้อมูลสรุปไม่มีตัวเลขนี้ (the households' net income; a round of published aggregates holds none, so tambon does not keep it on import)"
	m.DataElements = append(m.DataElements, coverElements()...)
	for _, ind := range set.Indicators {
		sk, rk := set.ID+"/"+keySurveyed(ind.Code), set.ID+"/"+keyResult(ind.Code)
		unit := map[indicator.Unit]string{"household": "ครัวเรือน households", "person": "คน people"}[ind.Unit]
		name := fmt.Sprintf("tambon %s ข้อ %d %s", set.ID, ind.Number, ind.Name.TH)
		s := count(keySurveyed(ind.Code), codeOf("TBN", set.ID, ind.Code, "SURVEYED"), name+" ที่สำรวจ (surveyed, "+unit+")", "")
		r := count(keyResult(ind.Code), codeOf("TBN", set.ID, ind.Code), name+" ผ่าน/ไม่ผ่าน (passed/failed, "+unit+")", catResult)
		s.ID, r.ID = UID("dataElement", sk), UID("dataElement", rk)
		s.ShortName = shortName(fmt.Sprintf("tambon %s %d surveyed", set.ID, ind.Number))
		r.ShortName = shortName(fmt.Sprintf("tambon %s %d result", set.ID, ind.Number))
		m.DataElements = append(m.DataElements, s, r)
	}
	if pov != nil {
		spec := pov.Spec()
		m.MPISpec = spec.ID
		score := Category{Key: catScore, Object: obj("category", "score/"+spec.ID, codeOf("TBN_MPI_SCORE", spec.ID),
			"tambon คะแนนการขาดแคลน "+spec.ID+" (deprivation score)"), ComboID: UID("categoryCombo", "score/"+spec.ID)}
		d := pov.Denominator()
		for s := int64(0); s <= d; s++ {
			k := keyScoreOption(int(s))
			score.Options = append(score.Options, Option{Key: k,
				Object: obj("categoryOption", "score/"+spec.ID+"/"+k, codeOf("TBN_MPI", spec.ID, k), fmt.Sprintf("คะแนน %d/%d (score %d/%d)", s, d, s, d)),
				COC:    UID("categoryOptionCombo", "score/"+spec.ID+"/"+k)})
		}
		m.Categories = append(m.Categories, score)
		per := func(key, code, name string) DataElement {
			e := count(key, codeOf("TBN_MPI", spec.ID, code), name, "")
			e.ID = UID("dataElement", spec.ID+"/"+key)
			return e
		}
		ratio := func(key, code, name string) DataElement {
			e := per(key, code, name)
			e.ValueType, e.Aggregation = "NUMBER", "NONE"
			return e
		}
		m.DataElements = append(m.DataElements,
			per(KeyMPIN, "N", "tambon MPI คนที่ประเมิน (people assessed)"),
			per(KeyMPIQ, "Q", "tambon MPI คนจนหลายมิติ (poor people)"),
			ratio(KeyMPIH, "H", "tambon MPI สัดส่วนคนจน H (headcount ratio)"),
			ratio(KeyMPIA, "A", "tambon MPI ความรุนแรง A (intensity)"),
			ratio(KeyMPIM0, "M0", "tambon MPI ดัชนี M0 (adjusted headcount ratio)"))
		sc := per(KeyMPIScore, "SCORE", "tambon MPI คนตามคะแนนการขาดแคลน (people by deprivation score)")
		sc.Category = catScore
		m.DataElements = append(m.DataElements, sc)
		for _, in := range spec.Indicators {
			e := per(keyDeprived(in.ID), "DEPRIVED_"+in.ID, "tambon MPI คนที่ขาด "+in.Name.TH+" ตามคะแนน (people deprived, by score)")
			e.Category = catScore
			e.ShortName = shortName("tambon MPI deprived " + in.ID)
			m.DataElements = append(m.DataElements, e)
		}
	}
	if err := m.build(); err != nil {
		panic(err) // the default is made from a compiled set: a clash is a bug
	}
	return m
}

// Load reads an edited mapping file over the default of the same set: an
// object named by its key takes the file's id, code and names; what the
// file leaves out keeps the default's. A key the set does not have, an
// identifier that is not a DHIS2 UID, or one used twice is refused with
// where it is.
func Load(r io.Reader, def *Mapping) (*Mapping, error) {
	var f Mapping
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf("อ่านไฟล์การจับคู่ DHIS2 ไม่ได้: %v", "cannot read the DHIS2 mapping file: %v", err))
	}
	if f.Format != MappingFormat {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("ไฟล์การจับคู่ต้องมี \"format\": %q", "the mapping file must say \"format\": %q", MappingFormat))
	}
	if f.SetID != def.SetID {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("ไฟล์การจับคู่เป็นของชุดตัวชี้วัด %s แต่รอบนี้ใช้ชุด %s",
			"the mapping file is for indicator set %s but the round uses set %s", f.SetID, def.SetID))
	}
	m := def.clone()
	over := func(dst *Object, src Object) {
		if src.ID != "" {
			dst.ID = src.ID
		}
		if src.Code != "" {
			dst.Code = src.Code
		}
		if src.Name != "" {
			dst.Name = src.Name
		}
		if src.ShortName != "" {
			dst.ShortName = src.ShortName
		}
		if src.Description != "" {
			dst.Description = src.Description
		}
	}
	over(&m.DataSet, f.DataSet)
	m.OrgUnits, m.Periods = f.OrgUnits, f.Periods
	for i, fe := range f.DataElements {
		j := m.deIndex(fe.Key)
		if j < 0 {
			return nil, apperr.New(apperr.Invalid, apperr.Tf("data_elements[%d]: ไม่รู้จักตัวเลข %q ของชุด %s",
				"data_elements[%d]: there is no figure %q in set %s", i, fe.Key, m.SetID))
		}
		over(&m.DataElements[j].Object, fe.Object)
	}
	for i, fc := range f.Categories {
		c := m.category(fc.Key)
		if c == nil {
			return nil, apperr.New(apperr.Invalid, apperr.Tf("categories[%d]: ไม่รู้จักหมวด %q", "categories[%d]: there is no category %q", i, fc.Key))
		}
		over(&c.Object, fc.Object)
		if fc.ComboID != "" {
			c.ComboID = fc.ComboID
		}
		for k, fo := range fc.Options {
			o := c.option(fo.Key)
			if o == nil {
				return nil, apperr.New(apperr.Invalid, apperr.Tf("categories[%d].options[%d]: หมวด %s ไม่มีตัวเลือก %q",
					"categories[%d].options[%d]: category %s has no option %q", i, k, fc.Key, fo.Key))
			}
			over(&o.Object, fo.Object)
			if fo.COC != "" {
				o.COC = fo.COC
			}
		}
	}
	if err := m.build(); err != nil {
		return nil, err
	}
	return m, nil
}

// WriteMapping writes the mapping as the indented JSON file an office edits.
func (m *Mapping) WriteMapping(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(m)
}

func (m *Mapping) clone() *Mapping {
	b, _ := json.Marshal(m)
	var c Mapping
	_ = json.Unmarshal(b, &c)
	c.set, c.pov = m.set, m.pov
	return &c
}

func (m *Mapping) deIndex(key string) int {
	for i, e := range m.DataElements {
		if e.Key == key {
			return i
		}
	}
	return -1
}

func (m *Mapping) category(key string) *Category {
	for i := range m.Categories {
		if m.Categories[i].Key == key {
			return &m.Categories[i]
		}
	}
	return nil
}

func (c *Category) option(key string) *Option {
	for i := range c.Options {
		if c.Options[i].Key == key {
			return &c.Options[i]
		}
	}
	return nil
}

// mapIndex finds a mapping's objects by key, identifier and code.
type mapIndex struct {
	de     map[string]*DataElement // by key, id and code
	option map[string]optionRef    // "<category key>/<option key>", COC id, and "<category code>=<option code>"
	cat    map[string]*Category    // by key and code
}

type optionRef struct {
	cat *Category
	opt *Option
}

// build checks the identifiers and indexes them.
func (m *Mapping) build() error {
	ix := mapIndex{de: map[string]*DataElement{}, option: map[string]optionRef{}, cat: map[string]*Category{}}
	ids := map[string]string{}
	use := func(id, what string) error {
		if !ValidUID(id) {
			return apperr.New(apperr.Invalid, apperr.Tf("%s: %q ไม่ใช่ UID ของ DHIS2 (11 ตัว ขึ้นต้นด้วยตัวอักษร ตามด้วยตัวอักษรหรือตัวเลข)",
				"%s: %q is not a DHIS2 UID (11 characters, a letter then letters or digits)", what, id))
		}
		if prev, ok := ids[id]; ok {
			return apperr.New(apperr.Invalid, apperr.Tf("%s: UID %s ใช้ซ้ำกับ %s", "%s: UID %s is also used by %s", what, id, prev))
		}
		ids[id] = what
		return nil
	}
	if err := use(m.DataSet.ID, "data_set"); err != nil {
		return err
	}
	for i := range m.DataElements {
		e := &m.DataElements[i]
		if err := use(e.ID, "data element "+e.Key); err != nil {
			return err
		}
		ix.de[e.Key], ix.de["id:"+e.ID], ix.de["code:"+e.Code] = e, e, e
	}
	for i := range m.Categories {
		c := &m.Categories[i]
		if err := use(c.ID, "category "+c.Key); err != nil {
			return err
		}
		if err := use(c.ComboID, "category combo "+c.Key); err != nil {
			return err
		}
		ix.cat[c.Key], ix.cat["code:"+c.Code] = c, c
		for k := range c.Options {
			o := &c.Options[k]
			if err := use(o.ID, "category option "+c.Key+"/"+o.Key); err != nil {
				return err
			}
			if err := use(o.COC, "category option combo "+c.Key+"/"+o.Key); err != nil {
				return err
			}
			ref := optionRef{c, o}
			ix.option[c.Key+"/"+o.Key], ix.option["id:"+o.COC], ix.option[c.Code+"="+o.Code] = ref, ref, ref
		}
	}
	for code, id := range m.OrgUnits {
		if err := use(id, "org_units."+code); err != nil {
			return err
		}
	}
	m.index = ix
	return nil
}

// OrgUnit is the organisation unit UID of an area code.
func (m *Mapping) OrgUnit(code string) string {
	if id, ok := m.OrgUnits[code]; ok {
		return id
	}
	return UID("organisationUnit", code)
}

// Period is the DHIS2 yearly period of a round: its survey year in the
// Gregorian calendar unless the mapping names another.
func (m *Mapping) Period(r survey.Round) string {
	if p, ok := m.Periods[r.ID]; ok {
		return p
	}
	return strconv.Itoa(r.SurveyYear - 543)
}

// ADXPeriod is a yearly period as ADX writes it: its first day and P1Y.
func ADXPeriod(period string) string { return period + "-01-01/P1Y" }

// Set is the indicator set the mapping is of; Poverty its poverty measure,
// nil when it has none.
func (m *Mapping) Set() *indicator.Set { return m.set }

// Poverty is the mapping's poverty measure, nil when it has none.
func (m *Mapping) Poverty() *mpi.Index { return m.pov }

func (m *Mapping) indicatorCode(i int) string { return m.set.Indicators[i].Code }

func (m *Mapping) mpiIndicators() []string {
	if m.pov == nil {
		return nil
	}
	var ids []string
	for _, in := range m.pov.Spec().Indicators {
		ids = append(ids, in.ID)
	}
	return ids
}
