package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/thai"
	"tambon/internal/user"
)

func cmdToken(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "token", "Usage: tambon token issue|list|revoke [flags]   (tambon token issue --help)", args,
		subcommand{"issue", tokenIssue}, subcommand{"list", tokenList}, subcommand{"revoke", tokenRevoke})
}

// tokenIssue issues an API token for another system (Excel, Power BI, a
// provincial system). The token is printed once; the database keeps only
// its SHA-256.
func tokenIssue(ctx context.Context, e *env, args []string) error {
	fs := e.flags("token issue", "token issue --name powerbi-ratchaburi --role viewer --area 70 --expires 2027-03-31")
	dsn := e.dbFlag(fs, "tambon.db")
	name := fs.String("name", "", "the token's name, written in the audit log for what it does (lower-case letters, digits, . _ -)")
	role := fs.String("role", "viewer", "role: admin, province, district, tambon, enumerator, partner, viewer")
	areaCode := fs.String("area", "", "the area the token works in (TH for the whole country)")
	expires := fs.String("expires", "", "the last day the token works (YYYY-MM-DD, or a Thai date such as 31/3/2570); at most a year away")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := user.ValidTokenName(*name); err != nil {
		return err
	}
	r, err := user.ParseRole(*role)
	if err != nil {
		return err
	}
	if *expires == "" || *areaCode == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --area และ --expires", "give --area and --expires"))
	}
	d, err := thai.ParseDate(*expires)
	if err != nil {
		return apperr.New(apperr.Invalid, apperr.Tf("วันหมดอายุ %q ไม่ใช่วันที่", "the expiry %q is not a date", *expires))
	}
	end := time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, thai.Bangkok())
	if end.Sub(e.now()) > user.MaxTokenLife {
		return apperr.New(apperr.Invalid, apperr.T("โทเค็นมีอายุได้ไม่เกินหนึ่งปี", "a token may live a year at most"))
	}
	s, tree, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	code := strings.ToUpper(strings.TrimSpace(*areaCode))
	if _, ok := tree.Get(code); !ok {
		return apperr.New(apperr.Invalid, apperr.Tf("ไม่พบพื้นที่รหัส %q", "no area has the code %q", code))
	}
	secret, hash := user.NewTokenSecret()
	t, err := s.CreateToken(ctx, user.Token{Name: *name, Role: r, AreaCode: code, CreatedBy: "cli", ExpiresAt: end.UTC()}, hash)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token %d %s: %s in %s until %s\n", t.ID, t.Name, t.Role, t.AreaCode, end.Format(time.DateOnly))
	fmt.Fprintf(e.stdout, "token (shown once): %s\n", secret)
	fmt.Fprintf(e.stdout, "send it as the header  Authorization: Bearer %s\n", secret)
	return nil
}

func tokenList(ctx context.Context, e *env, args []string) error {
	fs := e.flags("token list", "token list")
	dsn := e.dbFlag(fs, "tambon.db")
	return e.withStore(ctx, fs, dsn, args, func(s *store.Store) error {
		ts, err := s.Tokens(ctx)
		if err != nil {
			return err
		}
		stamp := func(t time.Time) string {
			if t.IsZero() {
				return "-"
			}
			return t.UTC().Format(time.DateTime)
		}
		now := e.now()
		tw := e.table("ID", "NAME", "ROLE", "AREA", "ISSUED BY", "EXPIRES", "LAST USED", "STATUS")
		for _, t := range ts {
			status := "live"
			switch {
			case !t.RevokedAt.IsZero():
				status = "revoked " + stamp(t.RevokedAt) + " by " + t.RevokedBy
			case !now.Before(t.ExpiresAt):
				status = "expired"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, t.AreaCode, t.CreatedBy, stamp(t.ExpiresAt), stamp(t.LastUsedAt), status)
		}
		return tw.Flush()
	})
}

func tokenRevoke(ctx context.Context, e *env, args []string) error {
	fs := e.flags("token revoke", "token revoke --id N")
	dsn := e.dbFlag(fs, "tambon.db")
	id := fs.Int64("id", 0, "the token's number (tambon token list)")
	return e.withStore(ctx, fs, dsn, args, func(s *store.Store) error {
		if err := s.RevokeToken(ctx, *id, "cli"); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token %d revoked: it no longer works, at every server process within a second\n", *id)
		return nil
	})
}
