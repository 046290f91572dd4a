package openrosa

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/assign"
	"tambon/internal/survey"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// The re-survey's media: last round's households of the account's area (or
// of its assignment in the round, when it has one) and their members, so the phone fills the roster in (xform/preload.go). They
// hold names, birth dates and citizen IDs: they are made for the signed-in
// account on every request (never kept, never shared between accounts),
// sent with Cache-Control: no-store, only to an account that may see
// personal data, and each download is written to the audit log as an
// export of personal data.

// personalMedia reports whether a media file holds personal data.
func personalMedia(name string) bool {
	return name == xform.PrevHouseholdsCSV || name == xform.PrevMembersCSV
}

// previousRound is the household round before f's, or false when there is
// none (the files are then only their header). It is found in the rounds
// list the server keeps for a few seconds (rounds), as store.PreviousRound
// finds it: the latest of the same kind and an earlier year, a round of
// households before published figures of the same year.
func (s *Server) previousRound(ctx context.Context, f *xform.Form) (survey.Round, bool, error) {
	rounds, err := s.rounds(ctx)
	if err != nil {
		return survey.Round{}, false, err
	}
	var prev survey.Round
	found := false
	for _, r := range rounds {
		if r.Kind != f.Round.Kind || r.SurveyYear >= f.Round.SurveyYear {
			continue
		}
		if !found || r.SurveyYear > prev.SurveyYear || (r.SurveyYear == prev.SurveyYear && prev.AggregateOnly && !r.AggregateOnly) {
			prev, found = r, true
		}
	}
	return prev, found && !prev.AggregateOnly, nil
}

// writePrevious writes prev_households.csv or prev_members.csv for the
// caller: the previous round's households inside the account's area.
func (s *Server) writePrevious(ctx context.Context, cw *csv.Writer, f *xform.Form, c *caller, name string) error {
	members := name == xform.PrevMembersCSV
	if members {
		cw.Write(f.PrevMemberColumns())
	} else {
		cw.Write(f.PrevHouseholdColumns())
	}
	if !c.user.Can(user.RevealPersonal) {
		return nil
	}
	prev, ok, err := s.previousRound(ctx, f)
	if err != nil || !ok {
		return err
	}
	// An enumerator with an assignment in the round gets its households
	// only (store.AssignedHouseholds); one without, its area's.
	var only map[string]bool
	if vs, err := s.cfg.Store.AssignedVillages(ctx, f.Round.ID, c.user.Username); err != nil {
		return err
	} else if len(vs) > 0 {
		hs, err := s.cfg.Store.AssignedHouseholds(ctx, f.Round.ID, c.user.Username)
		if err != nil {
			return err
		}
		only = map[string]bool{}
		for _, h := range hs {
			only[h.Key] = true
		}
	}
	row := 1 // of the next member in prev_members.csv
	return s.cfg.Store.EachHousehold(ctx, prev.ID, c.user.AreaCode, func(rec survey.Record) error {
		h := rec.Household
		if only != nil && !only[rec.Key] {
			return nil
		}
		if !members {
			cw.Write(f.PrevHouseholdRow(rec.Key, householdLabel(h), h, row))
			row += len(h.Members)
			return nil
		}
		for i := range h.Members {
			// no is the place on the roster (the repeat instance it fills),
			// not Member.No: the server maps it back (resurvey).
			cw.Write(f.PrevMemberRow(rec.Key, i+1, &h.Members[i]))
		}
		return nil
	})
}

// householdLabel is what the enumerator reads to pick a household: its
// house number, code and head.
func householdLabel(h *survey.Household) string {
	label := h.HouseNo
	if h.HouseCode != "" {
		label += " (" + h.HouseCode + ")"
	}
	head := -1
	for i := range h.Members {
		if h.Members[i].Relation == survey.RelHead {
			head = i
			break
		}
	}
	if head < 0 && len(h.Members) > 0 {
		head = 0
	}
	if head >= 0 {
		m := &h.Members[head]
		label += " " + strings.TrimSpace(m.Title+m.FirstName+" "+m.LastName)
	}
	return label
}

// auditPreload writes a download of last round's households to the audit
// log, as every export of personal data is.
func (s *Server) auditPreload(ctx context.Context, f *xform.Form, c *caller, name string, data []byte) error {
	rows := strings.Count(string(data), "\n") - 1
	detail, _ := json.Marshal(map[string]any{"list": "openrosa-preload", "file": name, "round": f.Round.ID,
		"rows": max(rows, 0), "bytes": len(data), "device": c.deviceName()})
	return s.cfg.Store.AuditEvent(ctx, c.user.Username, "export.personal", c.user.AreaCode, "preload:"+f.Round.ID, string(detail))
}

