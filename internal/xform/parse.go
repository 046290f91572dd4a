package xform

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// Instance is a submitted form instance, read.
type Instance struct {
	FormID       string
	Version      string
	InstanceID   string
	DeprecatedID string
	Household    *survey.Household // nil when the XML could not be read at all
	// Resurvey is set when the instance re-surveys a household of last
	// round's list (preload.go); nil for a new household.
	Resurvey *Resurvey
	// Photos names the media files the instance's optional photo
	// questions (photo_house, photo_document) refer to, by kind.
	Photos map[survey.PhotoKind]string
}

// node is one element of an instance: instances are small trees of text.
type node struct {
	name     string
	attrs    map[string]string
	text     string
	buf      []byte // text while parsing
	children []*node
}

func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (n *node) get(name string) string {
	if c := n.child(name); c != nil {
		return strings.TrimSpace(c.text)
	}
	return ""
}

// maxDepth bounds nesting: an instance of this form is four levels deep.
const maxDepth = 32

// Doc is an instance document, read once: its identity (Instance without
// Household) and its tree, from which Household reads the answers.
type Doc struct {
	Instance
	root *node
}

// Read reads an instance document and what identifies it (formID, version,
// instanceID, deprecatedID): enough to store it raw before anything else.
// Broken XML or a missing instanceID is an error.
func Read(data []byte) (*Doc, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	in, err := meta(root)
	return &Doc{Instance: in, root: root}, err
}

func meta(root *node) (Instance, error) {
	in := Instance{FormID: root.attrs["id"], Version: root.attrs["version"]}
	m := root.child("meta")
	in.InstanceID, in.DeprecatedID = m.get("instanceID"), m.get("deprecatedID")
	if in.InstanceID == "" {
		return in, apperr.New(apperr.Invalid, apperr.T("ไม่มี meta/instanceID ในข้อมูลที่ส่ง", "the submission has no meta/instanceID"))
	}
	if len(in.InstanceID) > 200 || len(in.DeprecatedID) > 200 {
		return in, apperr.New(apperr.Invalid, apperr.T("instanceID ยาวเกิน 200 ตัวอักษร", "the instanceID is longer than 200 characters"))
	}
	if in.FormID == "" {
		return in, apperr.New(apperr.Invalid, apperr.T("ไม่มีรหัสแบบฟอร์ม (แอตทริบิวต์ id ของ element แรก)", "the submission names no form (no id attribute on its root element)"))
	}
	return in, nil
}

func parseTree(data []byte) (*node, error) {
	if len(data) > MaxInstanceBytes {
		return nil, instanceTooLarge(len(data))
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf("อ่าน XML ของข้อมูลที่ส่งไม่ได้: %v", "the submission's XML cannot be read: %v", err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				if len(a.Value) > MaxValueBytes {
					return nil, valueTooLong(t.Name.Local + "@" + a.Name.Local)
				}
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, apperr.New(apperr.Invalid, apperr.T("XML มีมากกว่าหนึ่ง element ราก", "the XML has more than one root element"))
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			if stack = append(stack, n); len(stack) > maxDepth {
				return nil, apperr.New(apperr.Invalid, apperr.T("XML ซ้อนกันลึกเกินไป", "the XML is nested too deeply"))
			}
		case xml.EndElement:
			n := stack[len(stack)-1]
			n.text, n.buf = string(n.buf), nil
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				n := stack[len(stack)-1]
				if len(n.buf)+len(t) > MaxValueBytes {
					return nil, valueTooLong(n.name)
				}
				n.buf = append(n.buf, t...) // text split by comments arrives in pieces: appended, never re-copied whole
			}
		}
	}
	if root == nil {
		return nil, apperr.New(apperr.Invalid, apperr.T("ข้อมูลที่ส่งไม่มี XML", "the submission holds no XML"))
	}
	return root, nil
}

// Parse reads an instance of f into a household of f's round (Read, then
// Household).
func Parse(f *Form, schema survey.Schema, data []byte) (Instance, apperr.Problems, error) {
	d, err := Read(data)
	if err != nil {
		if d != nil {
			return d.Instance, nil, err
		}
		return Instance{}, nil, err
	}
	ps, err := d.Household(f, schema)
	return d.Instance, ps, err
}

