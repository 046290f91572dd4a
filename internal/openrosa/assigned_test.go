package openrosa_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/user"
)

// phoneMedia fetches the manifest as Collect does and then every file it
// names, with req adding the credentials; it returns each CSV's rows
// (header left out) and checks the manifest's hashes.
func phoneMedia(t *testing.T, manifestURL string, auth func(*http.Request)) map[string][][]string {
	t.Helper()
	req := collectRequest("GET", manifestURL, nil)
	auth(req)
	resp, man := do(t, req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("manifest: %d %s", resp.StatusCode, man)
	}
	files := regexp.MustCompile(`<filename>([^<]+)</filename>\s*<hash>md5:([0-9a-f]+)</hash>\s*<downloadUrl>([^<]+)</downloadUrl>`).FindAllStringSubmatch(man, -1)
	if len(files) != 4 {
		t.Fatalf("manifest names %d files:\n%s", len(files), man)
	}
	out := map[string][][]string{}
	for _, m := range files {
		req := collectRequest("GET", m[3], nil)
		auth(req)
		resp, body := do(t, req)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", m[1], resp.StatusCode, body)
		}
		if md5hex([]byte(body)) != m[2] {
			t.Errorf("%s does not match its manifest hash", m[1])
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s: %v\n%s", m[1], err, body)
		}
		out[m[1]] = rows[1:]
	}
	return out
}

func column(rows [][]string, i int) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[i])
	}
	sort.Strings(out)
	return out
}

// The phone of an enumerator with an assignment receives only its
// assignment: the villages it holds and the previous round's households
// given to it, never another enumerator's; an enumerator without one gets
// the whole area as before.
func TestPhoneGetsOnlyItsAssignment(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { phoneGetsOnlyItsAssignment(t, newFixture(t, 0)) })
	t.Run("postgres", func(t *testing.T) {
		phoneGetsOnlyItsAssignment(t, newFixtureOn(t, storetest.MustOpenDSN(t, storetest.PostgresDSN(t)), 0))
	})
}

