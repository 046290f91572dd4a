package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// A batch (group commit) gives the same results and leaves the same data as
// the same submissions sent one by one, in order: new, duplicate and
// conflicting instances, edits replacing a stored submission and one of the
// same batch, a second edit of the same original, duplicates of the batch's
// own submissions (before and after a household write sends one to review,
// and after one is replaced), an unreadable one, one editing an original
// that never arrived; then a batch written as one household write.
func TestSubmitBatchIsOneByOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, batched *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		oneByOne := twinStore(t, batched)
		hs := surveyfile.Example(eng.Set(), "70051301", 6, 11)
		for _, h := range hs {
			h.RoundID = "bmn-2564"
		}
		sub := func(id, deprecated, who string, h *survey.Household, media ...string) store.SubmitItem {
			it := store.SubmitItem{Household: h, Engine: eng, Sub: xform.Submission{InstanceID: id, DeprecatedID: deprecated,
				FormID: "tambon-bmn-2564", RoundID: "bmn-2564", Username: who, XML: []byte("<data>" + id + "</data>")}, Scope: "70"}
			for _, m := range media {
				it.Sub.Media = append(it.Sub.Media, xform.Media{Name: m, Data: []byte(m)})
			}
			return it
		}
		stored := []store.SubmitItem{
			sub("uuid:p1", "", "anong", hs[0], "a.jpg"),
			sub("uuid:p2", "", "anong", hs[1]),
			sub("uuid:p3", "", "boon", hs[2]),
		}
		edit := func(h *survey.Household, savings int64) *survey.Household {
			e := *h
			e.Savings += savings
			return &e
		}
		clash := *hs[4]
		clash.Members = slices.Clone(clash.Members)
		clash.Members[0].CitizenID = hs[0].Members[0].CitizenID
		unreadable := sub("uuid:bad", "", "boon", nil)
		unreadable.Sub.Problems = apperr.Problems{{Reason: apperr.T("อ่านไม่ได้", "cannot be read")}}
		otherBytes := sub("uuid:p2", "", "anong", hs[1])
		otherBytes.Sub.XML = []byte("<data>changed</data>")
		n1 := sub("uuid:n1", "", "chai", hs[3])
		n2 := sub("uuid:n2", "", "chai", &clash)
		batch := []store.SubmitItem{
			n1,
			sub("uuid:p1", "", "anong", hs[0], "a.jpg", "b.jpg"), // a retry bringing one more file
			otherBytes,
			sub("uuid:r1", "uuid:p3", "boon", edit(hs[2], 1000)),
			sub("uuid:r2", "uuid:p3", "boon", edit(hs[2], 2000)), // the original is already replaced
			n1,
			n2, // its household write is refused: review
			n2,
			sub("uuid:r3", "uuid:n1", "dao", edit(hs[3], 500)), // replaces one of this batch
			n1,
			unreadable,
			sub("uuid:e1", "uuid:never-arrived", "dao", hs[5]),
			sub("uuid:p1", "", "anong", hs[0], "a.jpg", "b.jpg"),
		}
		for _, s := range []*store.Store{batched, oneByOne} {
			mustRound(t, s, "bmn-2564", false)
			if _, err := s.SubmitBatch(ctx, stored); err != nil {
				t.Fatal(err)
			}
		}
		// Then edits and a new household from several senders that go in
		// as one household write, each under its sender's name.
		clean := []store.SubmitItem{
			sub("uuid:r4", "uuid:p1", "eak", edit(hs[0], 300)),
			sub("uuid:r5", "uuid:p2", "fon", edit(hs[1], 400)),
			sub("uuid:n4", "", "gai", hs[4]),
		}
		for _, b := range [][]store.SubmitItem{batch, clean} {
			got, err := batched.SubmitBatch(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			for i, it := range b {
				want, err := oneByOne.SubmitBatch(ctx, []store.SubmitItem{it})
				if err != nil {
					t.Fatal(err)
				}
				if g, w := outcome(got[i]), outcome(want[0]); g != w {
					t.Errorf("item %d (%s): batch gives %s, one by one %s", i, it.Sub.InstanceID, g, w)
				}
			}
			if g, w := snapshot(t, batched, eng), snapshot(t, oneByOne, eng); !reflect.DeepEqual(g, w) {
				t.Errorf("stored after the batch:\n%+v\none by one:\n%+v", g, w)
			}
		}
		assertStatsMatch(t, batched, eng, "bmn-2564")
	})
}

