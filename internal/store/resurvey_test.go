package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// A household started from last round's record: the leaver goes out of the
// roster and into the history with the newcomer, and nothing else; the
// leaver's citizen ID is free for the household they moved to; the key
// must be one of last round's.
func TestWriteResurveyedHousehold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		prev, _ := dailyRounds(t, s)
		var last *survey.Household
		for _, h := range prev[4:] { // not yet in bmn-2564
			if len(h.Members) >= 2 && last == nil {
				last = h
			}
		}
		if last == nil {
			t.Fatal("no household of two members or more to re-survey")
		}
		h := *last
		h.RoundID = "bmn-2564"
		h.Resurvey = &survey.Resurvey{From: "bmn-2563"}
		h.Members = append([]survey.Member(nil), last.Members...)
		leaver := h.Members[len(h.Members)-1]
		h.Members[len(h.Members)-1].Left = survey.MovedOut
		newcomer := survey.Member{No: len(h.Members) + 1, FirstName: "สมหมาย", LastName: "มาใหม่", Sex: survey.Male,
			BirthDate: h.SurveyDate.AddDate(-30, 0, 0), Relation: survey.RelRelative, Resident: true, Joined: true,
			CitizenID: "1101700203451", Education: survey.EduPrimary, Occupation: "labour"}
		h.Members = append(h.Members, newcomer)
		sum, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&h}, "moo4", nil)
		if err != nil || sum.Inserted != 1 {
			t.Fatalf("write: %+v, %v", sum, err)
		}
		var rec survey.Record
		if err := s.EachHousehold(ctx, "bmn-2564", last.VillageCode, func(r survey.Record) error {
			if r.Key == last.Key() {
				rec = r
			}
			return nil
		}); err != nil || rec.Household == nil {
			t.Fatalf("the re-surveyed household is not stored under last round's key: %v", err)
		}
		if n := len(rec.Household.Members); n != len(last.Members) {
			t.Errorf("stored roster has %d members, want %d (one left, one joined)", n, len(last.Members))
		}
		for i, m := range rec.Household.Members {
			if m.CitizenID == leaver.CitizenID {
				t.Error("the member who moved out is still on the roster")
			}
			if m.No != i+1 {
				t.Errorf("member %d numbered %d", i, m.No)
			}
		}
		hist, err := s.HouseholdHistory(ctx, "bmn-2564", last.Key())
		if err != nil || len(hist) != 1 || hist[0].Version != 1 || hist[0].ChangedBy != "moo4" {
			t.Fatalf("history: %+v, %v", hist, err)
		}
		got := map[string]string{}
		for _, c := range hist[0].Changes {
			got[c.Field] = fmt.Sprint(c.Old, "→", c.New)
		}
		want := map[string]string{
			"resurvey.from":    "<nil>→bmn-2563",
			"roster.moved_out": survey.FullName(leaver) + "→<nil>",
			"roster.joined":    "<nil>→สมหมาย มาใหม่",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("history changes\n got %v\nwant %v", got, want)
		}
		assertStatsMatch(t, s, eng, "bmn-2564")

		// The one who moved out joins another household of the round.
		other := *prev[9]
		if other.Key() == last.Key() {
			other = *prev[8]
		}
		other.RoundID = "bmn-2564"
		other.Members = append(append([]survey.Member(nil), other.Members...), leaver)
		other.Members[len(other.Members)-1].No = len(other.Members)
		other.Members[len(other.Members)-1].Relation = survey.RelRelative
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&other}, "moo4", nil); err != nil {
			t.Fatalf("the leaver could not join another household: %v", err)
		}

		// A re-survey must keep last round's key.
		moved := *prev[0]
		moved.HouseNo = "999"
		moved.HouseCode = ""
		moved.Members = nil
		moved.Resurvey = &survey.Resurvey{From: "bmn-2563"}
		_, err = s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&moved}, "moo4", nil)
		var ps apperr.Problems
		if !asProblems(err, &ps) || len(ps) != 1 || ps[0].Field != "households[0].house_no" {
			t.Fatalf("a re-survey under a key last round lacks: %v", err)
		}
		// In one batch, the key check names exactly the households last
		// round lacks, at their place in the batch.
		var batch []*survey.Household
		for i, k := range []int{2, 0, 3, 0} {
			h := *prev[k]
			h.Members = nil
			if i%2 == 1 {
				h.HouseNo, h.HouseCode = fmt.Sprintf("99%d", i), ""
			}
			h.Resurvey = &survey.Resurvey{From: "bmn-2563"}
			batch = append(batch, &h)
		}
		_, err = s.WriteHouseholds(ctx, eng, "bmn-2564", batch, "moo4", nil)
		if !asProblems(err, &ps) || len(ps) != 2 || ps[0].Field != "households[1].house_no" || ps[1].Field != "households[3].house_no" ||
			ps[0].Value != batch[1].Key() || ps[1].Value != batch[3].Key() {
			t.Fatalf("a batch with two keys last round lacks: %v", err)
		}
		// And come from an earlier round.
		later := *prev[1]
		later.Members = nil
		later.Resurvey = &survey.Resurvey{From: "bmn-2564"}
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2563", []*survey.Household{&later}, "moo4", nil); !asProblems(err, &ps) {
			t.Fatalf("a re-survey from a later round: %v", err)
		}
		if n, _ := s.CountHouseholds(ctx, "bmn-2564", "TH"); n != 6 {
			t.Errorf("bmn-2564 holds %d households, want 6", n)
		}
	})
}

