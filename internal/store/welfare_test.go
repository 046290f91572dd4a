package store_test

import (
	"context"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/welfare"
)

const welfareRound = "bmn-2564"

// strangers are valid citizen IDs nobody in the survey has.
var strangers = []string{"1101700230708", "3100600123450"}

// welfareFixture writes two villages of ตำบลเขาขลุง and returns the
// households and a register of the first and last member of each, plus
// two strangers (one with a village on the list).
func welfareFixture(t *testing.T, s *store.Store) ([]*survey.Household, []welfare.Entry, *welfare.Judge) {
	t.Helper()
	eng := mustEngine(t)
	mustRound(t, s, welfareRound, false)
	hs := append(surveyfile.Example(eng.Set(), "70051304", 8, 21), surveyfile.Example(eng.Set(), "70051301", 5, 22)...)
	for _, h := range hs {
		h.RoundID = welfareRound
	}
	// Example households fail many indicators: a draft is found but judged
	// for nobody, so its registered members are registered but not poor.
	hs[2].Status = survey.Draft
	if _, err := s.WriteHouseholds(context.Background(), eng, welfareRound, hs, "import", nil); err != nil {
		t.Fatal(err)
	}
	var es []welfare.Entry
	for _, h := range hs {
		for _, i := range []int{0, len(h.Members) - 1} {
			if cid := h.Members[i].CitizenID; cid != "" && (len(es) == 0 || es[len(es)-1].CitizenID != cid) {
				es = append(es, welfare.Entry{Row: len(es) + 2, CitizenID: cid, Year: 2565, Status: "ได้รับสิทธิ์"})
			}
		}
	}
	es = append(es, welfare.Entry{Row: len(es) + 2, CitizenID: strangers[0], Year: 2565, Village: "70051304"},
		welfare.Entry{Row: len(es) + 3, CitizenID: strangers[1], Year: 2564})
	m, _ := welfare.MappingFor(eng.Set().ID)
	j, err := welfare.NewJudge(m, eng.Set(), 2564)
	if err != nil {
		t.Fatal(err)
	}
	return hs, es, j
}

// expectCounts counts by hand what the store should find in an area: the
// judge's people of the area's households, registered when on the list.
func expectCounts(j *welfare.Judge, hs []*survey.Household, es []welfare.Entry, area string, notFound int) welfare.Counts {
	on := map[string]bool{}
	for _, e := range es {
		on[e.CitizenID] = true
	}
	var c welfare.Counts
	for _, h := range hs {
		if !strings.HasPrefix(h.VillageCode, area) {
			continue
		}
		for _, p := range j.People(h) {
			c.AddPerson(p, p.CitizenID != "" && on[p.CitizenID])
		}
	}
	for range notFound {
		c.AddNotFound()
	}
	return c
}

// welfareHits returns where the needles are found in the register's tables.
func welfareHits(t *testing.T, s *store.Store, needles ...string) []string {
	t.Helper()
	hits, err := s.GrepForTest(context.Background(), needles...)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range hits {
		if strings.HasPrefix(h, "welfare_") {
			out = append(out, h)
		}
	}
	return out
}