// Household reads the document as an instance of f into a household of f's
// round, setting d.Household. It returns the problems found reading values
// (a number that is not a number, a date that is not a date); the caller
// validates the household as any other (survey.Validate). An instance of
// another form is an error.
func (d *Doc) Household(f *Form, schema survey.Schema) (apperr.Problems, error) {
	root, in := d.root, &d.Instance
	if in.FormID != f.ID {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("ข้อมูลนี้เป็นของแบบฟอร์ม %q ไม่ใช่ %q", "this instance belongs to the form %q, not %q", in.FormID, f.ID))
	}
	r := reader{schema: schema}
	h := &survey.Household{RoundID: f.Round.ID, VillageCode: root.get("village"), Respondent: root.get("respondent"), Phone: root.get("phone")}
	if k := root.get("known_house"); k != "" {
		if len(k) == 11 && strings.Trim(k, "0123456789") == "" {
			h.HouseCode = k
		} else {
			h.HouseNo = k
		}
	} else {
		h.HouseNo, h.HouseCode = root.get("house_no"), root.get("house_code")
	}
	if loc := root.get("location"); loc != "" {
		parts := strings.Fields(loc)
		lat, err1 := strconv.ParseFloat(parts[0], 64)
		var lon float64
		var err2 error = fmt.Errorf("no longitude")
		if len(parts) > 1 {
			lon, err2 = strconv.ParseFloat(parts[1], 64)
		}
		if err1 != nil || err2 != nil {
			r.add("location", loc, apperr.T("พิกัดต้องเป็น \"ละติจูด ลองจิจูด\"", "a location must be \"latitude longitude\""))
		} else {
			h.Lat, h.Lon = &lat, &lon
		}
	}
	h.SurveyDate = r.date("survey_date", root.get("survey_date"))
	h.Status = survey.HouseholdStatus(root.get("status"))
	if h.Status == "" {
		h.Status = survey.Draft
	}
	h.Income = survey.Income{
		MainOccupation:      r.money("income_main", root.get("income_main")),
		SecondaryOccupation: r.money("income_secondary", root.get("income_secondary")),
		Other:               r.money("income_other", root.get("income_other")),
		OwnProduce:          r.money("income_own_produce", root.get("income_own_produce")),
		OccupationCosts:     r.money("income_costs", root.get("income_costs")),
	}
	h.Savings = r.money("savings", root.get("savings"))
	h.Debt = survey.Debt{InSystem: r.money("debt_in_system", root.get("debt_in_system")), OutOfSystem: r.money("debt_out_of_system", root.get("debt_out_of_system"))}
	h.Answers = r.answers("", root, survey.LevelHousehold)
	rs := readResurvey(root)
	for _, c := range root.children {
		if c.name != "members" {
			continue
		}
		if rs.member(&r, c, len(h.Members)) {
			continue // died or moved out: not on this year's roster
		}
		i := len(h.Members)
		f := func(name string) string { return fmt.Sprintf("members[%d].%s", i, name) }
		m := survey.Member{No: i + 1, Title: c.get("title"), FirstName: c.get("first_name"), LastName: c.get("last_name"),
			CitizenID: c.get("citizen_id"), Sex: survey.Sex(c.get("sex")), Relation: survey.Relation(c.get("relation")),
			Education: c.get("education"), Occupation: c.get("occupation"), Resident: c.get("resident") != "0"}
		m.BirthDate = r.date(f("birth_date"), c.get("birth_date"))
		for _, flag := range strings.Fields(c.get("flags")) {
			switch flag {
			case "disabled":
				m.Disabled = true
			case "chronic_ill":
				m.ChronicIll = true
			case "bedridden":
				m.Bedridden = true
			case "dependent":
				m.Dependent = true
			case "welfare_card":
				m.WelfareCard = true
			default:
				r.add(f("flags"), flag, apperr.T("ไม่รู้จักสถานะนี้", "unknown condition"))
			}
		}
		m.Answers = r.answers(fmt.Sprintf("members[%d].", i), c, survey.LevelPerson)
		h.Members = append(h.Members, m)
	}
	in.Household = h
	for kind, q := range map[survey.PhotoKind]string{survey.PhotoHouse: "photo_house", survey.PhotoDocument: "photo_document"} {
		if name := root.get(q); name != "" {
			if in.Photos == nil {
				in.Photos = map[survey.PhotoKind]string{}
			}
			in.Photos[kind] = name
		}
	}
	if rs != nil {
		in.Resurvey = rs
	}
	return r.ps, nil
}

type reader struct {
	schema survey.Schema
	ps     apperr.Problems
}

func (r *reader) add(field, value string, reason apperr.Text) {
	r.ps = append(r.ps, apperr.Problem{Field: field, Value: value, Reason: reason})
}

func (r *reader) date(field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if len(s) > 10 { // a dateTime: keep the day
		s = s[:10]
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		r.add(field, s, apperr.T("วันที่ต้องอยู่ในรูป ปปปป-ดด-วว (ค.ศ.)", "a date must be YYYY-MM-DD"))
	}
	return t
}

func (r *reader) money(field, s string) int64 {
	if s == "" {
		return 0
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1e12 {
		r.add(field, s, apperr.T("จำนวนเงินต้องเป็นตัวเลข", "an amount of money must be a number"))
		return 0
	}
	return int64(math.Round(x))
}

// answers reads the indicator questions of one level from n's children.
func (r *reader) answers(prefix string, n *node, level survey.Level) survey.Answers {
	var out survey.Answers
	for _, q := range r.schema.Questions() {
		if q.Level != level {
			continue
		}
		s := n.get(q.Code)
		if s == "" {
			continue
		}
		var v survey.Value
		switch q.Type {
		case survey.TypeBool:
			switch s {
			case "1", "true", "yes":
				v = survey.Bool(true)
			case "0", "false", "no":
				v = survey.Bool(false)
			default:
				r.add(prefix+q.Code, s, apperr.T("คำตอบต้องเป็น ใช่ (1) หรือ ไม่ใช่ (0)", "the answer must be yes (1) or no (0)"))
				continue
			}
		case survey.TypeNumber:
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				r.add(prefix+q.Code, s, apperr.T("คำตอบต้องเป็นตัวเลข", "the answer must be a number"))
				continue
			}
			v = survey.Number(x)
		default:
			v = survey.Text(s)
		}
		if out == nil {
			out = survey.Answers{}
		}
		out[q.Code] = v
	}
	return out
}
