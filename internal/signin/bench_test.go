package signin_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"tambon/internal/signin"
	"tambon/internal/user"
)

// BenchmarkFailedSignIn times each way a sign-in fails, with real argon2id
// hashes and the limiter out of the way: the times should match, so that
// they do not tell an unknown name from a wrong password.
func BenchmarkFailedSignIn(b *testing.B) {
	hash, err := user.HashPassword("right-password-1")
	if err != nil {
		b.Fatal(err)
	}
	us := accounts{
		"somchai":  {Username: "somchai", PasswordHash: hash, Role: user.Enumerator, AreaCode: "70"},
		"disabled": {Username: "disabled", PasswordHash: hash, Role: user.Enumerator, AreaCode: "70", Disabled: true},
		"viewer":   {Username: "viewer", PasswordHash: hash, Role: user.Viewer, AreaCode: "70"},
	}
	open := signin.Rule{Free: 1 << 30, Delay: time.Second, MaxDelay: time.Second, LockAfter: 1 << 30, Lock: time.Second, Forget: time.Hour}
	g := signin.New(signin.Config{Account: open, Address: open})
	r := httptest.NewRequest("POST", "/login", nil)
	for _, c := range []struct {
		name, username, password string
		door                     signin.Door
	}{
		{"wrong password", "somchai", "wrong-password", signin.Collect},
		{"unknown user", "nobody", "right-password-1", signin.Collect},
		{"disabled account", "disabled", "right-password-1", signin.Collect},
		{"role without the door", "viewer", "right-password-1", signin.Collect},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := g.Password(context.Background(), r, us, c.door, c.username, c.password); err != signin.ErrWrong {
					b.Fatal(err)
				}
			}
		})
	}
}