// twinStore opens another empty store of the same kind as s.
func twinStore(t *testing.T, s *store.Store) *store.Store {
	if s.Dialect() == "postgres" {
		return storetest.MustOpenDSN(t, storetest.PostgresDSN(t))
	}
	return storetest.MustOpenSQLite(t)
}

func outcome(r store.SubmitResult) string {
	return fmt.Sprintf("id=%d status=%s duplicate=%v refused=%s problems=%d", r.Submission.ID, r.Submission.Status, r.Duplicate,
		apperr.CodeOf(r.Err), len(r.Submission.Problems))
}

// stored is what a store holds after submissions, in a comparable form.
type stored struct {
	Submissions []string
	Households  []string
	History     []string
	Audit       []string
	Totals      map[string]*engine.Totals
}

func snapshot(t *testing.T, s *store.Store, eng *engine.Engine) stored {
	t.Helper()
	ctx := context.Background()
	var out stored
	subs, err := s.Submissions(ctx, store.SubmissionFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range subs {
		full, err := s.Submission(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(full.XML); hex.EncodeToString(sum[:]) != full.SHA256 {
			t.Errorf("%s: the stored XML %q does not have the hash it was received with", x.InstanceID, full.XML)
		}
		var media []string
		for _, m := range full.Media {
			media = append(media, m.Name)
		}
		slices.Sort(media)
		out.Submissions = append(out.Submissions, fmt.Sprintf("%d %s %s replaced-by=%q problems=%d media=%v", x.ID, x.InstanceID, x.Status,
			x.ReplacedBy, len(x.Problems), media))
	}
	err = s.EachHousehold(ctx, "bmn-2564", "TH", func(r survey.Record) error {
		out.Households = append(out.Households, fmt.Sprintf("%s v%d by %s savings %d", r.Key, r.Version, r.UpdatedBy, r.Household.Savings))
		hist, err := s.HouseholdHistory(ctx, "bmn-2564", r.Key)
		for _, e := range hist {
			out.History = append(out.History, fmt.Sprintf("%s v%d by %s", r.Key, e.Version, e.ChangedBy))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	log, err := s.AuditLog(ctx, store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		out.Audit = append(out.Audit, fmt.Sprintf("%s %s %s %s %s", e.User, e.Action, e.Area, e.Object, e.Detail))
	}
	if out.Totals, err = s.AllTotals(ctx, eng, "bmn-2564"); err != nil {
		t.Fatal(err)
	}
	return out
}

// A batch larger than one INSERT of submissions gives each its own ID.
func TestSubmitBatchLargerThanOneInsert(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var items []store.SubmitItem
		for i := range 150 {
			id := fmt.Sprintf("uuid:many-%d", i)
			items = append(items, store.SubmitItem{Sub: xform.Submission{InstanceID: id, FormID: "tambon-bmn-2564", Username: "anong",
				XML: []byte("<data>" + id + "</data>"), Problems: apperr.Problems{{Reason: apperr.T("อ่านไม่ได้", "cannot be read")}}}})
		}
		res, err := s.SubmitBatch(ctx, items)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			got, err := s.Submission(ctx, r.Submission.ID)
			if err != nil || got.InstanceID != items[i].Sub.InstanceID || got.Status != xform.Review {
				t.Fatalf("item %d stored as %d: %s %s %v", i, r.Submission.ID, got.InstanceID, got.Status, err)
			}
		}
	})
}
