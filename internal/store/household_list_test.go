package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/plan"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// dailyRounds fills two rounds of tambon 700513: bmn-2563 with 6 households
// in หมู่ 4 and 4 in หมู่ 1; bmn-2564 with the first 4 of หมู่ 4 only, the
// last of them a draft.
func dailyRounds(t *testing.T, s *store.Store) (prev, cur []*survey.Household) {
	t.Helper()
	ctx := context.Background()
	eng := mustEngine(t)
	for _, r := range []survey.Round{
		{ID: "bmn-2563", Kind: survey.KindBMN, SurveyYear: 2563, SetID: "bmn-2560-2564"},
		{ID: "bmn-2564", Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"},
	} {
		if err := s.CreateRound(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	prev = append(surveyfile.Example(eng.Set(), "70051304", 6, 1), surveyfile.Example(eng.Set(), "70051301", 4, 2)...)
	if _, err := s.WriteHouseholds(ctx, eng, "bmn-2563", prev, "moo4", nil); err != nil {
		t.Fatal(err)
	}
	cur = surveyfile.Example(eng.Set(), "70051304", 6, 1)[:4]
	cur[3].Status = survey.Draft
	if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", cur, "moo4", nil); err != nil {
		t.Fatal(err)
	}
	return prev, cur
}

func houseNos(p store.HouseholdPage) []string {
	var out []string
	for _, r := range p.Rows {
		out = append(out, r.Household.VillageCode[6:]+"/"+r.Household.HouseNo)
	}
	return out
}

func TestListHouseholdsFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prev, cur := dailyRounds(t, s)
		list := func(q store.HouseholdQuery) store.HouseholdPage {
			t.Helper()
			if q.Round == "" {
				q.Round = "bmn-2564"
			}
			p, err := s.ListHouseholds(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		if p := list(store.HouseholdQuery{Area: "700513"}); p.Total != 4 || len(p.Rows) != 4 {
			t.Errorf("whole tambon: %d rows of %d, want 4", len(p.Rows), p.Total)
		}
		if p := list(store.HouseholdQuery{Area: "70051301"}); p.Total != 0 {
			t.Errorf("หมู่ 1 has %d households in bmn-2564, want 0", p.Total)
		}
		p := list(store.HouseholdQuery{Area: "700513", Status: survey.Draft})
		if p.Total != 1 || p.Rows[0].Key != cur[3].Key() {
			t.Errorf("drafts: %v", houseNos(p))
		}
		// Paging: the database pages; each page holds only its rows and
		// the total is the whole list's.
		all := houseNos(list(store.HouseholdQuery{Area: "700513"}))
		p1 := list(store.HouseholdQuery{Area: "700513", Limit: 3})
		p2 := list(store.HouseholdQuery{Area: "700513", Limit: 3, Offset: 3})
		if p1.Total != 4 || p2.Total != 4 || len(p1.Rows) != 3 || len(p2.Rows) != 1 || !slices.Equal(append(houseNos(p1), houseNos(p2)...), all) {
			t.Errorf("pages %v + %v, want %v", houseNos(p1), houseNos(p2), all)
		}
		rev := houseNos(list(store.HouseholdQuery{Area: "700513", Sort: "-house"}))
		slices.Reverse(rev)
		if !slices.Equal(rev, all) {
			t.Errorf("descending %v is not %v reversed", rev, all)
		}
		// House number search, with LIKE's wildcards taken literally.
		no := cur[1].HouseNo
		if p := list(store.HouseholdQuery{Area: "700513", HouseNo: no}); p.Total < 1 || !slices.ContainsFunc(p.Rows, func(r survey.Record) bool { return r.Household.HouseNo == no }) {
			t.Errorf("search %q: %v", no, houseNos(p))
		}
		if p := list(store.HouseholdQuery{Area: "700513", HouseNo: "%"}); p.Total != 0 {
			t.Errorf("search %%: %d rows, want 0", p.Total)
		}
		// Not re-surveyed: the previous round's households this round lacks.
		p = list(store.HouseholdQuery{Area: "700513", Missing: true, Prev: "bmn-2563"})
		var want []string
		for _, h := range append(prev[4:6:6], prev[6:]...) {
			want = append(want, h.Key())
		}
		var got []string
		for _, r := range p.Rows {
			got = append(got, r.Key)
		}
		slices.Sort(want)
		slices.Sort(got)
		if p.Total != 6 || !slices.Equal(got, want) {
			t.Errorf("not re-surveyed: %v, want %v", got, want)
		}
		if p := list(store.HouseholdQuery{Area: "70051304", Missing: true, Prev: "bmn-2563", Limit: 1, Offset: 1}); p.Total != 2 || len(p.Rows) != 1 {
			t.Errorf("not re-surveyed in หมู่ 4, page 2: %d of %d", len(p.Rows), p.Total)
		}
		// Helped: help recorded for one household.
		one := list(store.HouseholdQuery{Area: "700513", Limit: 1}).Rows[0]
		if _, err := s.AddAssistance(ctx, plan.Assistance{RoundID: "bmn-2564", HouseholdID: one.ID, Programme: "ทุนเลี้ยงไก่", What: "ไก่ 10 ตัว",
			Helper: "พช.", Date: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Status: plan.Statuses[0]}); err != nil {
			t.Fatal(err)
		}
		if p := list(store.HouseholdQuery{Area: "700513", Helped: 1}); p.Total != 1 || p.Rows[0].ID != one.ID {
			t.Errorf("helped: %v", houseNos(p))
		}
		if p := list(store.HouseholdQuery{Area: "700513", Helped: -1}); p.Total != 3 || slices.ContainsFunc(p.Rows, func(r survey.Record) bool { return r.ID == one.ID }) {
			t.Errorf("not helped: %v", houseNos(p))
		}
		// Keep: a filter only the record answers, counted and paged after.
		big := func(r survey.Record) bool { return len(r.Household.Members) >= 3 }
		var n int
		for _, h := range cur {
			if len(h.Members) >= 3 {
				n++
			}
		}
		if p := list(store.HouseholdQuery{Area: "700513", Keep: big, Limit: 1, Offset: 1}); p.Total != n || len(p.Rows) != min(1, max(n-1, 0)) {
			t.Errorf("kept: %d rows of %d, want %d in all", len(p.Rows), p.Total, n)
		}
	})
}

func TestRoundChecklistGatesReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		dailyRounds(t, s)
		c, err := s.RoundChecklist(ctx, "bmn-2564", "700513")
		if err != nil {
			t.Fatal(err)
		}
		if c.Prev != "bmn-2563" || !c.PrevRecords {
			t.Errorf("previous round %q (records %v)", c.Prev, c.PrevRecords)
		}
		byCode := map[string]store.VillageCheck{}
		for _, v := range c.Villages {
			byCode[v.Code] = v
		}
		if v := byCode["70051304"]; v.Expected != 6 || !v.ExpectedKnown || v.Surveyed != 4 || v.Drafts != 1 || v.NotResurveyed != 2 {
			t.Errorf("หมู่ 4: %+v", v)
		}
		if v := byCode["70051301"]; v.Expected != 4 || v.Surveyed != 0 || v.NotResurveyed != 4 {
			t.Errorf("หมู่ 1: %+v", v)
		}
		if len(c.Villages) < 3 {
			t.Fatalf("only %d villages", len(c.Villages))
		}
		for _, v := range c.Villages {
			if v.Code != "70051304" && v.Code != "70051301" && (v.ExpectedKnown || v.Surveyed != 0) {
				t.Errorf("%s has figures it never had: %+v", v.Code, v)
			}
		}
		if len(c.Enumerators) != 1 || c.Enumerators[0].User != "moo4" || c.Enumerators[0].Households != 4 || c.Enumerators[0].Drafts != 1 {
			t.Errorf("enumerators: %+v", c.Enumerators)
		}
		reasons := c.Reasons()
		joined := ""
		for _, r := range reasons {
			joined += r.TH + "|" + r.EN + "\n"
		}
		for _, want := range []string{"หมู่ 4", "1 households are still drafts", "2 households of the previous round", "หมู่ 1", "no households at all"} {
			if !strings.Contains(joined, want) {
				t.Errorf("reasons lack %q:\n%s", want, joined)
			}
		}

		// Submitting is refused with the reasons; nothing moves.
		_, err = s.ReviewChecked(ctx, "bmn-2564", "700513", survey.Submit, "tambon", "", "")
		var inc *store.IncompleteError
		if !errors.As(err, &inc) || !apperr.Is(err, apperr.Conflict) || len(inc.Reasons) != len(reasons) {
			t.Fatalf("submit of an incomplete tambon: %v", err)
		}
		if msg := apperr.MessageOf(err); !strings.Contains(msg.TH, "ร่าง") || !strings.Contains(msg.EN, "drafts") {
			t.Errorf("message: %+v", msg)
		}
		if st, _ := s.RoundStatus(ctx, "bmn-2564", "700513"); st != survey.StatusOpen {
			t.Errorf("status after a refusal: %s", st)
		}
		// Returning is never gated; an override with a reason goes ahead
		// and is audited with what it overrode.
		gen, _ := s.StatsGeneration(ctx)
		if _, err := s.ReviewChecked(ctx, "bmn-2564", "700513", survey.Submit, "tambon", "ส่งก่อน", "หมู่ 1 ย้ายออกทั้งหมู่ ตามหนังสืออำเภอ"); err != nil {
			t.Fatal(err)
		}
		// The step refreshes what the public sees (figures are marked by
		// their status), as every review step does.
		if after, _ := s.StatsGeneration(ctx); after == gen {
			t.Error("a checked review step left the public's cached figures as they were")
		}
		log, err := s.AuditLog(ctx, store.AuditFilter{Action: "round.override"})
		if err != nil || len(log) != 1 || log[0].User != "tambon" || !strings.Contains(log[0].Detail, "ย้ายออก") || !strings.Contains(log[0].Detail, "drafts") {
			t.Fatalf("override audit: %+v %v", log, err)
		}
		hist, _ := s.ReviewHistory(ctx, "bmn-2564", "700513")
		if len(hist) != 1 || !strings.Contains(hist[0].Comment, "ย้ายออก") || !strings.Contains(hist[0].Comment, "ส่งก่อน") {
			t.Errorf("history: %+v", hist)
		}
		if _, err := s.ReviewChecked(ctx, "bmn-2564", "700513", survey.Verify, "district", "", ""); !errors.As(err, &inc) {
			t.Errorf("verify of an incomplete tambon: %v", err)
		}
		if _, err := s.ReviewChecked(ctx, "bmn-2564", "700513", survey.Return, "district", "แก้ร่าง", ""); err != nil {
			t.Errorf("return: %v", err)
		}
	})
}
