package store_test

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/assign"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/user"
)

func mustUsers(t *testing.T, s *store.Store, us ...user.User) map[string]user.User {
	t.Helper()
	out := map[string]user.User{}
	for _, u := range us {
		u.PasswordHash = "x"
		got, err := s.CreateUser(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		out[u.Username] = got
	}
	return out
}

// fieldTeam is ตำบลเขาขลุง's team: its tambon officer, the enumerators of
// หมู่ 4 and หมู่ 1, one for the whole tambon, a viewer, a district officer
// and another tambon's officer.
func fieldTeam(t *testing.T, s *store.Store) map[string]user.User {
	return mustUsers(t, s,
		user.User{Username: "khaokhlung", Role: user.Tambon, AreaCode: "700513"},
		user.User{Username: "moo4", Role: user.Enumerator, AreaCode: "70051304"},
		user.User{Username: "moo1", Role: user.Enumerator, AreaCode: "70051301"},
		user.User{Username: "roam", Role: user.Enumerator, AreaCode: "700513"},
		user.User{Username: "watcher", Role: user.Viewer, AreaCode: "700513"},
		user.User{Username: "banpong", Role: user.District, AreaCode: "7005"},
		user.User{Username: "elsewhere", Role: user.Tambon, AreaCode: "700501"},
		user.User{Username: "gone", Role: user.Enumerator, AreaCode: "700513", Disabled: true},
	)
}

// An assignment is made only inside the assigner's area, to an account that
// may collect households and whose area covers the village; a refused
// request writes nothing.
func TestAssignScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prev, _ := dailyRounds(t, s)
		u := fieldTeam(t, s)
		cases := []struct {
			name      string
			by, to    string
			village   string
			household []string
			code      apperr.Code // "" when accepted
		}{
			{"the tambon gives หมู่ 4 to its enumerator", "khaokhlung", "moo4", "70051304", nil, ""},
			{"an enumerator whose area is another village", "khaokhlung", "moo1", "70051304", nil, apperr.Invalid},
			{"a viewer may not collect", "khaokhlung", "watcher", "70051304", nil, apperr.Invalid},
			{"a disabled account", "khaokhlung", "gone", "70051304", nil, apperr.Invalid},
			{"a district officer may not assign", "banpong", "moo4", "70051304", nil, apperr.Forbidden},
			{"another tambon's officer", "elsewhere", "moo4", "70051304", nil, apperr.Forbidden},
			{"an enumerator may not assign", "moo4", "moo4", "70051304", nil, apperr.Forbidden},
			{"an unknown account", "khaokhlung", "nobody", "70051304", nil, apperr.Invalid},
			{"an unknown village", "khaokhlung", "roam", "70051399", nil, apperr.Invalid},
			{"a household of another village", "khaokhlung", "moo1", "70051301", []string{prev[0].Key()}, apperr.Invalid},
			{"one good household and one unknown", "khaokhlung", "moo1", "70051301", []string{prev[6].Key(), "70051301/404"}, apperr.Invalid},
		}
		for _, c := range cases {
			err := s.Assign(ctx, u[c.by], "bmn-2564", c.village, c.to, c.household)
			if c.code == "" && err != nil {
				t.Errorf("%s: refused: %v", c.name, err)
			}
			if c.code != "" && !apperr.Is(err, c.code) {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
			if c.code != "" {
				if msg := apperr.MessageOf(err); msg.TH == "" || msg.EN == "" || msg.TH == msg.EN {
					t.Errorf("%s: the refusal is not in Thai and English: %+v", c.name, msg)
				}
			}
		}
		as, err := s.Assignments(ctx, "bmn-2564", "700513")
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 1 || as[0].Username != "moo4" || as[0].Village != "70051304" || as[0].Household != "" || as[0].AssignedBy != "khaokhlung" {
			t.Errorf("assignments after the refusals: %+v", as)
		}
		// The same rule as the one the web page and the CLI ask.
		if err := assign.Check(u["khaokhlung"], u["moo1"], "70051304"); err == nil {
			t.Error("assign.Check accepts an enumerator outside the village")
		}
		if _, err := s.AssignProgress(ctx, "bmn-2599", "700513"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("progress of a round that does not exist: %v", err)
		}
	})
}

