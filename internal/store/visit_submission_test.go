package store_test

import (
	"context"
	"testing"

	"tambon/internal/assign"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// A phone's report that a household of last round was not interviewed is
// kept as a submission and records the visit's outcome in the same
// transaction, on both databases; a key that is not last round's is kept
// for a reviewer and records nothing.
func TestVisitOutcomeSubmitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2563", Kind: survey.KindBMN, SurveyYear: 2563, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		mustRound(t, s, "bmn-2564", false)
		prev := surveyfile.Example(eng.Set(), "70051301", 2, 21)
		for _, h := range prev {
			h.RoundID = "bmn-2563"
		}
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2563", prev, "seed", nil); err != nil {
			t.Fatal(err)
		}
		item := func(id, key string, o assign.Outcome) store.SubmitItem {
			return store.SubmitItem{Scope: "700513", Visit: &store.VisitOutcome{Key: key, Outcome: o},
				Sub: xform.Submission{InstanceID: id, FormID: "tambon-bmn-2564", RoundID: "bmn-2564", VillageCode: "70051301", Username: "somchai", XML: []byte("<data>" + id + "</data>")}}
		}
		res, err := s.SubmitBatch(ctx, []store.SubmitItem{item("uuid:v1", prev[0].Key(), assign.Moved), item("uuid:v2", "70051301/no-such-house", assign.Refused)})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Submission.Status != xform.Accepted || res[0].Submission.HouseholdKey != prev[0].Key() {
			t.Errorf("the visit: %+v", res[0].Submission)
		}
		if res[1].Submission.Status != xform.Review || len(res[1].Submission.Problems) == 0 {
			t.Errorf("a visit to no household of last round: %+v", res[1].Submission)
		}
		panel, err := s.AssignPanel(ctx, "bmn-2564", "70051301", false)
		if err != nil {
			t.Fatal(err)
		}
		recorded := 0
		for _, h := range panel {
			if h.Outcome != "" {
				recorded++
				if h.Key != prev[0].Key() || h.Outcome != assign.Moved || h.RecordedBy != "somchai" {
					t.Errorf("recorded %+v", h)
				}
			}
		}
		if recorded != 1 {
			t.Errorf("%d outcomes recorded, want 1", recorded)
		}
		if sub, err := s.Submission(ctx, res[1].Submission.ID); err != nil || sub.Status != xform.Review {
			t.Errorf("stored: %+v %v", sub.Status, err)
		}
	})
}
