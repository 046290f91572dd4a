package openrosa

import (
	"bytes"
	"context"
	"encoding/csv"

	"tambon/internal/survey"
)

// The phone of an enumerator who holds an assignment in a round
// (store.Assign) gets only that assignment: villages.csv lists the villages
// it holds (whole, or some households of), and households.csv the previous
// round's households assigned to it (store.AssignedHouseholds), then the
// households of this round it saved itself in those villages that are not
// among them (new households it found). An account with no assignment in
// the round gets what it always got: every village of its area and every
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
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"name", "label", "village"})
	listed := map[string]bool{}
	row := func(village, code, no string) {
		value, label := no, no
		if code != "" {
			value = code
			label += " (" + code + ")"
		}
		if listed[village+"\x00"+value] || !c.user.Covers(village) {
			return
		}
		listed[village+"\x00"+value] = true
		cw.Write([]string{value, label, village})
	}
	for _, h := range hs {
		row(h.Village, h.HouseCode, h.HouseNo)
	}
	for _, v := range villages {
		err := s.cfg.Store.EachHousehold(ctx, round, v, func(rec survey.Record) error {
			if rec.UpdatedBy == c.user.Username {
				row(rec.Household.VillageCode, rec.Household.HouseCode, rec.Household.HouseNo)
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
