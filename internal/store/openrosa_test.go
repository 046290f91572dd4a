package store_test

import (
	"context"
	"fmt"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// Submissions on both databases: kept raw, written through the household
// write, a refused write kept for review (the savepoint path, which
// PostgreSQL treats differently from SQLite), fixed, rejected, and the
// statistics still equal a recompute.
func TestSubmissionsAreNeverLost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		hs := surveyfile.Example(eng.Set(), "70051301", 3, 5)
		for _, h := range hs {
			h.RoundID = "bmn-2564"
		}
		sub := func(id string, n int) xform.Submission {
			return xform.Submission{InstanceID: id, FormID: "tambon-bmn-2564", RoundID: "bmn-2564", Username: "somchai",
				XML: []byte("<data>" + id + "</data>"), Media: []xform.Media{{Name: "a.jpg", Data: []byte{byte(n)}}}}
		}
		res, err := s.Submit(ctx, eng, sub("uuid:1", 1), hs[0])
		if err != nil || res.Submission.Status != xform.Accepted || res.Written.Inserted != 1 {
			t.Fatalf("first: %+v %v", res, err)
		}
		res, err = s.Submit(ctx, eng, sub("uuid:1", 1), hs[0])
		if err != nil || !res.Duplicate {
			t.Fatalf("retry: %+v %v", res, err)
		}
		other := sub("uuid:1", 1)
		other.XML = []byte("<data>changed</data>")
		if _, err := s.Submit(ctx, eng, other, hs[0]); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("same ID, other bytes: %v, want a conflict", err)
		}
		// hs[1] with a citizen ID already in hs[0]: the write refuses it, the
		// submission is kept for review, and the transaction goes on.
		hs[1].Members[0].CitizenID = hs[0].Members[0].CitizenID
		res, err = s.Submit(ctx, eng, sub("uuid:2", 2), hs[1])
		if err != nil || res.Submission.Status != xform.Review || len(res.Submission.Problems) == 0 {
			t.Fatalf("clashing citizen ID: %+v %v", res, err)
		}
		if n, _ := s.CountHouseholds(ctx, "bmn-2564", "70051301"); n != 1 {
			t.Fatalf("households after the refused write: %d, want 1", n)
		}
		// The reviewer fixes the ID; then it is written.
		hs[1].Members[0].CitizenID = hs[2].Members[0].CitizenID
		if _, err := s.FixSubmission(ctx, eng, res.Submission.ID, hs[1], "reviewer", "ID corrected from the card"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FixSubmission(ctx, eng, res.Submission.ID, hs[1], "reviewer", ""); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("fixing twice: %v, want a conflict", err)
		}
		// One without a household (unreadable) is kept and can be rejected.
		bad := sub("sha256:abc", 3)
		bad.Problems = apperr.Problems{{Reason: apperr.T("อ่านไม่ได้", "cannot be read")}}
		res, err = s.Submit(ctx, nil, bad, nil)
		if err != nil || res.Submission.Status != xform.Review {
			t.Fatalf("unreadable: %+v %v", res, err)
		}
		if err := s.RejectSubmission(ctx, res.Submission.ID, "reviewer", ""); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("reject without a reason: %v", err)
		}
		if err := s.RejectSubmission(ctx, res.Submission.ID, "reviewer", "test data"); err != nil {
			t.Fatal(err)
		}
		all, err := s.Submissions(ctx, store.SubmissionFilter{})
		if err != nil || len(all) != 3 {
			t.Fatalf("kept %d submissions, want 3: %v", len(all), err)
		}
		want := map[string]xform.Status{"uuid:1": xform.Accepted, "uuid:2": xform.Accepted, "sha256:abc": xform.Rejected}
		for _, x := range all {
			if x.Status != want[x.InstanceID] {
				t.Errorf("%s is %s, want %s", x.InstanceID, x.Status, want[x.InstanceID])
			}
			full, err := s.Submission(ctx, x.ID)
			if err != nil || len(full.XML) == 0 || len(full.Media) != 1 {
				t.Errorf("%s kept as %d bytes and %d media: %v", x.InstanceID, len(full.XML), len(full.Media), err)
			}
		}
		assertStatsMatch(t, s, eng, "bmn-2564")
	})
}

func TestDevices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, user.User{Username: "somchai", PasswordHash: "x", Role: user.Enumerator, AreaCode: "700513"})
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.CreateDevice(ctx, xform.Device{UserID: u.ID, Username: u.Username, Name: "phone", DigestHA1: "ha1"}, "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		got, gu, err := s.DeviceByToken(ctx, "hash-1")
		if err != nil || got.ID != d.ID || gu.Username != "somchai" || got.DigestHA1 != "ha1" {
			t.Fatalf("by token: %+v %+v %v", got, gu, err)
		}
		if err := s.RevokeDevice(ctx, d.ID, "admin"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.DeviceByToken(ctx, "hash-1"); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("a revoked token: %v", err)
		}
		ds, _ := s.Devices(ctx, "somchai")
		if len(ds) != 1 || ds[0].RevokedAt.IsZero() {
			t.Fatalf("devices: %+v", ds)
		}
	})
}

// A batch (group commit) writes every good household at once, names each
// sender in the history, and sends only the refused one to review.
func TestSubmitBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		hs := surveyfile.Example(eng.Set(), "70051301", 4, 9)
		item := func(i int, who string) store.SubmitItem {
			hs[i].RoundID = "bmn-2564"
			return store.SubmitItem{Household: hs[i], Engine: eng, Sub: xform.Submission{InstanceID: fmt.Sprintf("uuid:b%d", i),
				FormID: "tambon-bmn-2564", RoundID: "bmn-2564", Username: who, XML: []byte(fmt.Sprintf("<data>%d</data>", i))}}
		}
		// All good: one write, each household under its sender's name.
		res, err := s.SubmitBatch(ctx, []store.SubmitItem{item(0, "anong"), item(1, "boon")})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []string{"anong", "boon"} {
			if res[i].Err != nil || res[i].Submission.Status != xform.Accepted {
				t.Fatalf("item %d: %+v", i, res[i])
			}
			var by string
			s.EachHousehold(ctx, "bmn-2564", "70051301", func(r survey.Record) error {
				if r.Key == hs[i].Key() {
					by = r.UpdatedBy
				}
				return nil
			})
			if by != want {
				t.Errorf("household %d written by %q, want %q", i, by, want)
			}
		}
		// One clashes (a citizen ID of household 0): the others still go in.
		hs[3].Members[0].CitizenID = hs[0].Members[0].CitizenID
		res, err = s.SubmitBatch(ctx, []store.SubmitItem{item(2, "anong"), item(3, "boon"), item(0, "anong")})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Submission.Status != xform.Accepted || res[1].Submission.Status != xform.Review || !res[2].Duplicate {
			t.Fatalf("statuses: %s %s duplicate=%v", res[0].Submission.Status, res[1].Submission.Status, res[2].Duplicate)
		}
		if n, _ := s.CountHouseholds(ctx, "bmn-2564", "70051301"); n != 3 {
			t.Fatalf("households: %d, want 3", n)
		}
		assertStatsMatch(t, s, eng, "bmn-2564")
	})
}
