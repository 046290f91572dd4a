package user_test

import (
	"context"
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
	ctx := context.Background()
	if ok, err := user.CheckPassword(ctx, h, "ขอนแก่น-2564"); !ok || err != nil {
		t.Errorf("the right password was refused: %v", err)
	}
	for _, wrong := range []string{"", "ขอนแก่น-2563", "ขอนแก่น-2564 "} {
		if ok, _ := user.CheckPassword(ctx, h, wrong); ok {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	h2, _ := user.HashPassword("ขอนแก่น-2564")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if ok, _ := user.CheckPassword(ctx, "$argon2id$garbage", "x"); ok {
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
