package xform_test

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

func mustForm(tb testing.TB, setID string) (*xform.Form, *indicator.Set) {
	tb.Helper()
	set, err := indicator.Lookup(setID)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := xform.Build(surveyfile.ExampleRound(set), set)
	if err != nil {
		tb.Fatal(err)
	}
	return f, set
}

func TestFormIsWellFormedAndBilingual(t *testing.T) {
	f, set := mustForm(t, "bmn-2560-2564")
	d := xml.NewDecoder(bytes.NewReader(f.XML))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("the form is not well-formed XML: %v", err)
			}
			break
		}
	}
	x := string(f.XML)
	for _, want := range []string{
		`<translation lang="Thai (th)" default="true()">`, `<translation lang="English (en)">`,
		`<repeat nodeset="/data/members" jr:count="/data/member_count">`, `src="jr://file-csv/prev_households.csv"`, `src="jr://file-csv/prev_members.csv"`, `type="geopoint"`, `jr:preload="uid"`,
		`src="jr://file-csv/villages.csv"`, `src="jr://file-csv/households.csv"`,
		`<data id="` + f.ID + `" version="` + f.Version + `">`,
	} {
		if !strings.Contains(x, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	// Every question of the set is in the form, at its level, with its
	// Thai label and its English translation.
	for _, q := range set.Questions() {
		path := "/data/" + q.Code
		if q.Level == survey.LevelPerson {
			path = "/data/members/" + q.Code
		}
		if !strings.Contains(x, `<bind nodeset="`+path+`"`) {
			t.Errorf("question %s has no bind at %s", q.Code, path)
		}
		if !strings.Contains(x, q.Label.TH) || !strings.Contains(x, q.Label.EN) {
			t.Errorf("question %s lacks its Thai or English label", q.Code)
		}
	}
}

func TestFormFollowsTheIndicatorSet(t *testing.T) {
	a, setA := mustForm(t, "bmn-2560-2564")
	b, setB := mustForm(t, "bmn-2566-2570")
	if a.MD5 == b.MD5 || a.Version == b.Version {
		t.Fatalf("two indicator sets gave the same form (md5 %s, version %s)", a.MD5, a.Version)
	}
	again, _ := mustForm(t, "bmn-2560-2564")
	if !bytes.Equal(a.XML, again.XML) {
		t.Fatal("the same set built twice gave different bytes: clients would download it again and again")
	}
	// A question only one set asks appears only in that set's form.
	for _, q := range setB.Questions() {
		if setA.QuestionIndex(q.Code) < 0 {
			if strings.Contains(string(a.XML), "/"+q.Code+`"`) || !strings.Contains(string(b.XML), "/"+q.Code+`"`) {
				t.Errorf("question %s of %s only: wrong form", q.Code, setB.ID)
			}
			return
		}
	}
	t.Log("the two sets share every question code; compared hashes only")
}

func TestConstraints(t *testing.T) {
	f, _ := mustForm(t, "bmn-2560-2564")
	x := string(f.XML)
	for _, want := range []string{
		// the check digit: weights 13..2 over the first twelve digits, mod 11
		"number(substr(., 0, 1)) * 13", "number(substr(., 11, 12)) * 2", "mod 11)) mod 10 = number(substr(., 12, 13))",
		// birth date not after the survey, at most 120 completed years
		// (the client evaluates it: cmd/tambon TestBrowserOpenRosaAgeLimit)
		"decimal-date-time(string(.)) &lt;= decimal-date-time(string(../../survey_date)) and (number(substr(string(../../survey_date), 0, 4)) - number(substr(string(.), 0, 4)) - if(number(translate(substr(string(../../survey_date), 5, 10), &#39;-&#39;, &#39;&#39;)) &lt; number(translate(substr(string(.), 5, 10), &#39;-&#39;, &#39;&#39;)), 1, 0)) &lt;= 120",
		// a number question's range from the set
		`constraint=". &gt;= 300 and . &lt;= 7000"`,
	} {
		if !strings.Contains(x, want) {
			t.Errorf("the form lacks the constraint %s", want)
		}
	}
}

// Every example household survives Encode → Parse unchanged: what a client
// sends is what is stored.
func TestEncodeParseRoundTrip(t *testing.T) {
	f, set := mustForm(t, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051301", 25, 7)
	for i, h := range hs {
		h.RoundID = f.Round.ID
		data := xform.Encode(f, set, h, "uuid:rt-"+h.HouseNo, "")
		in, ps, err := xform.Parse(f, set, data)
		if err != nil || len(ps) > 0 {
			t.Fatalf("household %d: %v %v", i, err, ps)
		}
		if in.InstanceID != "uuid:rt-"+h.HouseNo || in.FormID != f.ID || in.Version != f.Version {
			t.Fatalf("household %d: meta read as %+v", i, in)
		}
		in.Household.Collector = h.Collector // the server names the sender, not the instance
		if d, err := survey.Diff(h, in.Household); err != nil || len(d) > 0 {
			t.Fatalf("household %d changed on the way: %v %v", i, d, err)
		}
	}
}

func TestParseRefusesPrecisely(t *testing.T) {
	f, set := mustForm(t, "bmn-2560-2564")
	cases := []struct {
		name, xml, want string
	}{
		{"not XML", "this is not xml", "holds no XML"},
		{"broken XML", `<data id="x"><meta>`, "cannot be read"},
		{"no instanceID", `<data id="` + f.ID + `"><village>70051301</village></data>`, "no meta/instanceID"},
		{"another form", `<data id="other"><meta><instanceID>uuid:1</instanceID></meta></data>`, `the form "other"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := xform.Parse(f, set, []byte(c.xml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error saying %q", err, c.want)
			}
		})
	}
	bad := `<data id="` + f.ID + `"><village>70051301</village><survey_date>2021-13-40</survey_date><savings>lots</savings>` +
		`<members><birth_date>1990-01-01</birth_date><q1_weight_g>heavy</q1_weight_g></members><q30>maybe</q30><meta><instanceID>uuid:2</instanceID></meta></data>`
	_, ps, err := xform.Parse(f, set, []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range ps {
		got[p.Field] = p.Value
	}
	for field, value := range map[string]string{"survey_date": "2021-13-40", "savings": "lots", "members[0].q1_weight_g": "heavy", "q30": "maybe"} {
		if got[field] != value {
			t.Errorf("no problem at %s (%q); got %v", field, value, ps)
		}
	}
}

// An answer to a question the set does not ask of that member is dropped,
// as relevance would drop it on the phone; answers that apply stay.
func TestDropUnasked(t *testing.T) {
	f, set := mustForm(t, "bmn-2560-2564")
	ref := f.Round.ReferenceDate()
	for _, h := range surveyfile.Example(set, "70051301", 20, 3) {
		if ps := survey.Validate(h, set, ref); len(ps) > 0 {
			t.Fatalf("example household invalid before: %v", ps)
		}
		kept := 0
		for _, m := range h.Members {
			kept += len(m.Answers)
		}
		// Answer q1_weight_g (newborns only) for everybody.
		for i := range h.Members {
			if h.Members[i].Answers == nil {
				h.Members[i].Answers = survey.Answers{}
			}
			h.Members[i].Answers["q1_weight_g"] = survey.Number(3000)
		}
		xform.DropUnasked(h, set, ref)
		if ps := survey.Validate(h, set, ref); len(ps) > 0 {
			t.Fatalf("after dropping unasked answers: %v", ps)
		}
		after := 0
		for _, m := range h.Members {
			after += len(m.Answers)
		}
		if after < kept {
			t.Fatalf("answers that apply were dropped: %d → %d", kept, after)
		}
	}
}

// Occupation is a choice list with codes, in Thai and English, and the
// questions that depend on it (18: no occupation; 20: not only studying)
// hang on those codes, not on typed text.
func TestOccupationIsACodedChoice(t *testing.T) {
	f, set := mustForm(t, "bmn-2560-2564")
	x := string(f.XML)
	if strings.Contains(x, `<input ref="/data/members/occupation">`) {
		t.Fatal("occupation is still typed text")
	}
	sel := regexp.MustCompile(`<select1 ref="/data/members/occupation">(.*?)</select1>`).FindStringSubmatch(x)
	if sel == nil {
		t.Fatal("occupation is not a select_one")
	}
	codes := map[string]bool{}
	for _, v := range regexp.MustCompile(`<value>([^<]*)</value>`).FindAllStringSubmatch(sel[1], -1) {
		codes[v[1]] = true
		labels := regexp.MustCompile(`<text id="/data/members/occupation/`+regexp.QuoteMeta(v[1])+`:label"><value>([^<]*)</value>`).FindAllStringSubmatch(x, -1)
		if len(labels) != 2 || labels[0][1] == labels[1][1] || labels[0][1] == v[1] {
			t.Errorf("choice %q lacks a Thai and an English label: %v", v[1], labels)
		}
	}
	for _, c := range []string{survey.OccNone, survey.OccStudent} {
		if !codes[c] {
			t.Errorf("the occupation list lacks the code %q the indicators read (has %v)", c, codes)
		}
	}
	for q, code := range map[string]string{"q18": survey.OccNone, "q20": survey.OccStudent} {
		if set.QuestionIndex(q) < 0 {
			t.Fatalf("the set has no %s", q)
		}
		bind := regexp.MustCompile(`<bind nodeset="/data/members/` + q + `"[^>]*relevant="([^"]*)"`).FindStringSubmatch(x)
		if bind == nil {
			t.Fatalf("%s has no relevance", q)
		}
		ref := regexp.MustCompile(`\.\./occupation = &#39;([^&]*)&#39;`).FindAllStringSubmatch(bind[1], -1)
		if len(ref) != 1 || ref[0][1] != code || !codes[ref[0][1]] {
			t.Errorf("%s's relevance does not hang on the occupation code %q of the list: %s", q, code, bind[1])
		}
	}
	// Households stored from the free-text field, and submissions of older
	// forms carrying text, are read unchanged.
	hs := surveyfile.Example(set, "70051301", 1, 3)
	h := hs[0]
	h.RoundID = f.Round.ID
	for _, old := range []string{"none", "student", "ทำนา", "รับจ้าง"} {
		h.Members[0].Occupation = old
		in, ps, err := xform.Parse(f, set, xform.Encode(f, set, h, "uuid:occ", ""))
		if err != nil || len(ps) > 0 {
			t.Fatalf("occupation %q: %v %v", old, err, ps)
		}
		if got := in.Household.Members[0].Occupation; got != old {
			t.Errorf("occupation %q read as %q", old, got)
		}
	}
}
