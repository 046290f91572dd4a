package openrosa

import (
	"bytes"
	"context"
	"encoding/csv"

	"tambon/internal/survey"
)

// The phone of an enumerator who holds an assignment in a round
// (store.Assign) gets only that assignment: villages.csv lists the villages
// it holds (whole, or some households of), and households.csv the
// households of this round in those villages that are its to update: those
// of the previous round assigned to it (store.AssignedHouseholds) once they
// are re-surveyed, and those it saved itself (new households it found). A
// household of the previous round not yet re-surveyed is not in
// households.csv: it is chosen in the re-survey's list
// (prev_households.csv), which links it to last round by key. An account
// with no assignment in the round gets every village of its area and every
// household of the round stored there.

// assignedVillagesCSV is villages.csv for an account with an assignment in
// round; ok is false when it has none.
func (s *Server) assignedVillagesCSV(ctx context.Context, round string, c *caller) (data []byte, ok bool, err error) {
	villages, err := s.cfg.Store.AssignedVillages(ctx, round, c.user.Username)
	if err != nil || len(villages) == 0 {
		return nil, false, err
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"name", "label"})
	for _, code := range villages {
		if v, found := s.cfg.Areas.Get(code); found && c.user.Covers(code) {
			cw.Write([]string{v.Code, villageLabel(s.cfg.Areas, v)})
		}
	}
	cw.Flush()
	return b.Bytes(), true, cw.Error()
}

// assignedHouseholdsCSV is households.csv for an account with an
// assignment in round; ok is false when it has none.
func (s *Server) assignedHouseholdsCSV(ctx context.Context, round string, c *caller) (data []byte, ok bool, err error) {
	villages, err := s.cfg.Store.AssignedVillages(ctx, round, c.user.Username)
	if err != nil || len(villages) == 0 {
		return nil, false, err
	}
	hs, err := s.cfg.Store.AssignedHouseholds(ctx, round, c.user.Username)
	if err != nil {
		return nil, false, err
	}
	assigned := map[string]bool{}
	for _, h := range hs {
		assigned[h.Key] = true
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"name", "label", "village"})
	for _, v := range villages {
		if !c.user.Covers(v) {
			continue
		}
		err := s.cfg.Store.EachHousehold(ctx, round, v, func(rec survey.Record) error {
			if rec.UpdatedBy == c.user.Username || assigned[rec.Key] {
				h := rec.Household
				value, label := h.HouseNo, h.HouseNo
				if h.HouseCode != "" {
					value = h.HouseCode
					label += " (" + h.HouseCode + ")"
				}
				cw.Write([]string{value, label, h.VillageCode})
			}
			return nil
		})
		if err != nil {
			return nil, false, err
		}
	}
	cw.Flush()
	return b.Bytes(), true, cw.Error()
}