// A member who moved from one household to another is named in the
// history of the household they left; erasing them reaches it.
func TestEraseReachesTheHouseholdTheyLeft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		for _, r := range []survey.Round{
			{ID: "bmn-2563", Kind: survey.KindBMN, SurveyYear: 2563, SetID: "bmn-2560-2564"},
			{ID: "bmn-2564", Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"},
		} {
			must(t, s.CreateRound(ctx, r))
		}
		prev := surveyfile.Example(eng.Set(), "70051304", 4, 21)
		var a *survey.Household
		for _, h := range prev {
			if len(h.Members) >= 2 && a == nil {
				a = h
			}
		}
		if a == nil {
			t.Fatal("no household of two members or more")
		}
		p := &a.Members[len(a.Members)-1]
		p.FirstName, p.LastName = "ชื่อย้ายบ้าน", "สกุลย้ายบ้าน"
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2563", prev, "moo4", nil); err != nil {
			t.Fatal(err)
		}
		leaver := *p
		cur := *a
		cur.RoundID = "bmn-2564"
		cur.Resurvey = &survey.Resurvey{From: "bmn-2563"}
		cur.Members = append([]survey.Member(nil), a.Members...)
		cur.Members[len(cur.Members)-1].Left = survey.MovedOut
		var b survey.Household
		for _, h := range prev {
			if h != a {
				b = *h
			}
		}
		b.RoundID = "bmn-2564"
		b.Members = append(append([]survey.Member(nil), b.Members...), leaver)
		b.Members[len(b.Members)-1].No = len(b.Members)
		b.Members[len(b.Members)-1].Relation = survey.RelRelative
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&cur, &b}, "moo4", nil); err != nil {
			t.Fatal(err)
		}
		if hits, _ := s.GrepForTest(ctx, "ชื่อย้ายบ้าน"); !containsPrefix(hits, "household_history") {
			t.Fatalf("the history does not name the member who moved out: %v", hits)
		}
		for _, round := range []string{"bmn-2564", "bmn-2563"} {
			res, err := s.Erase(ctx, eng, store.ErasureRequest{Round: round, CitizenID: leaver.CitizenID, Scope: "TH", By: "admin", Reason: "คำขอเลขที่ 1/2569"})
			if err != nil {
				t.Fatalf("erase in %s: %v", round, err)
			}
			if round == "bmn-2564" && res.History == 0 {
				t.Errorf("erasure in %s dropped no history change: %+v", round, res)
			}
		}
		assertGone(t, s, leaver)
	})
}

func containsPrefix(hits []string, prefix string) bool {
	for _, h := range hits {
		if strings.HasPrefix(h, prefix) {
			return true
		}
	}
	return false
}
