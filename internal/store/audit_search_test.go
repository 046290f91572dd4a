package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

func TestSearchAuditByPersonActionAreaAndDates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		day := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
		// 30 days, one entry a day each for two people; somchai's in 700513,
		// malee's in 710101; every third of somchai's is an export.
		for i := range 30 {
			at := day.AddDate(0, 0, i)
			action := "household.view"
			if i%3 == 0 {
				action = "export.personal"
			}
			for _, e := range []store.AuditEntry{
				{At: at, User: "somchai", Action: action, Area: "70051304", Object: fmt.Sprintf("household:%d", i)},
				{At: at.Add(time.Hour), User: "malee", Action: "household.view", Area: "710101", Object: fmt.Sprintf("household:%d", 100+i)},
			} {
				if err := s.Audit(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := s.Audit(ctx, store.AuditEntry{At: day, User: "admin", Action: "user.create", Area: "700513", Object: "user:somchai"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			q     store.AuditQuery
			total int
		}{
			{"everything", store.AuditQuery{}, 61},
			{"a person", store.AuditQuery{User: "somchai"}, 30},
			{"a person and an action", store.AuditQuery{User: "somchai", Action: "export.personal"}, 10},
			{"an area: the tambon's own entries and its villages'", store.AuditQuery{AreaPrefix: "700513"}, 31},
			{"a province", store.AuditQuery{AreaPrefix: "71"}, 30},
			{"a week", store.AuditQuery{From: day.AddDate(0, 0, 7), To: day.AddDate(0, 0, 14)}, 14},
			{"from a day on", store.AuditQuery{User: "malee", From: day.AddDate(0, 0, 25)}, 5},
			{"until a day", store.AuditQuery{User: "malee", To: day.AddDate(0, 0, 1)}, 1},
			{"an object", store.AuditQuery{Object: "user:somchai"}, 1},
			{"nobody", store.AuditQuery{User: "nobody"}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, total, err := s.SearchAudit(ctx, tc.q)
				if err != nil || total != tc.total || len(got) != min(tc.total, 200) {
					t.Fatalf("total %d, %d entries, %v; want %d", total, len(got), err, tc.total)
				}
				for i := 1; i < len(got); i++ {
					if got[i].At.After(got[i-1].At) && got[i].User == got[i-1].User {
						t.Errorf("not newest first: %v after %v", got[i].At, got[i-1].At)
					}
				}
				for _, e := range got {
					if tc.q.User != "" && e.User != tc.q.User || tc.q.Action != "" && e.Action != tc.q.Action ||
						!tc.q.From.IsZero() && e.At.Before(tc.q.From) || !tc.q.To.IsZero() && !e.At.Before(tc.q.To) {
						t.Errorf("%+v does not match %+v", e, tc.q)
					}
				}
			})
		}
		// Pages: every entry once, in order.
		seen := map[string]bool{}
		for off := 0; ; off += 7 {
			page, total, err := s.SearchAudit(ctx, store.AuditQuery{User: "somchai", Limit: 7, Offset: off})
			if err != nil || total != 30 {
				t.Fatalf("page at %d: %v, total %d", off, err, total)
			}
			for _, e := range page {
				if seen[e.Object] {
					t.Errorf("%s on two pages", e.Object)
				}
				seen[e.Object] = true
			}
			if len(page) < 7 {
				break
			}
		}
		if len(seen) != 30 {
			t.Errorf("the pages hold %d entries, want 30", len(seen))
		}
		if _, _, err := s.SearchAudit(ctx, store.AuditQuery{AreaPrefix: "7%"}); err == nil {
			t.Error("an area pattern was accepted")
		}
	})
}
