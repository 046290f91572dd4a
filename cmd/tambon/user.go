package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"tambon/internal/store"
	"tambon/internal/user"
)

func cmdUser(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "user", "Usage: tambon user create|passwd|list [flags]   (tambon user create --help)", args,
		subcommand{"create", userCreate}, subcommand{"passwd", userPasswd}, subcommand{"list", userList})
}

// password takes the password from the flag, TAMBON_PASSWORD, or the first
// line of standard input, so it need not appear in the shell history, and
// checks it against the password policy for the account username.
func (e *env) password(username, flagValue string) (string, error) {
	p := flagValue
	if p == "" {
		p = e.getenv("TAMBON_PASSWORD")
	}
	if p == "" && e.stdin != nil {
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		p = strings.TrimRight(line, "\r\n")
	}
	if err := user.ValidPassword(username, p); err != nil {
		return "", err
	}
	return p, nil
}

func userCreate(ctx context.Context, e *env, args []string) error {
	fs := e.flags("user create", "user create --username NAME --role ROLE --area CODE [--name 'Display name'] [--password P | TAMBON_PASSWORD | stdin]")
	dsn := e.dbFlag(fs, "tambon.db")
	username := fs.String("username", "", "username (lower-case letters, digits, . _ -)")
	name := fs.String("name", "", "display name (defaults to the username)")
	role := fs.String("role", "", "role: admin, province, district, tambon, enumerator, partner, viewer")
	areaCode := fs.String("area", "TH", "area code the account works in (TH for the whole country)")
	pw := fs.String("password", "", "password (prefer TAMBON_PASSWORD or standard input)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := user.ValidUsername(*username); err != nil {
		return err
	}
	r, err := user.ParseRole(*role)
	if err != nil {
		return err
	}
	p, err := e.password(*username, *pw)
	if err != nil {
		return err
	}
	hash, err := user.HashPassword(p)
	if err != nil {
		return err
	}
	if *name == "" {
		*name = *username
	}
	s, _, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.CreateUser(ctx, user.User{Username: *username, DisplayName: *name, PasswordHash: hash, Role: r, AreaCode: strings.ToUpper(*areaCode)})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %s (%s, area %s)\n", u.Username, u.Role, u.AreaCode)
	return nil
}

func userPasswd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("user passwd", "user passwd --username NAME [--password P | TAMBON_PASSWORD | stdin]")
	dsn := e.dbFlag(fs, "tambon.db")
	username := fs.String("username", "", "username")
	pw := fs.String("password", "", "new password (prefer TAMBON_PASSWORD or standard input)")
	if err := parse(fs, args); err != nil {
		return err
	}
	p, err := e.password(*username, *pw)
	if err != nil {
		return err
	}
	hash, err := user.HashPassword(p)
	if err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetPassword(ctx, *username, hash); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password changed for %s; their sessions were ended\n", *username)
	return nil
}

func userList(ctx context.Context, e *env, args []string) error {
	fs := e.flags("user list", "user list [--db FILE|URL]")
	dsn := e.dbFlag(fs, "tambon.db")
	return e.withStore(ctx, fs, dsn, args, func(s *store.Store) error {
		us, err := s.Users(ctx)
		if err != nil {
			return err
		}
		tw := e.table("USERNAME", "NAME", "ROLE", "AREA", "DISABLED")
		for _, u := range us {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", u.Username, u.DisplayName, u.Role, u.AreaCode, u.Disabled)
		}
		return tw.Flush()
	})
}