func phoneGetsOnlyItsAssignment(t *testing.T, f *fixture) {
	s := f.store
	ctx := context.Background()
	last := survey.Round{ID: "bmn-2563", Kind: survey.KindBMN, SurveyYear: 2563, SetID: "bmn-2560-2564"}
	if err := s.CreateRound(ctx, last); err != nil {
		t.Fatal(err)
	}
	eng, err := engine.ForRound(last)
	if err != nil {
		t.Fatal(err)
	}
	var prev []*survey.Household
	for _, v := range []string{village, "70051302"} {
		hs := surveyfile.Example(eng.Set(), v, 4, 7)
		for _, h := range hs {
			h.RoundID = last.ID
		}
		if _, err := s.WriteHouseholds(ctx, eng, last.ID, hs, "seed", nil); err != nil {
			t.Fatal(err)
		}
		prev = append(prev, hs...)
	}
	hash, err := user.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	team, err := s.CreateUser(ctx, user.User{Username: "team", PasswordHash: hash, Role: user.Tambon, AreaCode: tambon})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"malee", "newbie"} {
		if _, err := s.CreateUser(ctx, user.User{Username: name, PasswordHash: hash, Role: user.Enumerator, AreaCode: tambon}); err != nil {
			t.Fatal(err)
		}
	}
	// หมู่ 1 to somchai but its first household to malee; หมู่ 2 to malee.
	for _, a := range []struct {
		village, to string
		hh          []string
	}{{village, "somchai", nil}, {village, "malee", []string{prev[0].Key()}}, {"70051302", "malee", nil}} {
		if err := s.Assign(ctx, team, roundID, a.village, a.to, a.hh); err != nil {
			t.Fatal(err)
		}
	}
	// somchai has already saved one new household of หมู่ 1 this round.
	mine := f.household(1)
	if _, err := s.WriteHouseholds(ctx, f.eng, roundID, []*survey.Household{mine}, "somchai", nil); err != nil {
		t.Fatal(err)
	}
	value := func(h *survey.Household) string {
		if h.HouseCode != "" {
			return h.HouseCode
		}
		return h.HouseNo
	}
	values := func(hs ...*survey.Household) []string {
		var out []string
		for _, h := range hs {
			out = append(out, value(h))
		}
		sort.Strings(out)
		return out
	}
	manifest := "/forms/" + f.form.ID + "/manifest"
	basic := func(name string) func(*http.Request) {
		return func(r *http.Request) { r.SetBasicAuth(name, password) }
	}

	// somchai's phone, through its device token.
	got := phoneMedia(t, f.keyURL()+manifest, func(*http.Request) {})
	if vs := column(got["villages.csv"], 0); strings.Join(vs, ",") != village {
		t.Errorf("somchai's villages: %v, want only %s", vs, village)
	}
	// households.csv: this round's households that are somchai's to
	// update, never last round's not yet re-surveyed (chosen there, one
	// would be saved with no link to last round).
	if hs, want := column(got["households.csv"], 0), values(mine); strings.Join(hs, ",") != strings.Join(want, ",") {
		t.Errorf("somchai's households: %v, want %v", hs, want)
	}
	// Last round's households to re-survey, with their members: the
	// assignment's only.
	keys := func(hs ...*survey.Household) string {
		var out []string
		for _, h := range hs {
			out = append(out, h.Key())
		}
		sort.Strings(out)
		return strings.Join(out, ",")
	}
	if hs, want := strings.Join(column(got["prev_households.csv"], 0), ","), keys(prev[1], prev[2], prev[3]); hs != want {
		t.Errorf("somchai's households of last round: %v, want %v", hs, want)
	}
	for _, m := range got["prev_members.csv"] {
		if !strings.Contains(","+keys(prev[1], prev[2], prev[3])+",", ","+m[0]+",") {
			t.Errorf("somchai's phone has a member of a household not assigned to it: %v", m)
		}
	}
	// malee's, through Basic.
	got = phoneMedia(t, f.ts.URL+"/openrosa"+manifest, basic("malee"))
	if vs := column(got["villages.csv"], 0); strings.Join(vs, ",") != village+",70051302" {
		t.Errorf("malee's villages: %v", vs)
	}
	if hs := column(got["households.csv"], 0); len(hs) != 0 {
		t.Errorf("malee's households before any re-survey: %v, want none", hs)
	}
	// Once one of somchai's is re-surveyed this round (by whoever), it is
	// among this round's households on somchai's phone, and not on malee's.
	again := *prev[2]
	again.RoundID = roundID
	if _, err := s.WriteHouseholds(ctx, f.eng, roundID, []*survey.Household{&again}, "team", nil); err != nil {
		t.Fatal(err)
	}
	got = phoneMedia(t, f.keyURL()+manifest, func(*http.Request) {})
	if hs, want := column(got["households.csv"], 0), values(prev[2], mine); !slices.Equal(hs, want) {
		t.Errorf("somchai's households after a re-survey: %v, want %v", hs, want)
	}
	got = phoneMedia(t, f.ts.URL+"/openrosa"+manifest, basic("malee"))
	for _, r := range got["households.csv"] {
		if r[0] == value(mine) {
			t.Errorf("malee's phone has somchai's new household %v", r)
		}
	}
	// newbie has no assignment: every village of the tambon and every
	// household of the round stored there.
	got = phoneMedia(t, f.ts.URL+"/openrosa"+manifest, basic("newbie"))
	if len(got["villages.csv"]) < 10 {
		t.Errorf("newbie's villages: %v", got["villages.csv"])
	}
	if n := len(got["households.csv"]); n != 8 {
		t.Errorf("newbie's households: %d rows, want the round's 8 in the tambon", n)
	}
}
