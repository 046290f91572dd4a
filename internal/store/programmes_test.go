package store_test

import (
	"context"
	"math"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/programme"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
)

func TestProgrammesStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		planFixture(t, s)
		day := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)

		// Change leaders: a quota, roles from the list, trainings with attendance.
		cl, err := s.CreateProgramme(ctx, programme.Programme{Type: "change_leaders", Title: "ผู้นำการเปลี่ยนแปลง ตำบลเขาขลุง", AreaCode: "700513", FiscalYear: 2564, Quota: 2})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateProgramme(ctx, programme.Programme{Type: "lottery", Title: "x", AreaCode: "700513", FiscalYear: 2564}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("unknown type: %v", err)
		}
		var ids []int64
		for _, name := range []string{"นายประยูร ทองมา", "นายสมบัติ ใจเย็น"} {
			pt, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: cl.ID, Name: name, AreaCode: "70051304", Fields: map[string]string{"role": "kamnan"}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, pt.ID)
		}
		for _, b := range []struct {
			name string
			pt   programme.Participant
			code apperr.Code
		}{
			{"over the quota", programme.Participant{ProgrammeID: cl.ID, Name: "c", AreaCode: "70051304"}, apperr.Conflict},
		} {
			if _, err := s.AddParticipant(ctx, b.pt); !apperr.Is(err, b.code) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		se, err := s.AddSession(ctx, programme.Session{ProgrammeID: cl.ID, Title: "Kick-off", Date: day, Place: "ศาลาหมู่ 4", Attendees: ids})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSession(ctx, programme.Session{ProgrammeID: cl.ID, Title: "x", Date: day, Attendees: []int64{999999}}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a stranger attends: %v", err)
		}
		if ss, _ := s.Sessions(ctx, cl.ID); len(ss) != 1 || ss[0].ID != se.ID || len(ss[0].Attendees) != 2 {
			t.Errorf("sessions: %+v (a refused session must leave nothing)", ss)
		}

		// Model information tambon: steps and a weighted committee score.
		mt, err := s.CreateProgramme(ctx, programme.Programme{Type: "model_info_tambon", Title: "ตำบลสารสนเทศต้นแบบ 2564", AreaCode: "70", FiscalYear: 2564})
		if err != nil {
			t.Fatal(err)
		}
		kk, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: mt.ID, Name: "ตำบลเขาขลุง", AreaCode: "700513", Level: "province", Status: "selected"})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []programme.Participant{
			{ProgrammeID: mt.ID, Name: "x", AreaCode: "10", Level: "province"},
			{ProgrammeID: mt.ID, Name: "x", AreaCode: "700513", Level: "galaxy"},
			{ProgrammeID: mt.ID, Name: "x", AreaCode: "700513", Status: "won"},
			{ProgrammeID: mt.ID, Name: "x", AreaCode: "700513", Fields: map[string]string{"colour": "red"}},
		} {
			if _, err := s.AddParticipant(ctx, b); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%+v: %v", b, err)
			}
		}
		if err := s.MarkStep(ctx, mt.ID, programme.StepDone{ParticipantID: kk.ID, Step: "understand", Date: day, Evidence: "ภาพประชุม", By: "t"}); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkStep(ctx, mt.ID, programme.StepDone{ParticipantID: kk.ID, Step: "dance", Date: day}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("unknown step: %v", err)
		}
		if err := s.SetRubric(ctx, mt.ID, []programme.Criterion{{Key: "a", Name: apperr.T("ก", "a"), Weight: 60}, {Key: "b", Name: apperr.T("ข", "b"), Weight: 30}}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("weights summing to 90: %v", err)
		}
		if err := s.SetRubric(ctx, mt.ID, []programme.Criterion{{Key: "a", Name: apperr.T("ก", "a"), Weight: 60}, {Key: "b", Name: apperr.T("ข", "b"), Weight: 40}}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetScores(ctx, mt.ID, []programme.Score{{ParticipantID: kk.ID, Criterion: "a", Judge: "j1", Score: 80}, {ParticipantID: kk.ID, Criterion: "a", Judge: "j2", Score: 90},
			{ParticipantID: kk.ID, Criterion: "b", Judge: "j1", Score: 70}}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetScores(ctx, mt.ID, []programme.Score{{ParticipantID: kk.ID, Criterion: "b", Judge: "j2", Score: 50}, {ParticipantID: kk.ID, Criterion: "a", Judge: "j2", Score: 101}}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a score of 101: %v", err)
		}
		p, _ := s.Programme(ctx, mt.ID)
		scores, _ := s.Scores(ctx, mt.ID)
		total, judges := programme.Weighted(p.Criteria, scores)
		if want := 85*0.6 + 70*0.4; math.Abs(total-want) > 1e-9 || judges != 2 {
			t.Errorf("weighted %g by %d judges, want %g by 2 (a refused batch writes nothing)", total, judges, want)
		}

		// Vegetable gardens: households of the survey.
		vg, err := s.CreateProgramme(ctx, programme.Programme{Type: "vegetable_gardens", Title: "ผักสวนครัว ระยะ 2", AreaCode: "70051304", FiscalYear: 2564, Phase: 2})
		if err != nil {
			t.Fatal(err)
		}
		var hh, other survey.Record
		s.EachHousehold(ctx, "bmn-2562", "70051304", func(r survey.Record) error { hh = r; return nil })
		s.EachHousehold(ctx, "bmn-2562", "70051301", func(r survey.Record) error { other = r; return nil })
		if _, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: vg.ID, Name: "บ้าน " + hh.Household.HouseNo, HouseholdID: hh.ID,
			Fields: map[string]string{"planting": "harvesting", "kinds_count": "6", "saving_per_day": "45"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: vg.ID, Name: "x", HouseholdID: other.ID}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a household of another village: %v", err)
		}
		if _, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: vg.ID, Name: "x", HouseholdID: hh.ID, Fields: map[string]string{"saving_per_day": "-3"}}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("negative savings: %v", err)
		}
		if _, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: vg.ID, Name: "x", AreaCode: "70051304"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("no household: %v", err)
		}
		pts, _ := s.Participants(ctx, vg.ID)
		if len(pts) != 1 || pts[0].Number("saving_per_day") != 45 || pts[0].AreaCode != "70051304" {
			t.Errorf("participants: %+v", pts)
		}
		if ps, _ := s.Programmes(ctx, "700513"); len(ps) != 3 {
			t.Errorf("tambon programmes: %d, want 3 (its own, its village's and the province's selection that chose it)", len(ps))
		}
		if ps, _ := s.Programmes(ctx, "700512"); len(ps) != 0 {
			t.Errorf("a tambon in no programme: %d programmes, want 0", len(ps))
		}
	})
}