// resurvey marks h as the re-survey of the household of last round the
// form carried the key of (survey.Resurvey): found inside the sender's area,
// its members matched by their place on last round's roster — each one
// still here linked to the same person (Member.Prev), each new one Joined,
// each who died or moved out taken off the roster (TakeLeavers) for the
// history. What does not fit is returned as problems (the submission then
// waits for a reviewer).
func (s *Server) resurvey(ctx context.Context, c *caller, f *xform.Form, h *survey.Household, rs *xform.Resurvey) apperr.Problems {
	problem := func(field, value string, reason apperr.Text) apperr.Problems {
		return apperr.Problems{{Field: field, Value: value, Reason: reason}}
	}
	prev, ok, err := s.previousRound(ctx, f)
	if err != nil || !ok {
		return problem("prev_household", rs.PrevKey, apperr.T("ไม่มีรอบสำรวจก่อนหน้าที่จะสำรวจซ้ำ", "there is no earlier round to re-survey"))
	}
	rec, err := s.cfg.Store.HouseholdByKey(ctx, prev.ID, rs.PrevKey)
	if err != nil || !c.user.CanAt(user.EditHouseholds, rec.Household.VillageCode) {
		// One answer for "no such household" and "not yours": the key says
		// nothing of households outside the sender's area.
		return problem("prev_household", rs.PrevKey, apperr.Tf("ไม่พบครัวเรือนนี้ในรอบ %s ภายในพื้นที่ของผู้ส่ง",
			"this household is not in round %s within the sender's area", prev.ID))
	}
	before := rec.Household
	if h.Key() != rec.Key {
		// The key is the link between the rounds (store: checkResurveyed).
		return problem("house_no", h.Key(), apperr.Tf("บ้านเลขที่หรือรหัสประจำบ้านต่างจากรอบ %s (%s): การสำรวจซ้ำต้องใช้ของเดิม",
			"the house number or code differs from round %s (%s): a re-survey keeps them", prev.ID, rec.Key))
	}
	var ps apperr.Problems
	seen := map[int]bool{}
	// The form numbers last round's members by their place on the roster.
	person := func(field string, place int) (survey.Member, bool) {
		if place < 1 || place > len(before.Members) || seen[place] {
			ps = append(ps, apperr.Problem{Field: field, Value: strconv.Itoa(place), Reason: apperr.Tf(
				"ไม่ใช่สมาชิกคนหนึ่งของครัวเรือนนี้ในรอบก่อน (มี %d คน) หรือถูกอ้างถึงซ้ำ", "not one of the %d members of this household last round, or named twice", len(before.Members))})
			return survey.Member{}, false
		}
		seen[place] = true
		return before.Members[place-1], true
	}
	for i, place := range rs.Links {
		if i >= len(h.Members) {
			break
		}
		if place == 0 {
			h.Members[i].Joined = true
			continue
		}
		if m, ok := person(fmt.Sprintf("members[%d].prev_no", i), place); ok {
			h.Members[i].Prev = m.No
		}
	}
	for _, d := range rs.Departed {
		m, ok := person("members.prev_no", d.PrevNo)
		if !ok {
			continue
		}
		m.Left = survey.MovedOut
		if d.Presence == xform.PresenceDied {
			m.Left = survey.Died
		}
		h.Members = append(h.Members, m)
	}
	if len(ps) > 0 {
		return ps
	}
	h.Resurvey = &survey.Resurvey{From: prev.ID, Before: before}
	return h.TakeLeavers()
}

// visit reads the outcome of a visit to one of last round's households that
// found no interview (refused, moved away, not found), for the store to
// record with the submission (store.RecordVisitOutcome's rule): the
// household must be last round's, inside the sender's area.
func (s *Server) visit(ctx context.Context, c *caller, f *xform.Form, rs *xform.Resurvey) (*Visit, apperr.Problems) {
	o, err := assign.ParseOutcome(rs.Visit)
	if err != nil {
		return nil, apperr.Problems{{Field: "visit", Value: rs.Visit, Reason: apperr.MessageOf(err)}}
	}
	prev, ok, err := s.previousRound(ctx, f)
	var rec survey.Record
	if err == nil && ok {
		rec, err = s.cfg.Store.HouseholdByKey(ctx, prev.ID, rs.PrevKey)
	}
	if err != nil || !ok || assign.MayRecord(c.user, rec.Household.VillageCode) != nil {
		return nil, apperr.Problems{{Field: "prev_household", Value: rs.PrevKey, Reason: apperr.T(
			"ไม่พบครัวเรือนนี้ในรอบก่อนภายในพื้นที่ของผู้ส่ง", "this household is not in the earlier round within the sender's area")}}
	}
	return &Visit{Key: rec.Key, Outcome: o}, nil
}
