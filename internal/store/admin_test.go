package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
)

func TestDisablingAnAccountEndsItsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, user.User{Username: "malee", DisplayName: "มาลี", PasswordHash: "x", Role: user.Tambon, AreaCode: "700513"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateUser(ctx, user.User{Username: "somsak", DisplayName: "สมศักดิ์", PasswordHash: "x", Role: user.Viewer, AreaCode: "70"})
		if err != nil {
			t.Fatal(err)
		}
		later := u.CreatedAt.Add(time.Hour)
		for _, se := range []user.Session{
			{ID: "a", UserID: u.ID, ExpiresAt: later},
			{ID: "b", UserID: u.ID, ExpiresAt: later},
			{ID: "old", UserID: u.ID, ExpiresAt: u.CreatedAt.Add(-time.Hour)},
			{ID: "c", UserID: other.ID, ExpiresAt: later},
		} {
			if err := s.CreateSession(ctx, se); err != nil {
				t.Fatal(err)
			}
		}
		counts, err := s.SessionCounts(ctx)
		if err != nil || counts[u.ID] != 2 || counts[other.ID] != 1 {
			t.Fatalf("SessionCounts = %v, %v; want 2 live for malee, 1 for somsak", counts, err)
		}
		live, err := s.UserSessions(ctx, u.ID)
		if err != nil || len(live) != 2 {
			t.Fatalf("UserSessions = %+v, %v; want the 2 live ones", live, err)
		}
		if ids := []string{live[0].ID, live[1].ID}; !slices.Contains(ids, "a") || !slices.Contains(ids, "b") {
			t.Errorf("live sessions %v, want a and b", ids)
		}

		got, err := s.SetUserDisabled(ctx, "malee", true)
		if err != nil || !got.Disabled || got.ID != u.ID {
			t.Fatalf("disable = %+v, %v", got, err)
		}
		if _, err := s.SessionUser(ctx, "a"); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("session survived disabling: %v", err)
		}
		if live, _ := s.UserSessions(ctx, u.ID); len(live) != 0 {
			t.Errorf("disabled account still has sessions %+v", live)
		}
		if _, err := s.SessionUser(ctx, "c"); err != nil {
			t.Errorf("another account's session ended too: %v", err)
		}
		if stored, _ := s.UserByName(ctx, "malee"); !stored.Disabled {
			t.Error("disabled flag not stored")
		}

		got, err = s.SetUserDisabled(ctx, "malee", false)
		if err != nil || got.Disabled {
			t.Fatalf("enable = %+v, %v", got, err)
		}
		if _, err := s.SetUserDisabled(ctx, "ghost", true); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("ghost: %v, want not_found", err)
		}
	})
}

func TestEachAuditFiltersByAreaSubtree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, e := range []store.AuditEntry{
			{User: "admin", Action: "user.create", Area: "70", Object: "user:prov"},
			{User: "admin", Action: "user.create", Area: "700513", Object: "user:tambon"},
			{User: "admin", Action: "user.disable", Area: "10", Object: "user:bkk"},
			{User: "prov", Action: "household.view", Area: "70051304", Object: "household:1"},
		} {
			if err := s.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		search := func(u, action, areaPrefix, object string, limit int) []string {
			t.Helper()
			var out []string
			err := s.EachAudit(ctx, u, action, areaPrefix, object, limit, func(at time.Time, u, action, area, object, detail string) error {
				if at.IsZero() {
					t.Errorf("%s has no time", object)
				}
				out = append(out, object)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		tests := []struct {
			name                       string
			user, action, area, object string
			limit                      int
			want                       []string
		}{
			{"everything, newest first", "", "", "", "", 0, []string{"household:1", "user:bkk", "user:tambon", "user:prov"}},
			{"the country is everything", "", "", "TH", "", 0, []string{"household:1", "user:bkk", "user:tambon", "user:prov"}},
			{"a province and all inside it", "", "", "70", "", 0, []string{"household:1", "user:tambon", "user:prov"}},
			{"a tambon", "", "", "700513", "", 0, []string{"household:1", "user:tambon"}},
			{"by user", "prov", "", "", "", 0, []string{"household:1"}},
			{"by action", "", "user.create", "", "", 0, []string{"user:tambon", "user:prov"}},
			{"by object", "", "", "", "user:bkk", 0, []string{"user:bkk"}},
			{"limited", "", "", "", "", 2, []string{"household:1", "user:bkk"}},
		}
		for _, tt := range tests {
			if got := search(tt.user, tt.action, tt.area, tt.object, tt.limit); !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			}
		}
		if err := s.EachAudit(ctx, "", "", "70%", "", 0, func(time.Time, string, string, string, string, string) error { return nil }); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a pattern as area: %v, want invalid", err)
		}
	})
}
