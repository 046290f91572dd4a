package main

import (
	"net"
	"os"
	"strings"
	"testing"

	"tambon/internal/apperr"
)

func TestHelpAndVersion(t *testing.T) {
	out, _, err := run(t, nil, "", "help")
	if err != nil || !strings.Contains(out, "serve") || !strings.Contains(out, "demo") {
		t.Fatalf("help: %v\n%s", err, out)
	}
	for _, c := range []string{"serve", "demo", "migrate", "version"} {
		out, _, err := run(t, nil, "", c, "--help")
		if err != nil || !strings.Contains(out, "Usage: tambon "+c) {
			t.Errorf("%s --help: %v\n%s", c, err, out)
		}
	}
	if _, _, err := run(t, nil, "", "frobnicate"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("unknown command: %v", err)
	}
	if out, _, err := run(t, nil, "", "version"); err != nil || !strings.HasPrefix(out, "tambon ") {
		t.Errorf("version: %q %v", out, err)
	}
}

func TestMigrateAndUsers(t *testing.T) {
	db := tempDB(t)
	out, _, err := run(t, nil, "", "migrate", "--db", db)
	if err != nil || !strings.Contains(out, "77 provinces") {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	env := map[string]string{"TAMBON_DB": db}
	if _, _, err := run(t, env, "secret-password\n", "user", "create", "--username", "somchai", "--role", "tambon", "--area", "700513", "--name", "สมชาย"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, env, "secret-password\n", "user", "create", "--username", "somchai", "--role", "tambon", "--area", "700513"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("duplicate user: %v", err)
	}
	if _, _, err := run(t, env, "short\n", "user", "create", "--username", "b", "--role", "tambon"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad user accepted: %v", err)
	}
	if _, _, err := run(t, env, "", "user", "create", "--username", "bb", "--role", "king", "--password", "long-enough"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad role accepted: %v", err)
	}
	out, _, err = run(t, env, "", "user", "list")
	if err != nil || !strings.Contains(out, "somchai") || !strings.Contains(out, "700513") {
		t.Errorf("user list: %v\n%s", err, out)
	}
	if _, _, err := run(t, env, "another-password\n", "user", "passwd", "--username", "somchai"); err != nil {
		t.Errorf("passwd: %v", err)
	}
	if _, _, err := run(t, env, "another-password\n", "user", "passwd", "--username", "ghost"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("passwd ghost: %v", err)
	}
}

// A wrong DSN, a bad file and a taken port each give one clear sentence.
func TestStartupFailuresAreOneSentence(t *testing.T) {
	notDB := tempDB(t)
	os.WriteFile(notDB, []byte(strings.Repeat("not a database ", 40)), 0o644)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"postgres refused", []string{"migrate", "--db", "postgres://tambon@127.0.0.1:1/x?connect_timeout=2"}, "cannot connect to PostgreSQL at 127.0.0.1:1"},
		{"postgres garbage", []string{"migrate", "--db", "postgres://%zz"}, "not a valid PostgreSQL address"},
		{"not sqlite", []string{"migrate", "--db", notDB}, "is not a SQLite database"},
		{"port taken", []string{"serve", "--db", tempDB(t), "--addr", ln.Addr().String()}, "already in use"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, nil, "", tc.args...)
			if err == nil {
				t.Fatal("no error")
			}
			msg := describe(err)
			if !strings.Contains(msg, tc.want) {
				t.Errorf("message %q does not say %q", msg, tc.want)
			}
			if strings.Count(msg, "\n") > 0 || strings.Contains(msg, "goroutine") {
				t.Errorf("message is not one sentence: %q", msg)
			}
		})
	}
}

func TestSubcommandsAreDispatchedAndUnknownOnesNamed(t *testing.T) {
	for _, cmd := range []string{"user", "device", "import"} {
		if out, _, err := run(t, nil, "", cmd, "--help"); err != nil || !strings.Contains(out, "Usage: tambon "+cmd) {
			t.Errorf("tambon %s --help: %v, %q", cmd, err, out)
		}
		if _, _, err := run(t, nil, "", cmd); err == nil {
			t.Errorf("tambon %s with no subcommand succeeded", cmd)
		}
	}
	_, _, err := run(t, nil, "", "import", "village")
	if err == nil || !strings.Contains(err.Error(), "known: households, villages, tpmap") || !strings.Contains(apperr.MessageOf(err).TH, "ไม่รู้จักคำสั่ง import village") {
		t.Errorf("tambon import village: %v; want it refused, naming the known kinds in Thai and English", err)
	}
}
