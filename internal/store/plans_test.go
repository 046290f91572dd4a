package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/partner"
	"tambon/internal/plan"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// planFixture holds two rounds of households in หมู่ 4 and หมู่ 1 of เขาขลุง.
func planFixture(t *testing.T, s *store.Store) *engine.Engine {
	t.Helper()
	ctx := context.Background()
	eng := mustEngine(t)
	for i, id := range []string{"bmn-2561", "bmn-2562"} {
		if err := s.CreateRound(ctx, survey.Round{ID: id, Kind: survey.KindBMN, SurveyYear: 2561 + i, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		hs := surveyfile.Example(eng.Set(), "70051304", 10, 1)
		hs = append(hs, surveyfile.Example(eng.Set(), "70051301", 5, 2)...)
		if _, err := s.WriteHouseholds(ctx, eng, id, hs, "test", nil); err != nil {
			t.Fatal(err)
		}
	}
	return eng
}

func TestPlansStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := planFixture(t, s)
		src := plan.SurveySource{Engine: func(context.Context, string) (*engine.Engine, error) { return eng, nil }, Each: s.EachHousehold}
		props, err := src.Propose(ctx, "bmn-2561", "700513")
		if err != nil {
			t.Fatal(err)
		}
		if len(props) == 0 {
			t.Fatal("no problems proposed from the fixture's failed indicators")
		}
		// Each proposal counts exactly the households the targeting list gives.
		for _, p := range props {
			f, ok := plan.FilterFor(eng, p.Source, p.Code)
			if !ok {
				t.Fatalf("no filter for %s:%s", p.Source, p.Code)
			}
			n, w := 0, eng.Worker()
			s.EachHousehold(ctx, "bmn-2561", "700513", func(r survey.Record) error {
				if _, hit := engine.Target(w, r.Household, f); hit {
					n++
				}
				return nil
			})
			if n != p.Households {
				t.Errorf("%s:%s proposes %d households, the targeting list has %d", p.Source, p.Code, p.Households, n)
			}
		}
		var problems []plan.Problem
		for _, p := range props[:min(3, len(props))] {
			problems = append(problems, plan.Problem{Source: p.Source, Code: p.Code, Title: p.Title, Households: p.Households, Priority: 1})
		}
		p, err := s.CreatePlan(ctx, plan.Plan{AreaCode: "700513", FiscalYear: 2564, RoundID: "bmn-2561", Title: "แผนพัฒนาตำบลเขาขลุง", CreatedBy: "tambon"}, problems)
		if err != nil {
			t.Fatal(err)
		}
		bad := []struct {
			name string
			p    plan.Plan
			code apperr.Code
		}{
			{"same title, same year", plan.Plan{AreaCode: "700513", FiscalYear: 2564, RoundID: "bmn-2561", Title: "แผนพัฒนาตำบลเขาขลุง"}, apperr.Conflict},
			{"a district", plan.Plan{AreaCode: "7005", FiscalYear: 2564, RoundID: "bmn-2561", Title: "x"}, apperr.Invalid},
			{"a CE year", plan.Plan{AreaCode: "700513", FiscalYear: 2021, RoundID: "bmn-2561", Title: "x"}, apperr.Invalid},
			{"no title", plan.Plan{AreaCode: "700513", FiscalYear: 2564, RoundID: "bmn-2561", Title: "  "}, apperr.Invalid},
			{"unknown round", plan.Plan{AreaCode: "700513", FiscalYear: 2564, RoundID: "bmn-2599", Title: "y"}, apperr.NotFound},
		}
		for _, b := range bad {
			if _, err := s.CreatePlan(ctx, b.p, nil); !apperr.Is(err, b.code) {
				t.Errorf("%s: got %v, want %s", b.name, err, b.code)
			}
		}
		if ps, _ := s.Plans(ctx, "7005"); len(ps) != 1 {
			t.Errorf("the district sees %d plans, want 1 (no half-written plan)", len(ps))
		}
		if ps, _ := s.Plans(ctx, "70051301"); len(ps) != 0 {
			t.Errorf("a village sees its tambon's plan among its own: %d", len(ps))
		}
		got, err := s.PlanProblems(ctx, p.ID)
		if err != nil || len(got) != len(problems) {
			t.Fatalf("problems: %d, %v", len(got), err)
		}
		for i, pr := range got {
			if pr.Priority != i+1 || pr.Code != problems[i].Code {
				t.Errorf("problem %d: priority %d code %s", i, pr.Priority, pr.Code)
			}
		}
		// Ranking: reversed; a partial or foreign ranking changes nothing.
		var order []int64
		for i := len(got) - 1; i >= 0; i-- {
			order = append(order, got[i].ID)
		}
		if len(order) > 1 {
			if err := s.RankProblems(ctx, p.ID, order[:1]); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("partial ranking: %v", err)
			}
			if err := s.RankProblems(ctx, p.ID, append([]int64{999999}, order[1:]...)); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("foreign problem: %v", err)
			}
			if again, _ := s.PlanProblems(ctx, p.ID); again[0].ID != got[0].ID {
				t.Error("a refused ranking changed the order")
			}
			if err := s.RankProblems(ctx, p.ID, order); err != nil {
				t.Fatal(err)
			}
			if again, _ := s.PlanProblems(ctx, p.ID); again[0].ID != order[0] {
				t.Error("ranking was not kept")
			}
		}

		// Items.
		day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
		abt, err := s.CreatePartner(ctx, partner.Partner{Kind: partner.LocalGov, NameTH: "อบต.เขาขลุง", AreaCode: "700513"}, "test")
		if err != nil {
			t.Fatal(err)
		}
		it := plan.Item{PlanID: p.ID, ProblemID: got[0].ID, PartnerID: abt.ID, Title: "ส่งเสริมอาชีพ", Budget: 50000, BudgetSource: "local",
			Start: day(2020, 11, 1), End: day(2021, 9, 30), Physical: 40, Financial: 25}
		for _, b := range []struct {
			name string
			edit func(*plan.Item)
		}{
			{"negative budget", func(i *plan.Item) { i.Budget = -1 }},
			{"unknown source", func(i *plan.Item) { i.BudgetSource = "lottery" }},
			{"ends before it starts", func(i *plan.Item) { i.End = day(2020, 1, 1) }},
			{"progress over 100", func(i *plan.Item) { i.Physical = 120 }},
			{"another plan's problem", func(i *plan.Item) { i.ProblemID = 999999 }},
			{"no such partner", func(i *plan.Item) { i.PartnerID = 999999 }},
		} {
			x := it
			b.edit(&x)
			if _, err := s.SaveItem(ctx, x, "tambon"); !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.NotFound) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		saved, err := s.SaveItem(ctx, it, "tambon")
		if err != nil {
			t.Fatal(err)
		}
		if !saved.Start.Equal(it.Start) || !saved.End.Equal(it.End) || saved.Budget != 50000 || saved.ProblemID != got[0].ID || saved.PartnerName != "อบต.เขาขลุง" {
			t.Errorf("item read back as %+v", saved)
		}
		saved.Physical = 100
		if saved, err = s.SaveItem(ctx, saved, "tambon"); err != nil || saved.Physical != 100 {
			t.Fatalf("update: %+v %v", saved, err)
		}

		// Targets: households of the plan's round and area only; a refused
		// list keeps the old one.
		var prevHH, otherRound []survey.Record
		s.EachHousehold(ctx, "bmn-2561", "70051304", func(r survey.Record) error { prevHH = append(prevHH, r); return nil })
		s.EachHousehold(ctx, "bmn-2562", "70051304", func(r survey.Record) error { otherRound = append(otherRound, r); return nil })
		if err := s.SetItemTargets(ctx, saved.ID, []int64{prevHH[0].ID, prevHH[1].ID, prevHH[2].ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetItemTargets(ctx, saved.ID, []int64{prevHH[0].ID, otherRound[0].ID}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a household of another round: %v", err)
		}
		if ts, _ := s.ItemTargets(ctx, saved.ID); len(ts) != 3 {
			t.Errorf("targets after a refused change: %d, want 3", len(ts))
		}
		if items, _ := s.PlanItems(ctx, p.ID); len(items) != 1 || items[0].Targets != 3 {
			t.Errorf("plan items: %+v", items)
		}

		// Evidence.
		photo := bytes.Repeat([]byte{0xff, 0xd8}, 100)
		ev, err := s.AddEvidence(ctx, plan.Evidence{ItemID: saved.ID, Name: "visit.jpg", ContentType: "image/jpeg", Caption: "ลงพื้นที่", UploadedBy: "tambon"}, photo)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddEvidence(ctx, plan.Evidence{ItemID: saved.ID, Name: "empty.jpg"}, nil); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("empty evidence: %v", err)
		}
		if _, data, err := s.EvidenceFile(ctx, ev.ID); err != nil || !bytes.Equal(data, photo) {
			t.Errorf("evidence read back: %d bytes, %v", len(data), err)
		}
		// Removing: not under another plan; then it is gone.
		extra, err := s.AddEvidence(ctx, plan.Evidence{ItemID: saved.ID, Name: "wrong.jpg", ContentType: "image/jpeg", UploadedBy: "tambon"}, photo)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteEvidence(ctx, p.ID+1000, extra.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("removing under another plan: %v, want not found", err)
		}
		if err := s.DeleteEvidence(ctx, p.ID, extra.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.EvidenceFile(ctx, extra.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the removed evidence still reads: %v", err)
		}
		if _, _, err := s.EvidenceFile(ctx, ev.ID); err != nil {
			t.Errorf("removing one file took another: %v", err)
		}

		// Assistance: to two of the targets; one outside the plan's area is refused.
		for i, st := range []string{plan.Delivered, plan.InProgress} {
			if _, err := s.AddAssistance(ctx, plan.Assistance{HouseholdID: prevHH[i].ID, RoundID: "bmn-2561", ItemID: saved.ID, What: "พันธุ์ผัก",
				Helper: "อบต.เขาขลุง", Date: day(2021, 3, 1), Status: st, CreatedBy: "tambon"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddAssistance(ctx, plan.Assistance{HouseholdID: prevHH[0].ID, RoundID: "bmn-2561", What: "x", Helper: "y", Date: day(2021, 3, 1), Status: "done"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("no item nor programme, unknown status: %v", err)
		}
		if _, err := s.AddAssistance(ctx, plan.Assistance{HouseholdID: 999999, RoundID: "bmn-2561", Programme: "p", What: "x", Helper: "y", Date: day(2021, 3, 1), Status: plan.Planned}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown household: %v", err)
		}
		for name, f := range map[string]plan.AssistanceFilter{
			"household": {Round: "bmn-2561", Key: prevHH[0].Key},
			"item":      {ItemID: saved.ID},
			"plan":      {PlanID: p.ID},
			"village":   {Area: "70051304"},
		} {
			list, err := s.Assistance(ctx, f)
			want := 2
			if name == "household" {
				want = 1
			}
			if err != nil || len(list) != want {
				t.Errorf("%s: %d records, want %d (%v)", name, len(list), want, err)
			}
		}
		if list, _ := s.Assistance(ctx, plan.AssistanceFilter{Area: "70051301"}); len(list) != 0 {
			t.Errorf("another village sees %d records", len(list))
		}
		// The same household in the next round.
		next, err := s.HouseholdByKey(ctx, "bmn-2562", prevHH[0].Key)
		if err != nil || next.Household.HouseNo != prevHH[0].Household.HouseNo {
			t.Errorf("next round: %v", err)
		}
	})
}
