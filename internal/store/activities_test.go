package store_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"slices"
	"testing"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/partner"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

func bangkok(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, activity.Bangkok())
}

func meeting(t *testing.T, s *store.Store) activity.Activity {
	t.Helper()
	ctx := context.Background()
	prov := mustPartner(t, s, partner.Partner{Kind: partner.ProvinceCDD, NameTH: "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี", AreaCode: "70"})
	sao := mustPartner(t, s, partner.Partner{Kind: partner.LocalGov, NameTH: "องค์การบริหารส่วนตำบลเขาขลุง", AreaCode: "700513"})
	a, err := s.CreateActivity(ctx, activity.Activity{
		Kind: activity.Meeting, TitleTH: "ประชุมบูรณาการการทำงานตำบลเขาขลุง", Start: bangkok(2021, 1, 18, 15, 0),
		AreaCode: "700513", Venue: "ที่ทำการ อบต.เขาขลุง", OrganiserID: prov.ID, PartnerIDs: []int64{prov.ID, sao.ID},
		Attendees:   []activity.Attendee{{PartnerID: prov.ID, Name: "นางสาวพิมพ์ใจ ตัวอย่าง", Role: "ประธาน"}, {Name: "นายสมชาย ใจดี", Role: "ผู้เข้าร่วม"}},
		Agenda:      []string{"แนะนำโครงการ", "  ", "แผนการดำเนินงาน"},
		Resolutions: []string{"คัดเลือกตำบลเขาขลุงเป็นตำบลสารสนเทศต้นแบบ"},
		FollowUps: []activity.FollowUp{
			{Action: "ส่งรายชื่อผู้นำการเปลี่ยนแปลง", OwnerID: sao.ID, Owner: "อบต.เขาขลุง", Due: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC)},
			{Action: "จัดเตรียมสถานที่", Owner: "ผู้ใหญ่บ้าน หมู่ 4", Due: time.Date(2021, 2, 25, 0, 0, 0, 0, time.UTC), Status: activity.Done},
		},
		Safety: []string{"masks", "distancing", "masks"},
	}, "khaokhlung")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestActivitiesKeepEverythingRecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := meeting(t, s)
		if !a.Start.Equal(bangkok(2021, 1, 18, 15, 0)) || a.CreatedBy != "khaokhlung" || a.NewsID != 0 {
			t.Errorf("stored = %+v", a)
		}
		if len(a.PartnerIDs) != 2 || len(a.Attendees) != 2 || a.Attendees[0].Role != "ประธาน" || a.Attendees[0].PartnerID == 0 {
			t.Errorf("partners %v attendees %+v", a.PartnerIDs, a.Attendees)
		}
		if !slices.Equal(a.Agenda, []string{"แนะนำโครงการ", "แผนการดำเนินงาน"}) || len(a.Resolutions) != 1 {
			t.Errorf("agenda %q resolutions %q", a.Agenda, a.Resolutions)
		}
		if !slices.Equal(a.Safety, []string{"masks", "distancing"}) {
			t.Errorf("safety %v", a.Safety)
		}
		if len(a.FollowUps) != 2 || a.FollowUps[0].Status != activity.Open || a.FollowUps[0].Due.Format("2006-01-02") != "2021-02-01" {
			t.Fatalf("follow-ups %+v", a.FollowUps)
		}

		// On 10 Feb 2564 the first action is overdue in the tambon, and
		// also for the province; not for another tambon; the done one never.
		today := bangkok(2021, 2, 10, 9, 0)
		for _, tt := range []struct {
			within string
			want   int
		}{{"700513", 1}, {"70", 1}, {"", 1}, {"700101", 0}} {
			got, err := s.OverdueFollowUps(ctx, tt.within, today, 0)
			if err != nil || len(got) != tt.want {
				t.Errorf("OverdueFollowUps(%q) = %+v, %v; want %d", tt.within, got, err, tt.want)
			}
			if len(got) == 1 && (got[0].ActivityID != a.ID || got[0].ActivityTitle != a.TitleTH) {
				t.Errorf("overdue %+v does not name its activity", got[0])
			}
		}
		if got, _ := s.OverdueFollowUps(ctx, "700513", bangkok(2021, 2, 1, 23, 0), 0); len(got) != 0 {
			t.Errorf("an action due today is overdue: %+v", got)
		}
		done, err := s.SetFollowUpStatus(ctx, a.FollowUps[0].ID, activity.Done)
		if err != nil || done.Status != activity.Done || done.DoneAt.IsZero() {
			t.Fatalf("SetFollowUpStatus = %+v, %v", done, err)
		}
		if got, _ := s.OverdueFollowUps(ctx, "700513", today, 0); len(got) != 0 {
			t.Errorf("a done action is still overdue: %+v", got)
		}

		// The calendar's month read.
		jan, err := s.Activities(ctx, activity.Filter{Within: "70", From: bangkok(2021, 1, 1, 0, 0), To: bangkok(2021, 2, 1, 0, 0)})
		if err != nil || len(jan) != 1 || jan[0].ID != a.ID {
			t.Errorf("January = %+v, %v", jan, err)
		}
		if feb, _ := s.Activities(ctx, activity.Filter{From: bangkok(2021, 2, 1, 0, 0), To: bangkok(2021, 3, 1, 0, 0)}); len(feb) != 0 {
			t.Errorf("February = %+v", feb)
		}

		// Update replaces the lists.
		a.Agenda = []string{"วาระเดียว"}
		a.Venue = "ห้องประชุม อบต."
		a.FollowUps = []activity.FollowUp{{Action: done.Action, Owner: "อบต.", Due: done.Due, Status: activity.Done}, a.FollowUps[1]}
		upd, err := s.UpdateActivity(ctx, a, "khaokhlung")
		if err != nil || !slices.Equal(upd.Agenda, []string{"วาระเดียว"}) || upd.Venue != "ห้องประชุม อบต." || len(upd.FollowUps) != 2 {
			t.Errorf("updated = %+v, %v", upd, err)
		}
		if len(upd.FollowUps) > 0 && !upd.FollowUps[0].DoneAt.Equal(done.DoneAt) {
			t.Errorf("a done follow-up typed again lost its day: %v, want %v", upd.FollowUps[0].DoneAt, done.DoneAt)
		}
	})
}

func TestBadActivitiesAreRefusedWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		good := activity.Activity{Kind: activity.FieldVisit, TitleTH: "ลงพื้นที่", Start: bangkok(2021, 3, 1, 9, 0), AreaCode: "70051304"}
		tests := []struct {
			name  string
			edit  func(a *activity.Activity)
			field string
		}{
			{"missing date", func(a *activity.Activity) { a.Start = time.Time{} }, "date"},
			{"unknown area", func(a *activity.Activity) { a.AreaCode = "70059999" }, "area_code"},
			{"area not digits", func(a *activity.Activity) { a.AreaCode = "หมู่ 4" }, "area_code"},
			{"unknown kind", func(a *activity.Activity) { a.Kind = "party" }, "kind"},
			{"no such partner", func(a *activity.Activity) { a.PartnerIDs = []int64{424242} }, "partners"},
			{"follow-up without due date", func(a *activity.Activity) { a.FollowUps = []activity.FollowUp{{Action: "ทำ"}} }, "followups"},
			{"unknown safety measure", func(a *activity.Activity) { a.Safety = []string{"prayer"} }, "safety"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				a := good
				tt.edit(&a)
				_, err := s.CreateActivity(ctx, a, "x")
				var ps apperr.Problems
				if !errors.As(err, &ps) || ps[0].Field != tt.field {
					t.Fatalf("err = %v, want a problem on %s", err, tt.field)
				}
				if r := ps[0].Reason; r.TH == "" || r.EN == "" || r.TH == r.EN {
					t.Errorf("reason %+v must be Thai and English", r)
				}
			})
		}
		if all, _ := s.Activities(ctx, activity.Filter{}); len(all) != 0 {
			t.Errorf("refused activities were stored: %+v", all)
		}
	})
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNewsPhotosAndVisits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := meeting(t, s)
		sh, err := activity.ShrinkPhoto("meeting.png", testPNG(t, 2000, 1000))
		if err != nil {
			t.Fatal(err)
		}
		if sh.Width != activity.DisplaySize || sh.Height != 640 {
			t.Errorf("shrunk to %d×%d, want 1280×640", sh.Width, sh.Height)
		}
		ph, err := s.AddPhoto(ctx, a.ID, "ภาพการประชุม", sh, "khaokhlung")
		if err != nil {
			t.Fatal(err)
		}
		data, owner, err := s.PhotoData(ctx, ph.ID, true)
		if err != nil || owner.ID != a.ID {
			t.Fatalf("PhotoData = %v, %v", owner.ID, err)
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != activity.ThumbSize {
			t.Errorf("thumbnail %+v, %v; want %d px wide", cfg, err, activity.ThumbSize)
		}

		n, err := s.PublishNews(ctx, activity.News{ActivityID: a.ID, TitleTH: a.TitleTH, BodyTH: "สรุปการประชุม", PublishedBy: "khaokhlung"})
		if err != nil {
			t.Fatal(err)
		}
		if len(n.Photos) != 1 || n.AreaCode != "700513" || n.Visits != 0 {
			t.Errorf("news = %+v", n)
		}
		if now := storetest.Now(); !n.PublishedAt.Equal(now) {
			t.Errorf("published at %v, want now (%v)", n.PublishedAt, now)
		}
		if _, err := s.PublishNews(ctx, activity.News{ActivityID: a.ID, TitleTH: "อีกครั้ง"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second publish = %v, want a conflict", err)
		}
		if got, _ := s.Activity(ctx, a.ID); got.NewsID != n.ID {
			t.Errorf("activity's news id = %d, want %d", got.NewsID, n.ID)
		}

		now := time.Now()
		if err := s.AddVisits(ctx, now.AddDate(0, 0, -1), map[int64]int64{n.ID: 5}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddVisits(ctx, now, map[int64]int64{n.ID: 2, 999: 1}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddVisits(ctx, now, map[int64]int64{n.ID: 1}); err != nil {
			t.Fatal(err)
		}
		list, err := s.NewsList(ctx, "70", now, 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("NewsList = %+v, %v", list, err)
		}
		if list[0].Visits != 8 || list[0].VisitsToday != 3 || len(list[0].Photos) != 1 {
			t.Errorf("visits %d today %d photos %d; want 8, 3, 1", list[0].Visits, list[0].VisitsToday, len(list[0].Photos))
		}
		if other, _ := s.NewsList(ctx, "71", now, 10); len(other) != 0 {
			t.Errorf("another province's news = %+v", other)
		}
	})
}

// A post published earlier elsewhere keeps its date; a date to come does not.
func TestNewsKeepsAnEarlierDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, tc := range []struct {
			at, want time.Time
		}{
			{bangkok(2021, 1, 18, 18, 0), bangkok(2021, 1, 18, 18, 0)},
			{storetest.Now().AddDate(1, 0, 0), storetest.Now()},
		} {
			b, err := s.CreateActivity(ctx, activity.Activity{Kind: activity.FieldVisit, TitleTH: "ลงพื้นที่", Start: bangkok(2021, 3, 1, 9, 0), AreaCode: "700513"}, "khaokhlung")
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.PublishNews(ctx, activity.News{ActivityID: b.ID, TitleTH: "ข่าวลงพื้นที่", PublishedAt: tc.at})
			if err != nil || !got.PublishedAt.Equal(tc.want) {
				t.Errorf("published with date %v: stored %v (%v), want %v", tc.at, got.PublishedAt, err, tc.want)
			}
		}
	})
}

