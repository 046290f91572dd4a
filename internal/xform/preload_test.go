package xform_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"

	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// The re-survey in the form: last round's two CSVs, a roster counted by a
// node, its members filled on creation and the household's own questions
// when the household is chosen; the interview's questions skipped when
// there was none, a departed member's skipped too.
func TestFormPreloadsLastRound(t *testing.T) {
	f, _ := mustForm(t, "bmn-2560-2564")
	x := string(f.XML)
	for _, want := range []string{
		`<members jr:template="">`,
		`<bind nodeset="/data/member_count" type="int" calculate="if((/data/prev_household = &#39;&#39; or /data/visit = &#39;interviewed&#39;), /data/prev_count + coalesce(/data/new_members, 0), 0)" readonly="true()"/>`,
		`<setvalue event="xforms-value-changed" ref="/data/house_no" value="string(instance(&#39;prev_households&#39;)/root/item[name = /data/prev_household]/house_no)"/>`,
		`<setvalue event="odk-new-repeat" ref="/data/members/citizen_id" value="string(instance(&#39;prev_members&#39;)/root/item[/data/prev_first + position(current()/..) - 1][hh = /data/prev_household]/citizen_id)"/>`,
		`<itemset nodeset="instance(&#39;prev_households&#39;)/root/item[village = current()/../village]">`,
	} {
		if !strings.Contains(x, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	// Every member question but the link and the presence is skipped for a
	// member who left; every household question after the visit's outcome
	// is skipped when there was no interview.
	for _, line := range strings.Split(x, "\n") {
		if !strings.HasPrefix(line, `<bind nodeset="/data/`) || strings.Contains(line, "calculate=") {
			continue
		}
		path := strings.TrimPrefix(line, `<bind nodeset="/data/`)
		path = path[:strings.IndexByte(path, '"')]
		switch {
		case strings.HasPrefix(path, "members/") && path != "members/prev_no" && path != "members/presence":
			if !strings.Contains(line, "../presence != &#39;died&#39;") {
				t.Errorf("member question %s is asked of a member who died", path)
			}
		case slices.Contains([]string{"village", "prev_household", "visit", "survey_date", "new_members", "meta/instanceID", "meta/instanceName", "meta/deprecatedID", "members/prev_no", "members/presence"}, path):
		default:
			if !strings.Contains(line, "/data/visit = &#39;interviewed&#39;") && !strings.Contains(line, "../prev_household = &#39;&#39;") {
				t.Errorf("household question %s is asked when there was no interview", path)
			}
		}
	}
}

// A re-survey's instance reads back as sent: last round's key, the link of
// each member, and those who left out of the roster.
func TestResurveyRoundTrip(t *testing.T) {
	f, set := mustForm(t, "bmn-2560-2564")
	h := surveyfile.Example(set, "70051304", 1, 3)[0]
	h.RoundID = f.Round.ID
	links := make([]int, len(h.Members))
	for i := range links {
		links[i] = i + 2
	}
	links[len(links)-1] = 0 // a new member
	rs := &xform.Resurvey{PrevKey: "70051304/12", Visit: xform.VisitInterviewed, Links: links,
		Departed: []xform.Departed{{PrevNo: 1, Presence: xform.PresenceDied}}}
	in, ps, err := xform.Parse(f, set, xform.EncodeResurvey(f, set, h, rs, "uuid:rt", ""))
	if err != nil || len(ps) > 0 {
		t.Fatal(err, ps)
	}
	got := in.Resurvey
	if got == nil || got.PrevKey != rs.PrevKey || !got.Interviewed() || !slices.Equal(got.Links, links) ||
		!slices.Equal(got.Departed, rs.Departed) || len(in.Household.Members) != len(h.Members) {
		t.Fatalf("read back %+v with %d members", got, len(in.Household.Members))
	}
	// A new household says nothing of last round.
	in, _, _ = xform.Parse(f, set, xform.Encode(f, set, h, "uuid:new", ""))
	if in.Resurvey != nil {
		t.Errorf("a new household read as a re-survey: %+v", in.Resurvey)
	}
	// An unknown presence is a problem, not a silent member.
	bad := strings.Replace(string(xform.EncodeResurvey(f, set, h, rs, "uuid:bad", "")), "<presence>died</presence>", "<presence>eloped</presence>", 1)
	if _, ps, _ := xform.Parse(f, set, []byte(bad)); len(ps) != 1 || !strings.HasSuffix(ps[0].Field, ".presence") {
		t.Errorf("an unknown presence: %v", ps)
	}
}

// Every column of last round's files but the list's own is copied into its
// question by a setvalue, and holds what the instance would hold had the
// household been sent as it was (Encode, whose instances read back as
// sent): a household re-surveyed without a change arrives unchanged.
func TestPrefillFillsEveryAnswerAsSent(t *testing.T) {
	f, set := mustForm(t, "bmn-2560-2564")
	x := string(f.XML)
	h := surveyfile.Example(set, "70051304", 1, 5)[0]
	h.RoundID = f.Round.ID
	h.Income.MainOccupation, h.Income.OwnProduce, h.Savings, h.Debt.OutOfSystem = 96000, 12500, 3000, 20000
	lat, lon := 15.123456, 102.5
	h.Lat, h.Lon = &lat, &lon
	sent := instanceValues(t, xform.Encode(f, set, h, "uuid:same", ""))

	own := []string{"name", "label", "village", "members", "first"}
	cols, row := f.PrevHouseholdColumns(), f.PrevHouseholdRow(h.Key(), "label", h, 1)
	if len(cols) != len(row) {
		t.Fatalf("%d columns, %d values", len(cols), len(row))
	}
	answers := 0
	for i, c := range cols {
		if slices.Contains(own, c) {
			continue
		}
		q := strings.TrimPrefix(c, "q_")
		if q != c {
			answers++
		}
		set := `<setvalue event="xforms-value-changed" ref="/data/` + q + `" value="string(instance(&#39;prev_households&#39;)/root/item[name = /data/prev_household]/` + c + `)"/>`
		if !strings.Contains(x, set) {
			t.Errorf("column %s fills no question: the form lacks %s", c, set)
		}
		want := sent[0][q]
		if q == "location" {
			want = strings.Join(strings.Fields(want)[:2], " ")
		}
		if row[i] != want {
			t.Errorf("column %s holds %q, the instance %q", c, row[i], want)
		}
	}
	if answers == 0 || !slices.Contains(cols, "income_own_produce") {
		t.Errorf("the household's answers and money are not among the columns: %v", cols)
	}
	// A question asked of households of two or more is relevant when the
	// form opens (ODK Web Forms fills only a question relevant then).
	if !strings.Contains(x, `<bind nodeset="/data/q31_together" type="string" relevant="/data/village = &#39;&#39; or (`) {
		t.Errorf("31.1 is not relevant when the form opens")
	}
	mcols := f.PrevMemberColumns()
	for i := range h.Members {
		row := f.PrevMemberRow(h.Key(), i+1, &h.Members[i])
		for j, c := range mcols {
			if c == "hh" || c == "no" {
				continue
			}
			q := strings.TrimPrefix(c, "q_")
			if i == 0 && !strings.Contains(x, `<setvalue event="odk-new-repeat" ref="/data/members/`+q+`" value="string(`) {
				t.Errorf("member column %s fills no question", c)
			}
			if row[j] != sent[i+1][q] {
				t.Errorf("member %d's column %s holds %q, the instance %q", i+1, c, row[j], sent[i+1][q])
			}
		}
	}
}

// instanceValues reads an instance's household elements (first) and each
// member's, by name.
func instanceValues(t *testing.T, data []byte) []map[string]string {
	t.Helper()
	out := []map[string]string{{}}
	d := xml.NewDecoder(bytes.NewReader(data))
	var path []string
	var text string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			path = append(path, e.Name.Local)
			text = ""
			if len(path) == 2 && e.Name.Local == "members" {
				out = append(out, map[string]string{})
			}
		case xml.CharData:
			text += string(e)
		case xml.EndElement:
			switch {
			case len(path) == 2:
				out[0][e.Name.Local] = text
			case len(path) == 3 && path[1] == "members":
				out[len(out)-1][e.Name.Local] = text
			}
			path = path[:len(path)-1]
		}
	}
}
