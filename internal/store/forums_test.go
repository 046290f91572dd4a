package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/partner"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
)

func mustForumActivity(t *testing.T, s *store.Store, kind activity.Kind, area string, start time.Time) activity.Activity {
	t.Helper()
	a, err := s.CreateActivity(context.Background(), activity.Activity{Kind: kind, TitleTH: "เวทีประชาคมหมู่บ้าน " + area,
		Start: start, AreaCode: area, Venue: "ศาลาประชาคม"}, "khaokhlung")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A forum keeps its round, headcount, the village's ranking (survey
// problems and its own), the activities agreed with who does them and the
// minutes; saving again replaces it whole; refused input writes nothing;
// Forums finds an area's forums of a round, newest first.
func TestForumKeepsTheVillagesRanking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2562", Kind: survey.KindBMN, SurveyYear: 2562, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		head := mustPartner(t, s, partner.Partner{Kind: partner.VillageHead, NameTH: "นายสมบัติ ใจเย็น", AreaCode: "70051304"})
		a := mustForumActivity(t, s, activity.Forum, "70051304", bangkok(2021, 3, 1, 9, 0))
		if _, err := s.Forum(ctx, a.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("Forum before any record: %v, want not found", err)
		}
		rec := activity.ForumRecord{ActivityID: a.ID, RoundID: "bmn-2562", Minutes: "  ที่ประชุมเห็นชอบลำดับปัญหา  ",
			Headcount: []activity.Headcount{{Sex: "male", Band: "18to59", N: 21}, {Sex: "female", Band: "18to59", N: 30}, {Sex: "female", Band: "60plus", N: 9}},
			Problems: []activity.ForumProblem{
				{Source: "bmn", Code: "25", TitleTH: "ตัวชี้วัดที่ 25 สูบบุหรี่", Votes: 12},
				{TitleTH: "ถนนเข้าหมู่บ้านชำรุด", Votes: 40},
				{Source: "bmn", Code: "22", TitleTH: "ตัวชี้วัดที่ 22 รายได้", Votes: 31, Rank: 1},
				{Source: "kcc2c", Code: "water", TitleTH: "กชช. 2ค น้ำ", Votes: 5},
			},
			Actions: []activity.ForumAction{
				{Problem: "bmn:22", Action: "ตั้งกลุ่มอาชีพจักสาน", OwnerID: head.ID, Owner: "นายสมบัติ ใจเย็น", Due: time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)},
				{Problem: "village:v1", Action: "เสนอ อบต. ซ่อมถนน", Owner: "คณะกรรมการหมู่บ้าน"},
			}}
		got, err := s.SaveForum(ctx, rec, "khaokhlung")
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, p := range got.Problems {
			order = append(order, p.Key())
		}
		// Rank 1 typed, then by votes: the road (40), smoking (12), water (5).
		if want := []string{"bmn:22", "village:v1", "bmn:25", "kcc2c:water"}; len(order) != 4 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] || order[3] != want[3] {
			t.Errorf("ranking %v, want %v", order, want)
		}
		for i, p := range got.Problems {
			if p.Rank != i+1 {
				t.Errorf("problem %s has rank %d at place %d", p.Key(), p.Rank, i+1)
			}
		}
		if got.Attended() != 60 || got.Count("female", "60plus") != 9 || got.Count("male", "under18") != 0 {
			t.Errorf("headcount %+v", got.Headcount)
		}
		if got.Minutes != "ที่ประชุมเห็นชอบลำดับปัญหา" || got.RoundID != "bmn-2562" || got.AreaCode != "70051304" || !got.Start.Equal(a.Start) {
			t.Errorf("record %+v", got)
		}
		if len(got.Actions) != 2 || got.Actions[0].OwnerID != head.ID || !got.Actions[0].Due.Equal(time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)) || got.Actions[1].Problem != "village:v1" {
			t.Errorf("actions %+v", got.Actions)
		}

		// Refused: a gap in the ranks, an action for an unranked problem,
		// a partner that does not exist, a round that does not exist, a
		// meeting that is not a forum. Nothing changes.
		bad := []struct {
			name   string
			change func(r *activity.ForumRecord)
			field  string
		}{
			{"a rank skipped", func(r *activity.ForumRecord) { r.Problems[1].Rank = 3 }, "problems"},
			{"an action for a problem not ranked", func(r *activity.ForumRecord) { r.Actions[0].Problem = "bmn:7" }, "actions"},
			{"no such partner", func(r *activity.ForumRecord) { r.Actions[0].OwnerID = head.ID + 1000 }, "actions"},
			{"no such round", func(r *activity.ForumRecord) { r.RoundID = "bmn-2599" }, "round"},
			{"negative votes", func(r *activity.ForumRecord) { r.Problems[0].Votes = -1 }, "problems"},
		}
		for _, b := range bad {
			r := got
			r.Problems = append([]activity.ForumProblem(nil), got.Problems...)
			r.Actions = append([]activity.ForumAction(nil), got.Actions...)
			b.change(&r)
			_, err := s.SaveForum(ctx, r, "khaokhlung")
			var ps apperr.Problems
			if !errors.As(err, &ps) || ps[0].Field != b.field {
				t.Errorf("%s: err = %v, want a problem with %s", b.name, err, b.field)
			}
		}
		other := mustForumActivity(t, s, activity.Meeting, "70051304", bangkok(2021, 3, 2, 9, 0))
		if _, err := s.SaveForum(ctx, activity.ForumRecord{ActivityID: other.ID, RoundID: "bmn-2562"}, "x"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a forum on a plain meeting: %v, want invalid", err)
		}
		again, err := s.Forum(ctx, a.ID)
		if err != nil || len(again.Problems) != 4 || again.Problems[0].Votes != 31 || len(again.Actions) != 2 {
			t.Errorf("after refusals: %+v, %v", again, err)
		}

		// Saved again with less: replaced whole.
		rec2 := activity.ForumRecord{ActivityID: a.ID, RoundID: "bmn-2562", Problems: []activity.ForumProblem{{TitleTH: "ขยะ", Votes: 3}}}
		if got, err = s.SaveForum(ctx, rec2, "khaokhlung"); err != nil || len(got.Problems) != 1 || len(got.Actions) != 0 || got.Attended() != 0 || got.Problems[0].Key() != "village:v1" {
			t.Errorf("saved again: %+v, %v", got, err)
		}

		// Another village's later forum; another tambon's.
		b := mustForumActivity(t, s, activity.Forum, "70051305", bangkok(2021, 3, 8, 9, 0))
		c := mustForumActivity(t, s, activity.Forum, "70051401", bangkok(2021, 3, 9, 9, 0))
		for _, x := range []int64{b.ID, c.ID} {
			if _, err := s.SaveForum(ctx, activity.ForumRecord{ActivityID: x, RoundID: "bmn-2562"}, "x"); err != nil {
				t.Fatal(err)
			}
		}
		fs, err := s.Forums(ctx, "700513", "bmn-2562")
		if err != nil || len(fs) != 2 || fs[0].ActivityID != b.ID || fs[1].ActivityID != a.ID {
			t.Errorf("Forums(700513) = %d forums, %v", len(fs), err)
		}
		if fs, err := s.Forums(ctx, "700513", "bmn-2561"); err != nil || len(fs) != 0 {
			t.Errorf("Forums of another round = %d, %v", len(fs), err)
		}
	})
}
