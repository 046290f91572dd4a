package main

import (
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

// `tambon user create` and `passwd` apply the password policy and say why
// a password is refused.
func TestUserPasswordPolicy(t *testing.T) {
	db := tempDB(t)
	if _, _, err := run(t, nil, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TAMBON_DB": db}
	tests := []struct {
		name, password, why string
	}{
		{"eight digits", "12345678", "10 to 200"},
		{"the word password", "password", "10 to 200"},
		{"twelve spaces", strings.Repeat(" ", 12), "only spaces"},
		{"a common password", "1234567890", "common"},
		{"the username inside", "somchai-2567", "username"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, env, tc.password+"\n", "user", "create", "--username", "somchai", "--role", "tambon", "--area", "700513")
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err).EN, tc.why) || apperr.MessageOf(err).TH == "" {
				t.Errorf("create: %v, want invalid saying %q", err, tc.why)
			}
		})
	}
	if _, _, err := run(t, env, "ข้าวเหนียว-มะม่วง\n", "user", "create", "--username", "somchai", "--role", "tambon", "--area", "700513"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run("passwd: "+tc.name, func(t *testing.T) {
			_, _, err := run(t, env, tc.password+"\n", "user", "passwd", "--username", "somchai")
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err).EN, tc.why) {
				t.Errorf("passwd: %v, want invalid saying %q", err, tc.why)
			}
		})
	}
}

// The demo's password satisfies the policy for every demo account.
func TestDemoPasswordSatisfiesThePolicy(t *testing.T) {
	for _, u := range demoUsers {
		if err := user.ValidPassword(u.Username, demoPassword); err != nil {
			t.Errorf("%s: %v", u.Username, err)
		}
	}
}
