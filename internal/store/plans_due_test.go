package store_test

import (
	"context"
	"testing"
	"time"

	"tambon/internal/partner"
	"tambon/internal/plan"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

// Plan items past their end and not finished are found under any area, in
// one read; finished ones, ones still running and other areas' are not.
func TestItemsPastDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		dailyRounds(t, s)
		p, err := s.CreatePlan(ctx, plan.Plan{AreaCode: "700513", FiscalYear: 2564, RoundID: "bmn-2563", Title: "แผนทดสอบ", CreatedBy: "tambon"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		org, err := s.CreatePartner(ctx, partner.Partner{Kind: partner.LocalGov, NameTH: "อบต.ทดสอบ", AreaCode: "700513"}, "test")
		if err != nil {
			t.Fatal(err)
		}
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
		save := func(title string, end time.Time, physical int) int64 {
			it, err := s.SaveItem(ctx, plan.Item{PlanID: p.ID, PartnerID: org.ID, Title: title, BudgetSource: "local",
				Start: day(2021, 1, 1), End: end, Physical: physical}, "tambon")
			if err != nil {
				t.Fatal(err)
			}
			return it.ID
		}
		late := save("ยังไม่เสร็จ เลยกำหนด", day(2021, 6, 30), 60)
		later := save("ยังไม่เสร็จ เลยกำหนดทีหลัง", day(2021, 8, 31), 0)
		save("เสร็จแล้ว", day(2021, 6, 30), 100)
		save("ยังไม่ถึงกำหนด", day(2021, 12, 31), 10)
		save("ครบกำหนดวันนี้", day(2021, 9, 1), 10)
		today := day(2021, 9, 1)
		for _, area := range []string{"700513", "7005", "70", "TH"} {
			got, err := s.ItemsPastDue(ctx, area, today, 0)
			want := []store.ItemDue{{p.ID, late}, {p.ID, later}}
			if err != nil || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
				t.Errorf("%s: %v, %v; want %v", area, got, err, want)
			}
		}
		if got, err := s.ItemsPastDue(ctx, "700514", today, 0); err != nil || len(got) != 0 {
			t.Errorf("another tambon: %v, %v", got, err)
		}
		if _, err := s.ItemsPastDue(ctx, "70%", today, 0); err == nil {
			t.Error("a pattern passes as an area code")
		}
	})
}
