package xform_test

import (
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
