package main

import (
	"context"
	"fmt"

	"tambon/internal/area"
	"tambon/internal/assign"
	"tambon/internal/store"
)

// seedDemoAssignments gives ตำบลเขาขลุง's villages of the demo's latest
// round to its field team, as a tambon team would before the survey: หมู่ 4
// to its enumerator (moo4, whose phone then gets only หมู่ 4's households),
// the other villages to the tambon team itself; and records what became of
// two visits of หมู่ 4 not surveyed again, so the assignments page
// (/rounds/bmn-2562/areas/700513/assignments) shows every kind of count.
func seedDemoAssignments(ctx context.Context, e *env, s *store.Store, tree *area.Tree) error {
	done, err := s.Assignments(ctx, demoRound2, "700513")
	if err != nil || len(done) > 0 {
		return err
	}
	team, err := s.UserByName(ctx, "khaokhlung")
	if err != nil {
		return err
	}
	for _, v := range tree.Children("700513") {
		if v.Level != area.Village {
			continue
		}
		to := "khaokhlung"
		if v.Code == "70051304" {
			to = "moo4"
		}
		if err := s.Assign(ctx, team, demoRound2, v.Code, to, nil); err != nil {
			return fmt.Errorf("demo: assign %s: %w", v.Code, err)
		}
	}
	hs, err := s.AssignPanel(ctx, demoRound2, "70051304", false)
	if err != nil {
		return err
	}
	marks := []struct {
		outcome assign.Outcome
		note    string
	}{{assign.Moved, "ย้ายไปทำงานที่กรุงเทพฯ ทั้งครอบครัว"}, {assign.Refused, "ไม่สะดวกให้ข้อมูล นัดใหม่เดือนหน้า"}}
	for _, h := range hs {
		if len(marks) == 0 {
			break
		}
		if h.Outcome != assign.Pending {
			continue
		}
		if err := s.RecordVisitOutcome(ctx, demoRound2, h.Key, marks[0].outcome, marks[0].note, "moo4"); err != nil {
			return err
		}
		marks = marks[1:]
	}
	e.log.Debug("demo: villages of 700513 assigned", "round", demoRound2)
	return nil
}
