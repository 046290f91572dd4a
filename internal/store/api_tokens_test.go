package store_test

import (
	"context"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
)

// An API token is found by its hash only while it is live: revoked or
// expired, it is the same "unknown" answer. Issuing and revoking are in the
// audit log; the last use is recorded and never goes back in time.
func TestAPITokensLiveRevokedExpired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := storetest.Now()
		secret, hash := user.NewTokenSecret()
		if user.TokenHash(secret) != hash || len(secret) < 40 {
			t.Fatalf("token %q and its hash %q do not agree", secret, hash)
		}
		tok, err := s.CreateToken(ctx, user.Token{Name: "powerbi-70", Role: user.Viewer, AreaCode: "70", CreatedBy: "admin",
			ExpiresAt: now.Add(30 * 24 * time.Hour)}, hash)
		if err != nil || tok.ID == 0 {
			t.Fatalf("CreateToken = %+v, %v", tok, err)
		}
		if _, err := s.CreateToken(ctx, user.Token{Name: "powerbi-70", Role: user.Viewer, AreaCode: "70", CreatedBy: "admin",
			ExpiresAt: now.Add(time.Hour)}, "other"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second token of the same name: %v, want a conflict", err)
		}
		if _, err := s.CreateToken(ctx, user.Token{Name: "Bad Name", Role: user.Viewer, AreaCode: "70", CreatedBy: "admin",
			ExpiresAt: now.Add(time.Hour)}, "x1"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a token named with spaces: %v, want invalid", err)
		}
		if _, err := s.CreateToken(ctx, user.Token{Name: "old", Role: user.Viewer, AreaCode: "70", CreatedBy: "admin",
			ExpiresAt: now.Add(-time.Hour)}, "x2"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a token expired already: %v, want invalid", err)
		}
		got, err := s.TokenByHash(ctx, hash)
		if err != nil || got.ID != tok.ID || got.Role != user.Viewer || got.AreaCode != "70" || !got.LastUsedAt.IsZero() {
			t.Fatalf("TokenByHash = %+v, %v", got, err)
		}
		if u := got.User(); u.Username != "token:powerbi-70" || u.ID >= 0 || !u.CanAt(user.ViewFigures, "7005") || u.Can(user.ViewHouseholds) {
			t.Errorf("the token acts as %+v", u)
		}
		if err := s.TouchToken(ctx, tok.ID, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.TouchToken(ctx, tok.ID, now); err != nil { // a slower process, later
			t.Fatal(err)
		}
		if got, _ := s.TokenByHash(ctx, hash); !got.LastUsedAt.Equal(now.Add(time.Minute)) {
			t.Errorf("last use %v, want %v", got.LastUsedAt, now.Add(time.Minute))
		}

		// Expired: a token made to expire in a minute is refused after.
		_, shortHash := user.NewTokenSecret()
		short, err := s.CreateToken(ctx, user.Token{Name: "short", Role: user.Viewer, AreaCode: "70", CreatedBy: "admin",
			ExpiresAt: now.Add(time.Minute)}, shortHash)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenByHash(ctx, shortHash); err != nil {
			t.Fatalf("a live short token: %v", err)
		}
		later := s.WithClock(func() time.Time { return now.Add(2 * time.Minute) })
		if _, err := later.TokenByHash(ctx, shortHash); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("an expired token: %v, want unauthorized", err)
		}

		if err := s.RevokeToken(ctx, tok.ID, "admin"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenByHash(ctx, hash); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("a revoked token: %v, want unauthorized", err)
		}
		if err := s.RevokeToken(ctx, tok.ID, "admin"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("revoking twice: %v, want not found", err)
		}
		all, err := s.Tokens(ctx)
		if err != nil || len(all) != 2 || all[0].ID != short.ID || all[1].RevokedAt.IsZero() || all[1].RevokedBy != "admin" {
			t.Fatalf("Tokens = %+v, %v", all, err)
		}
		entries, _, err := s.SearchAudit(ctx, store.AuditQuery{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			seen[e.Action]++
		}
		if seen["token.issue"] != 2 || seen["token.revoke"] != 1 {
			t.Errorf("audit log holds %v, want two token.issue and one token.revoke", seen)
		}
	})
}
