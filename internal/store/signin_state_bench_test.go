package store_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"tambon/internal/signin"
	"tambon/internal/store/storetest"
)

// BenchmarkSignInCounter times one failed sign-in through the gate with the
// counts in memory (one process) and in the database (shared by processes),
// with a password check that costs nothing, so the difference is the
// counter's. A real check is an argon2id hash (BenchmarkFailedSignIn in
// internal/signin).
func BenchmarkSignInCounter(b *testing.B) {
	open := signin.Rule{Free: 1 << 30, Delay: time.Second, MaxDelay: time.Second, LockAfter: 1 << 30, Lock: time.Second, Forget: time.Hour}
	check := func(context.Context, string, string) (bool, error) { return false, nil }
	run := func(b *testing.B, counter signin.Counter) {
		g := signin.New(signin.Config{Counter: counter, Account: open, Address: open, Check: check})
		i := 0
		for b.Loop() {
			r := httptest.NewRequest("POST", "/login", nil)
			r.RemoteAddr = fmt.Sprintf("198.51.100.%d:1", i%200)
			i++
			if _, err := g.Password(context.Background(), r, signinPeople, signin.Web, fmt.Sprint("user", i%1000), "wrong"); err != signin.ErrWrong {
				b.Fatal(err)
			}
		}
	}
	b.Run("memory", func(b *testing.B) { run(b, signin.NewMemory(signin.DefaultKeys)) })
	b.Run("sqlite", func(b *testing.B) { run(b, storetest.MustOpenSQLite(b).SignInCounter()) })
	b.Run("postgres", func(b *testing.B) {
		run(b, storetest.MustOpenDSN(b, storetest.PostgresDSN(b)).SignInCounter())
	})
}
