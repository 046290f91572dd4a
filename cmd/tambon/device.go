package main

import (
	"context"
	"fmt"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/openrosa"
	"tambon/internal/store"
)

func cmdDevice(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "device", "Usage: tambon device create|list|revoke [flags]   (tambon device create --help)", args,
		subcommand{"create", deviceCreate}, subcommand{"list", deviceList}, subcommand{"revoke", deviceRevoke})
}

// deviceCreate gives a phone its own token for ODK Collect or KoboCollect.
// The token is printed once; the database keeps only its hashes.
func deviceCreate(ctx context.Context, e *env, args []string) error {
	fs := e.flags("device create", "device create --username NAME --name 'Somchai's phone' [--url https://tambon.example]")
	dsn := e.dbFlag(fs, "tambon.db")
	username := fs.String("username", "", "the account the device submits as")
	name := fs.String("name", "", "what the device is, e.g. 'ODK Collect, Somchai's phone'")
	base := fs.String("url", "https://tambon.example", "the server's public address, to print the device's server URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *username == "" || *name == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --username และ --name", "give --username and --name"))
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.UserByName(ctx, *username)
	if err != nil {
		return err
	}
	nd, token, hash := openrosa.NewDevice(u, *name, "cli")
	d, err := s.CreateDevice(ctx, nd, hash)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "device %d for %s: %s\n", d.ID, u.Username, d.Name)
	fmt.Fprintf(e.stdout, "token (shown once): %s\n", token)
	fmt.Fprintf(e.stdout, "ODK Collect / KoboCollect server URL, no password needed: %s\n", openrosa.KeyURL(*base, token))
	fmt.Fprintf(e.stdout, "or server URL %s with username %s and the token as the password (Digest or Basic)\n", openrosa.ServerURL(*base), u.Username)
	return nil
}

func deviceList(ctx context.Context, e *env, args []string) error {
	fs := e.flags("device list", "device list [--username NAME]")
	dsn := e.dbFlag(fs, "tambon.db")
	username := fs.String("username", "", "only this account's devices")
	return e.withStore(ctx, fs, dsn, args, func(s *store.Store) error {
		ds, err := s.Devices(ctx, *username)
		if err != nil {
			return err
		}
		tw := e.table("ID", "USERNAME", "NAME", "CREATED", "REVOKED")
		for _, d := range ds {
			revoked := ""
			if !d.RevokedAt.IsZero() {
				revoked = d.RevokedAt.UTC().Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", d.ID, d.Username, d.Name, d.CreatedAt.UTC().Format(time.DateTime), revoked)
		}
		return tw.Flush()
	})
}

func deviceRevoke(ctx context.Context, e *env, args []string) error {
	fs := e.flags("device revoke", "device revoke --id N")
	dsn := e.dbFlag(fs, "tambon.db")
	id := fs.Int64("id", 0, "the device's number (tambon device list)")
	return e.withStore(ctx, fs, dsn, args, func(s *store.Store) error {
		if err := s.RevokeDevice(ctx, *id, "cli"); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "device %d revoked: its token no longer works\n", *id)
		return nil
	})
}
