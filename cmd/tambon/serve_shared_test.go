package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tambon/internal/engine"
	"tambon/internal/signin"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// Two `tambon serve` processes on one database, as behind a load balancer,
// keep every promise one process keeps: failed sign-ins sent to both are
// counted as one, a Digest answer used at one is refused at the other, a
// token revoked is refused by both, and submissions sent to both are all
// stored once. On PostgreSQL (when TAMBON_TEST_POSTGRES is set) and on one
// SQLite file.
func TestServeProcessesShareSecurityState(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		must := func(args ...string) string {
			t.Helper()
			out, errOut, err := run(t, nil, "", args...)
			if err != nil {
				t.Fatalf("%v: %v %s", args, err, errOut)
			}
			return out
		}
		must("round", "--db", db, "--year", "2564")
		must("user", "create", "--db", db, "--username", "moo4", "--role", "enumerator", "--area", "70051304", "--password", "nong-mai-fao-4")
		must("user", "create", "--db", db, "--username", "somchai", "--role", "enumerator", "--area", "70051304", "--password", "khao-khlung-2567")
		out := must("device", "create", "--db", db, "--username", "moo4", "--name", "phone")
		m := regexp.MustCompile(`device (\d+) for .*\n.*token \(shown once\): (\S+)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("device create printed no token:\n%s", out)
		}
		deviceID, token := m[1], m[2]
		a, _ := startApp(t, nil, "serve", "--db", db)
		b, _ := startApp(t, nil, "serve", "--db", db)
		servers := []string{a, b}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		do := func(req *http.Request) *http.Response {
			t.Helper()
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}

		t.Run("failed sign-ins at both are counted as one", func(t *testing.T) {
			login := func(base string) int {
				req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"username": {"somchai"}, "password": {"wrong-guess-1"}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return do(req).StatusCode
			}
			for i := range signin.AccountRule.Free {
				if got := login(servers[i%2]); got != http.StatusUnauthorized {
					t.Fatalf("wrong password %d: %d, want 401", i+1, got)
				}
			}
			for i, base := range servers {
				if got := login(base); got != http.StatusTooManyRequests {
					t.Errorf("wrong password %d after %d free ones, at process %d: %d, want 429 as at one process",
						signin.AccountRule.Free+1+i, signin.AccountRule.Free, i+1, got)
				}
			}
		})

		t.Run("a Digest answer is good once at either", func(t *testing.T) {
			req, _ := http.NewRequest("GET", a+"/openrosa/formList", nil)
			resp := do(req)
			nonce := regexp.MustCompile(`Digest [^,]*,.*nonce="([^"]+)"`).FindStringSubmatch(resp.Header.Get("WWW-Authenticate"))
			if resp.StatusCode != http.StatusUnauthorized || nonce == nil {
				t.Fatalf("challenge: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
			answer := func(nc int) string {
				h := func(s string) string { b := md5.Sum([]byte(s)); return hex.EncodeToString(b[:]) }
				ha1, uri, ncs := h("moo4:tambon:"+token), "/openrosa/formList", fmt.Sprintf("%08x", nc)
				resp := h(ha1 + ":" + nonce[1] + ":" + ncs + ":c0ffee:auth:" + h("GET:"+uri))
				return fmt.Sprintf(`Digest username="moo4", realm="tambon", nonce="%s", uri="%s", response="%s", qop=auth, nc=%s, cnonce="c0ffee", algorithm=MD5`,
					nonce[1], uri, resp, ncs)
			}
			send := func(base, auth string) int {
				req, _ := http.NewRequest("GET", base+"/openrosa/formList", nil)
				req.Header.Set("Authorization", auth)
				req.Header.Set("X-OpenRosa-Version", "1.0")
				return do(req).StatusCode
			}
			if got := send(a, answer(1)); got != http.StatusOK {
				t.Fatalf("the answer at the process that gave the nonce: %d, want 200", got)
			}
			if got := send(b, answer(1)); got != http.StatusUnauthorized {
				t.Errorf("the same answer replayed at the other process: %d, want 401", got)
			}
			if got := send(b, answer(2)); got != http.StatusOK {
				t.Errorf("the next nonce count at the other process: %d, want 200 (the nonce is good at both)", got)
			}
			if got := send(a, answer(2)); got != http.StatusUnauthorized {
				t.Errorf("that answer replayed back at the first: %d, want 401", got)
			}
		})

		// Submissions sent alternately to both are all stored, none twice.
		t.Run("submissions to both are stored once", func(t *testing.T) {
			s, err := store.Open(context.Background(), db, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rd, err := s.Round(context.Background(), "bmn-2564")
			if err != nil {
				t.Fatal(err)
			}
			eng, err := engine.ForRound(rd)
			if err != nil {
				t.Fatal(err)
			}
			f, err := xform.Build(rd, eng.Set())
			if err != nil {
				t.Fatal(err)
			}
			hs := surveyfile.Example(eng.Set(), "70051304", 6, 41)
			submit := func(base string, h *survey.Household, id string) int {
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				part, _ := mw.CreateFormFile("xml_submission_file", "instance.xml")
				part.Write(xform.Encode(f, eng.Set(), h, id, ""))
				mw.Close()
				req, _ := http.NewRequest("POST", base+"/openrosa/key/"+token+"/submission", &body)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("X-OpenRosa-Version", "1.0")
				return do(req).StatusCode
			}
			for i, h := range hs {
				h.RoundID, h.HouseCode = rd.ID, ""
				if got := submit(servers[i%2], h, fmt.Sprintf("uuid:shared-%d", i)); got != http.StatusCreated {
					t.Fatalf("submission %d: %d, want 201", i+1, got)
				}
			}
			// A phone that did not hear the answer sends again, to the other.
			if got := submit(servers[1], hs[0], "uuid:shared-0"); got >= 300 {
				t.Errorf("a resent submission: %d", got)
			}
			n := 0
			if err := s.EachHousehold(context.Background(), rd.ID, "70051304", func(survey.Record) error { n++; return nil }); err != nil {
				t.Fatal(err)
			}
			if n != len(hs) {
				t.Errorf("%d households stored of %d sent alternately (one sent twice), want %d", n, len(hs), len(hs))
			}
		})

		t.Run("a revoked token is refused by both", func(t *testing.T) {
			formList := func(base string) int {
				req, _ := http.NewRequest("GET", base+"/openrosa/key/"+token+"/formList", nil)
				req.Header.Set("X-OpenRosa-Version", "1.0")
				return do(req).StatusCode
			}
			for i, base := range servers {
				if got := formList(base); got != http.StatusOK {
					t.Fatalf("the token at process %d before revoking: %d", i+1, got)
				}
			}
			must("device", "revoke", "--db", db, "--id", deviceID)
			time.Sleep(1100 * time.Millisecond) // the stated bound: a check is kept at most a second
			for i, base := range servers {
				// The token door has no challenge to offer: 401 or 403.
				if got := formList(base); got != http.StatusUnauthorized && got != http.StatusForbidden {
					t.Errorf("the revoked token at process %d: %d, want it refused (401 or 403)", i+1, got)
				}
			}
		})
	})
}