// Editing an activity keeps the follow-ups sent back with their ids as the
// same rows (reordered, changed, still done on the day they were done),
// adds those without an id and drops those left out; an id of another
// activity's follow-up is refused with nothing written.
func TestFollowUpsKeepTheirIDsWhenEdited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := meeting(t, s)
		first, second := a.FollowUps[0], a.FollowUps[1]
		if second.Status != activity.Done || second.DoneAt.IsZero() {
			t.Fatalf("the done follow-up has no day: %+v", second)
		}
		second.Action = "จัดเตรียมสถานที่และเครื่องเสียง"
		added := activity.FollowUp{Action: "รายงานผล", Owner: "พัฒนากร", Due: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), Status: activity.InProgress}
		a.FollowUps = []activity.FollowUp{second, added}
		upd, err := s.UpdateActivity(ctx, a, "khaokhlung")
		if err != nil {
			t.Fatal(err)
		}
		if len(upd.FollowUps) != 2 {
			t.Fatalf("follow-ups after the edit: %+v", upd.FollowUps)
		}
		got := upd.FollowUps[0]
		if got.ID != second.ID || got.Action != "จัดเตรียมสถานที่และเครื่องเสียง" || got.Status != activity.Done || !got.DoneAt.Equal(second.DoneAt) {
			t.Errorf("the kept follow-up = %+v, want id %d, the new text and its day done %v", got, second.ID, second.DoneAt)
		}
		if n := upd.FollowUps[1]; n.ID == 0 || n.ID == first.ID || n.ID == second.ID || n.Status != activity.InProgress {
			t.Errorf("the added follow-up = %+v", n)
		}
		if _, err := s.SetFollowUpStatus(ctx, first.ID, activity.Done); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the follow-up left out is still there: %v", err)
		}

		// Another activity's follow-up id is not taken over.
		other, err := s.CreateActivity(ctx, activity.Activity{Kind: activity.FieldVisit, TitleTH: "เยี่ยมบ้าน", Start: bangkok(2021, 2, 2, 9, 0),
			AreaCode: "70051304", FollowUps: []activity.FollowUp{{Action: "ติดตามผล", Due: time.Date(2021, 2, 9, 0, 0, 0, 0, time.UTC)}}}, "khaokhlung")
		if err != nil {
			t.Fatal(err)
		}
		a = upd
		a.FollowUps = append(a.FollowUps, activity.FollowUp{ID: other.FollowUps[0].ID, Action: "ยึดงานของกิจกรรมอื่น", Due: other.FollowUps[0].Due})
		a.Venue = "ที่อื่น"
		_, err = s.UpdateActivity(ctx, a, "khaokhlung")
		var ps apperr.Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Field != "followups" || ps[0].Row != 3 {
			t.Fatalf("a foreign follow-up id: %v", err)
		}
		if again, _ := s.Activity(ctx, a.ID); again.Venue == "ที่อื่น" || len(again.FollowUps) != 2 {
			t.Errorf("the refused edit wrote something: %+v", again)
		}
		if o, _ := s.Activity(ctx, other.ID); len(o.FollowUps) != 1 || o.FollowUps[0].Action != "ติดตามผล" {
			t.Errorf("the other activity's follow-up changed: %+v", o.FollowUps)
		}
	})
}