func TestWelfareRegisterMatchesTheSurvey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		hs, es, j := welfareFixture(t, s)
		im, err := s.ImportWelfare(ctx, store.WelfareImport{Round: welfareRound, Area: "700513", File: "ทะเบียน.xlsx", By: "tambon"}, es)
		if err != nil {
			t.Fatal(err)
		}
		if im.RawIDs || im.Entries != len(es) {
			t.Errorf("import: %+v", im)
		}
		var ids []string
		for _, e := range es {
			ids = append(ids, e.CitizenID)
		}
		if hits := welfareHits(t, s, ids...); len(hits) > 0 {
			t.Errorf("citizen IDs kept in the register's tables without the setting: %v", hits)
		}

		rep, err := s.WelfareArea(ctx, j, welfareRound, "700513", welfare.PoorUnregistered)
		if err != nil {
			t.Fatal(err)
		}
		want := expectCounts(j, hs, es, "700513", 2)
		if rep.Counts != want || rep.Households != len(hs) || rep.Covered != len(hs) || len(rep.Lists) != 1 {
			t.Errorf("tambon\n got %+v (households %d/%d)\nwant %+v", rep.Counts, rep.Covered, rep.Households, want)
		}
		if want.TargetPoor == 0 || want.PoorUnregistered == 0 || want.RegisteredNotPoor == 0 {
			t.Errorf("the fixture does not fill every group: %+v", want)
		}
		if int64(len(rep.People)) != want.PoorUnregistered {
			t.Errorf("%d people listed poor but not registered, counted %d", len(rep.People), want.PoorUnregistered)
		}
		for _, p := range rep.People {
			if p.HouseholdID == 0 || p.Name == "" || p.Dims == 0 || p.Entry != nil || p.Group != welfare.PoorUnregistered {
				t.Errorf("listed: %+v", p)
			}
		}
		// A village: the stranger whose list row names it is not found
		// there; the other stranger belongs to the tambon only.
		rep, err = s.WelfareArea(ctx, j, welfareRound, "70051304", welfare.RegisteredNotFound)
		if err != nil {
			t.Fatal(err)
		}
		if want := expectCounts(j, hs, es, "70051304", 1); rep.Counts != want {
			t.Errorf("village\n got %+v\nwant %+v", rep.Counts, want)
		}
		if len(rep.People) != 1 || rep.People[0].Entry.Row != es[len(es)-2].Row || rep.People[0].CitizenID != "" || rep.People[0].HouseholdID != 0 {
			t.Errorf("not found in the survey: %+v", rep.People)
		}
		// The target poor of the tambon, listed with what the register says.
		rep, _ = s.WelfareArea(ctx, j, welfareRound, "700513", welfare.TargetPoor)
		if int64(len(rep.People)) != want.TargetPoor || rep.People[0].Entry == nil || rep.People[0].Entry.Status != "ได้รับสิทธิ์" {
			t.Errorf("target poor listed: %+v", rep.People)
		}
		// An area without a list reports no groups.
		if rep, err := s.WelfareArea(ctx, j, welfareRound, "700514", welfare.TargetPoor); err != nil || len(rep.Lists) != 0 || rep.Counts != (welfare.Counts{}) {
			t.Errorf("an area without a list: %+v %v", rep, err)
		}

		// A second list overlapping the first is refused; nothing is written.
		if _, err := s.ImportWelfare(ctx, store.WelfareImport{Round: welfareRound, Area: "70051304", By: "tambon"}, es[:1]); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("an overlapping list: %v", err)
		}
		if ims, _ := s.WelfareImports(ctx, welfareRound, "TH"); len(ims) != 1 {
			t.Errorf("%d lists after a refused import", len(ims))
		}
		a := lastAudit(t, s, "welfare.import")
		if a.User != "tambon" || a.Area != "700513" || strings.Contains(a.Detail, es[0].CitizenID) {
			t.Errorf("audit of the import: %+v", a)
		}

		// Deleted as a whole, only inside the account's area.
		if _, err := s.DeleteWelfareImport(ctx, im.ID, "700514", "other"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("deleting another tambon's list: %v", err)
		}
		if _, err := s.DeleteWelfareImport(ctx, im.ID, "7005", "district"); err != nil {
			t.Fatal(err)
		}
		if ims, _ := s.WelfareImports(ctx, welfareRound, "TH"); len(ims) != 0 {
			t.Errorf("lists after the deletion: %+v", ims)
		}
		if rep, _ := s.WelfareArea(ctx, j, welfareRound, "700513", ""); rep.Counts != (welfare.Counts{}) || len(rep.Lists) != 0 {
			t.Errorf("after the deletion: %+v", rep)
		}
		if a := lastAudit(t, s, "welfare.delete"); a.User != "district" || !strings.Contains(a.Detail, `"entries":`) {
			t.Errorf("audit of the deletion: %+v", a)
		}

		// The administrator's setting keeps the IDs as they are, audited;
		// deleting the list removes them.
		must(t, s.SetWelfareRawIDs(ctx, true, "admin"))
		if !s.WelfareRawIDs(ctx) || lastAudit(t, s, "welfare.raw_ids").User != "admin" {
			t.Error("the setting was not kept or not audited")
		}
		im, err = s.ImportWelfare(ctx, store.WelfareImport{Round: welfareRound, Area: "7005", By: "district"}, es)
		if err != nil {
			t.Fatal(err)
		}
		if hits := welfareHits(t, s, strangers...); len(hits) != 2 || !im.RawIDs {
			t.Errorf("with the setting on, the IDs should be kept: %v", hits)
		}
		rep, _ = s.WelfareArea(ctx, j, welfareRound, "7005", welfare.RegisteredNotFound)
		if len(rep.People) != 2 || rep.People[0].CitizenID != strangers[0] {
			t.Errorf("not found, with IDs kept: %+v", rep.People)
		}
		if _, err := s.DeleteWelfareImport(ctx, im.ID, "TH", "admin"); err != nil {
			t.Fatal(err)
		}
		if hits := welfareHits(t, s, ids...); len(hits) > 0 {
			t.Errorf("after deleting the list: %v", hits)
		}
	})
}
