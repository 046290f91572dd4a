package user_test

import (
	"strings"
	"testing"

	"tambon/internal/user"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := user.HashPassword("ขอนแก่น-2564")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not argon2id PHC", h)
	}
	if !user.CheckPassword(h, "ขอนแก่น-2564") {
		t.Error("the right password was refused")
	}
	for _, wrong := range []string{"", "ขอนแก่น-2563", "ขอนแก่น-2564 "} {
		if user.CheckPassword(h, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	h2, _ := user.HashPassword("ขอนแก่น-2564")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if user.CheckPassword("$argon2id$garbage", "x") {
		t.Error("a malformed hash matched")
	}
}

func TestValidUsername(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{{"somchai", true}, {"kk.700513", true}, {"a", false}, {"Somchai", false}, {"สมชาย", false}, {"has space", false}} {
		if err := user.ValidUsername(tc.name); (err == nil) != tc.ok {
			t.Errorf("ValidUsername(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range user.Roles {
		got, err := user.ParseRole(string(r))
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	if _, err := user.ParseRole("superuser"); err == nil {
		t.Error("unknown role accepted")
	}
}