// Progress adds up: per village, visited + remaining + refused + moved +
// not found is every household of the previous round; per enumerator, it
// is every household assigned. A household saved this round with the same
// key, or the same village and house number, is visited whatever was
// recorded; one linked to none is a new household found.
func TestAssignProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prev, _ := dailyRounds(t, s)
		u := fieldTeam(t, s)
		team := u["khaokhlung"]
		eng := mustEngine(t)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		// หมู่ 4 whole to moo4; หมู่ 1 whole to roam, two of its households to moo1.
		must(s.Assign(ctx, team, "bmn-2564", "70051304", "moo4", nil))
		must(s.Assign(ctx, team, "bmn-2564", "70051301", "moo1", nil))
		must(s.Assign(ctx, team, "bmn-2564", "70051301", "roam", nil)) // replaces moo1
		must(s.Assign(ctx, team, "bmn-2564", "70051301", "moo1", []string{prev[6].Key(), prev[7].Key()}))

		// หมู่ 4: households 1-4 saved (dailyRounds), 5 refused, 6 moved
		// away; household 1 was marked refused before it was surveyed.
		must(s.RecordVisitOutcome(ctx, "bmn-2564", prev[0].Key(), assign.Refused, "ไม่อยู่บ้าน", "moo4"))
		must(s.RecordVisitOutcome(ctx, "bmn-2564", prev[4].Key(), assign.Refused, "ไม่สะดวกให้ข้อมูล", "moo4"))
		must(s.RecordVisitOutcome(ctx, "bmn-2564", prev[5].Key(), assign.NotFound, "", "moo4"))
		must(s.RecordVisitOutcome(ctx, "bmn-2564", prev[5].Key(), assign.Moved, "ย้ายไปกรุงเทพฯ", "khaokhlung")) // replaces
		// A new household in หมู่ 4.
		fresh := surveyfile.Example(eng.Set(), "70051304", 1, 99)
		fresh[0].HouseNo, fresh[0].HouseCode = "999", ""
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", fresh, "moo4", nil); err != nil {
			t.Fatal(err)
		}
		// หมู่ 1: household 7 surveyed again without its house code (linked by
		// house number), household 9 not found.
		again := *prev[6]
		if again.HouseCode == "" {
			t.Fatal("the example's first household has no house code")
		}
		again.HouseCode = ""
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&again}, "moo1", nil); err != nil {
			t.Fatal(err)
		}
		must(s.RecordVisitOutcome(ctx, "bmn-2564", prev[8].Key(), assign.NotFound, "", "roam"))

		// Refusals: an outcome that is not one, a household not in the
		// previous round, a note too long.
		if err := s.RecordVisitOutcome(ctx, "bmn-2564", prev[9].Key(), assign.Visited, "", "roam"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("visited recorded by hand: %v", err)
		}
		if err := s.RecordVisitOutcome(ctx, "bmn-2564", "70051301/404", assign.Refused, "", "roam"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an unknown household: %v", err)
		}
		long := make([]rune, assign.MaxNote+1)
		for i := range long {
			long[i] = 'ก'
		}
		if err := s.RecordVisitOutcome(ctx, "bmn-2564", prev[9].Key(), assign.Refused, string(long), "roam"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a note too long: %v", err)
		}

		p, err := s.AssignProgress(ctx, "bmn-2564", "700513")
		if err != nil {
			t.Fatal(err)
		}
		if p.Prev != "bmn-2563" {
			t.Errorf("previous round %q", p.Prev)
		}
		adds := func(what string, pr store.Progress) {
			t.Helper()
			if pr.Visited+pr.Remaining+pr.Refused+pr.Moved+pr.NotFound != pr.Households {
				t.Errorf("%s does not add up: %+v", what, pr)
			}
		}
		wantVillages := map[string]store.Progress{
			"70051304": {Households: 6, Visited: 4, Refused: 1, Moved: 1, New: 1},
			"70051301": {Households: 4, Visited: 1, Remaining: 2, NotFound: 1},
		}
		if len(p.Villages) != len(wantVillages) {
			t.Errorf("villages %+v", p.Villages)
		}
		assigned := 0
		for _, v := range p.Villages {
			adds(v.Code, v.Progress)
			if v.Progress != wantVillages[v.Code] {
				t.Errorf("village %s: %+v, want %+v", v.Code, v.Progress, wantVillages[v.Code])
			}
			if v.Assigned+v.Unassigned != v.Households {
				t.Errorf("village %s: %d assigned + %d not ≠ %d", v.Code, v.Assigned, v.Unassigned, v.Households)
			}
			assigned += v.Assigned
		}
		if v := p.Villages[0]; v.Code != "70051301" || v.Whole != "roam" || !reflect.DeepEqual(v.Assignees, []string{"moo1", "roam"}) {
			t.Errorf("หมู่ 1: %+v", v)
		}
		want := []store.EnumeratorProgress{
			{User: "moo1", Villages: 1, Progress: store.Progress{Households: 2, Visited: 1, Remaining: 1}},
			{User: "moo4", Villages: 1, Progress: store.Progress{Households: 6, Visited: 4, Refused: 1, Moved: 1, New: 1}},
			{User: "roam", Villages: 1, Progress: store.Progress{Households: 2, Remaining: 1, NotFound: 1}},
		}
		if !reflect.DeepEqual(p.Enumerators, want) {
			t.Errorf("enumerators\n%+v\nwant\n%+v", p.Enumerators, want)
		}
		sum := 0
		for _, e := range p.Enumerators {
			adds(e.User, e.Progress)
			sum += e.Households
		}
		if sum != assigned {
			t.Errorf("the enumerators hold %d households, the villages %d assigned", sum, assigned)
		}
		if tot := p.Total(); tot.Households != 10 || tot.New != 1 {
			t.Errorf("total %+v", tot)
		}

		// The phone's list: exactly the households each one holds, with the head's name.
		keys := func(name string) []string {
			hs, err := s.AssignedHouseholds(ctx, "bmn-2564", name)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range hs {
				if h.HeadName == "" || h.Village == "" || h.HouseNo == "" || h.ID == 0 {
					t.Errorf("%s: %+v lacks its head, village or house number", name, h)
				}
				out = append(out, h.Key)
			}
			return out
		}
		sortedKeys := func(hs ...*survey.Household) []string {
			var out []string
			for _, h := range hs {
				out = append(out, h.Key())
			}
			sort.Strings(out)
			return out
		}
		if got, want := keys("moo1"), sortedKeys(prev[6], prev[7]); !reflect.DeepEqual(got, want) {
			t.Errorf("moo1 holds %v, want %v", got, want)
		}
		if got, want := keys("roam"), sortedKeys(prev[8], prev[9]); !reflect.DeepEqual(got, want) {
			t.Errorf("roam holds %v, want %v", got, want)
		}
		if got := keys("moo4"); len(got) != 6 {
			t.Errorf("moo4 holds %v", got)
		}
		if got := keys("watcher"); len(got) != 0 {
			t.Errorf("an account with no assignment holds %v", got)
		}
		if vs, err := s.AssignedVillages(ctx, "bmn-2564", "moo1"); err != nil || !reflect.DeepEqual(vs, []string{"70051301"}) {
			t.Errorf("moo1's villages %v, %v", vs, err)
		}

		// The panel tells each household's outcome and note; clearing one
		// makes it remain.
		panel, err := s.AssignPanel(ctx, "bmn-2564", "70051304", false)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range panel {
			if h.Key == prev[5].Key() && (h.Outcome != assign.Moved || h.Note != "ย้ายไปกรุงเทพฯ" || h.RecordedBy != "khaokhlung") {
				t.Errorf("household 6: %+v", h)
			}
			if h.Key == prev[0].Key() && h.Outcome != assign.Visited {
				t.Errorf("household 1, surveyed after a refusal: %+v", h)
			}
		}
		must(s.ClearVisitOutcome(ctx, "bmn-2564", prev[4].Key()))
		must(s.Unassign(ctx, team, "bmn-2564", "70051301", []string{prev[7].Key()}))
		if err := s.Unassign(ctx, u["moo4"], "bmn-2564", "70051304", nil); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an enumerator takes back a village: %v", err)
		}
		p, err = s.AssignProgress(ctx, "bmn-2564", "700513")
		if err != nil {
			t.Fatal(err)
		}
		want[0].Households, want[0].Remaining = 1, 0
		want[1].Refused, want[1].Remaining = 0, 1
		want[2].Households, want[2].Remaining = 3, 2 // household 8 falls back to the village's assignee
		if !reflect.DeepEqual(p.Enumerators, want) {
			t.Errorf("after clearing and taking back\n%+v\nwant\n%+v", p.Enumerators, want)
		}
		if village, err := s.VisitHousehold(ctx, "bmn-2564", prev[7].Key()); err != nil || village != "70051301" {
			t.Errorf("household 8's village %q, %v", village, err)
		}
	})
}
