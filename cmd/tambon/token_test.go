package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

// `tambon token issue` prints the token once and keeps its hash; `list`
// shows it without the secret; `revoke` stops it. Bad input is refused in
// Thai and English.
func TestTokenCommands(t *testing.T) {
	db := tempDB(t)
	if _, _, err := run(t, nil, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TAMBON_DB": db}
	expires := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	for _, c := range []struct {
		args []string
		why  string
	}{
		{[]string{"--name", "Power BI", "--area", "70", "--expires", expires}, "not valid"},
		{[]string{"--name", "pbi", "--role", "root", "--area", "70", "--expires", expires}, "unknown role"},
		{[]string{"--name", "pbi", "--area", "99", "--expires", expires}, "no area has the code"},
		{[]string{"--name", "pbi", "--area", "70", "--expires", "2020-01-01"}, "after today"},
		{[]string{"--name", "pbi", "--area", "70", "--expires", time.Now().AddDate(2, 0, 0).Format(time.DateOnly)}, "a year at most"},
	} {
		_, _, err := run(t, env, "", append([]string{"token", "issue"}, c.args...)...)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err).EN, c.why) || apperr.MessageOf(err).TH == "" {
			t.Errorf("%v: %v, want invalid saying %q", c.args, err, c.why)
		}
	}
	out, _, err := run(t, env, "", "token", "issue", "--name", "powerbi-70", "--role", "viewer", "--area", "70", "--expires", expires)
	if err != nil {
		t.Fatal(err)
	}
	secret := regexp.MustCompile(`shown once\): (tbn_\S+)`).FindStringSubmatch(out)
	if secret == nil {
		t.Fatalf("no token printed:\n%s", out)
	}
	s := openTest(t, db)
	tok, err := s.TokenByHash(context.Background(), user.TokenHash(secret[1]))
	if err != nil || tok.Name != "powerbi-70" || tok.Role != user.Viewer || tok.CreatedBy != "cli" {
		t.Fatalf("the printed token is not stored: %+v, %v", tok, err)
	}
	list, _, err := run(t, env, "", "token", "list")
	if err != nil || !strings.Contains(list, "powerbi-70") || !strings.Contains(list, "live") || strings.Contains(list, secret[1]) {
		t.Fatalf("list: %v\n%s", err, list)
	}
	if _, _, err := run(t, env, "", "token", "revoke", "--id", "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenByHash(context.Background(), user.TokenHash(secret[1])); !apperr.Is(err, apperr.Unauthorized) {
		t.Errorf("a revoked token is still found: %v", err)
	}
	if list, _, _ := run(t, env, "", "token", "list"); !strings.Contains(list, "revoked") {
		t.Errorf("list after revoke:\n%s", list)
	}
}
