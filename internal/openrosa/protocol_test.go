package openrosa_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tambon/internal/openrosa"
	"tambon/internal/store"
	"tambon/internal/xform"
)

// The first thing Collect does: HEAD the submission URL. Without
// credentials it must be challenged (Digest and Basic); with them, 204 and
// the headers that prove an OpenRosa server.
func TestHeadSubmission(t *testing.T) {
	f := newFixture(t, 0)
	resp, _ := do(t, collectRequest("HEAD", f.ts.URL+"/openrosa/submission", nil))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("HEAD without credentials: %d, want 401", resp.StatusCode)
	}
	ch := strings.Join(resp.Header.Values("WWW-Authenticate"), "\n")
	mustContain(t, "the challenge", ch, `Digest realm="tambon"`, `qop="auth"`, `Basic realm="tambon"`)
	if resp.Header.Get("X-OpenRosa-Version") != "1.0" {
		t.Error("the 401 lacks X-OpenRosa-Version")
	}
	resp, _ = do(t, collectRequest("HEAD", f.keyURL()+"/submission", nil))
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("HEAD with a device token: %d, want 204", resp.StatusCode)
	}
	for _, h := range []string{"X-OpenRosa-Version", "X-OpenRosa-Accept-Content-Length", "Date"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("HEAD 204 lacks %s", h)
		}
	}
	if resp.Header.Get("X-OpenRosa-Accept-Content-Length") != fmt.Sprint(50<<20) {
		t.Errorf("X-OpenRosa-Accept-Content-Length = %s", resp.Header.Get("X-OpenRosa-Accept-Content-Length"))
	}
	resp, _ = do(t, collectRequest("HEAD", f.ts.URL+"/openrosa/key/not-a-token/submission", nil))
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("HEAD with an unknown token: %d, want 403", resp.StatusCode)
	}
}

// Refusals carry the same OpenRosa headers as successes; every 401 carries a
// challenge (RFC 7235), so a refused device token — which no username and
// password can mend — is a 403 without one.
func TestRefusalsCarryOpenRosaHeaders(t *testing.T) {
	f := newFixture(t, 0)
	viewer := collectRequest("GET", f.ts.URL+"/openrosa/formList", nil)
	viewer.SetBasicAuth("viewer", password)
	noPermission := collectRequest("GET", f.ts.URL+"/openrosa/formList", nil)
	noPermission.SetBasicAuth("somchai", password)
	for _, c := range []struct {
		name      string
		req       *http.Request
		status    int
		challenge bool
	}{
		{"no credentials", collectRequest("GET", f.ts.URL+"/openrosa/formList", nil), http.StatusUnauthorized, true},
		{"a wrong password", viewer, http.StatusUnauthorized, true},
		{"an unknown token", collectRequest("GET", f.ts.URL+"/openrosa/key/"+openrosa.NewToken()+"/formList", nil), http.StatusForbidden, false},
		{"an unknown token, unknown address", collectRequest("GET", f.ts.URL+"/openrosa/key/"+openrosa.NewToken()+"/nothing-here", nil), http.StatusForbidden, false},
	} {
		resp, body := do(t, c.req)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, resp.StatusCode, c.status, body)
			continue
		}
		if got := len(resp.Header.Values("WWW-Authenticate")) > 0; got != c.challenge {
			t.Errorf("%s: WWW-Authenticate %v, want a challenge: %v", c.name, resp.Header.Values("WWW-Authenticate"), c.challenge)
		}
		if resp.Header.Get("X-OpenRosa-Version") != "1.0" || resp.Header.Get("X-OpenRosa-Accept-Content-Length") != fmt.Sprint(50<<20) {
			t.Errorf("%s: X-OpenRosa-Version %q, X-OpenRosa-Accept-Content-Length %q", c.name,
				resp.Header.Get("X-OpenRosa-Version"), resp.Header.Get("X-OpenRosa-Accept-Content-Length"))
		}
		mustContain(t, c.name, body, `<OpenRosaResponse`, `nature="error"`)
	}
}

// Under a good device token an unknown address or method is 404, never a
// login challenge; without credentials it stays a 401.
func TestUnknownAddressUnderAToken(t *testing.T) {
	f := newFixture(t, 0)
	for _, c := range []struct{ method, path string }{
		{"GET", "/nothing-here"},
		{"GET", "/forms/" + f.form.ID + "/something"},
		{"PUT", "/formList"},
		{"GET", "/"},
	} {
		resp, body := do(t, collectRequest(c.method, f.keyURL()+c.path, nil))
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s %s under a good token: %d, want 404 or 405: %s", c.method, c.path, resp.StatusCode, body)
		}
		if ch := resp.Header.Values("WWW-Authenticate"); len(ch) > 0 {
			t.Errorf("%s %s under a good token carries a challenge %v", c.method, c.path, ch)
		}
		if resp.Header.Get("X-OpenRosa-Version") != "1.0" {
			t.Errorf("%s %s lacks X-OpenRosa-Version", c.method, c.path)
		}
	}
	if resp, _ := do(t, collectRequest("GET", f.ts.URL+"/openrosa/nothing-here", nil)); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an unknown address without credentials: %d, want 401", resp.StatusCode)
	}
}

// descriptionText belongs to the verbose form list only (OpenRosa Form List API).
func TestFormListDescriptionOnlyWhenVerbose(t *testing.T) {
	f := newFixture(t, 0)
	for _, c := range []struct {
		query string
		want  bool
	}{{"", false}, {"?verbose=false", false}, {"?verbose=true", true}, {"?verbose=true&formID=" + f.form.ID, true}} {
		resp, list := do(t, collectRequest("GET", f.keyURL()+"/formList"+c.query, nil))
		if resp.StatusCode != http.StatusOK || !strings.Contains(list, "<formID>"+f.form.ID+"</formID>") {
			t.Fatalf("formList%s: %d %s", c.query, resp.StatusCode, list)
		}
		if got := strings.Contains(list, "<descriptionText>"); got != c.want {
			t.Errorf("formList%s: descriptionText present %v, want %v:\n%s", c.query, got, c.want, list)
		}
	}
}

// formList → download → manifest → media, as Collect's "Get blank form".
func TestFormListDownloadManifest(t *testing.T) {
	f := newFixture(t, 0)
	resp, list := do(t, collectRequest("GET", f.keyURL()+"/formList", nil))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
		t.Fatalf("formList: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	mustContain(t, "formList", list, `<xforms xmlns="http://openrosa.org/xforms/xformsList">`, "<formID>"+f.form.ID+"</formID>",
		"<version>"+f.form.Version+"</version>", "<hash>md5:"+f.form.MD5+"</hash>")
	download := regexp.MustCompile(`<downloadUrl>([^<]+)</downloadUrl>`).FindStringSubmatch(list)
	manifest := regexp.MustCompile(`<manifestUrl>([^<]+)</manifestUrl>`).FindStringSubmatch(list)
	if download == nil || manifest == nil {
		t.Fatalf("formList lacks downloadUrl or manifestUrl:\n%s", list)
	}
	_, form := do(t, collectRequest("GET", download[1], nil))
	if md5hex([]byte(form)) != f.form.MD5 {
		t.Fatal("the downloaded form does not match the hash in formList: Collect would refuse it")
	}
	_, man := do(t, collectRequest("GET", manifest[1], nil))
	mustContain(t, "manifest", man, `<manifest xmlns="http://openrosa.org/xforms/xformsManifest">`,
		"<filename>villages.csv</filename>", "<filename>households.csv</filename>")
	files := regexp.MustCompile(`<filename>([^<]+)</filename>\s*<hash>md5:([0-9a-f]+)</hash>\s*<downloadUrl>([^<]+)</downloadUrl>`).FindAllStringSubmatch(man, -1)
	if len(files) != 4 {
		t.Fatalf("manifest: %s", man)
	}
	for _, m := range files {
		_, csv := do(t, collectRequest("GET", m[3], nil))
		if md5hex([]byte(csv)) != m[2] {
			t.Errorf("%s does not match its manifest hash", m[1])
		}
		lines := strings.Split(strings.TrimSpace(csv), "\n")
		for _, l := range lines[1:] {
			// Only the enumerator's tambon: villages 700513xx.
			if !strings.Contains(l, tambon) {
				t.Errorf("%s lists something outside the enumerator's area: %s", m[1], l)
			}
		}
		switch m[1] {
		case "villages.csv":
			mustContain(t, m[1], csv, "name,label\n", village)
		case "households.csv":
			// Six seeded households in the tambon (3 in each of two villages);
			// three more in another province must not be listed.
			if len(lines) != 1+6 {
				t.Errorf("households.csv has %d rows, want 6:\n%s", len(lines)-1, csv)
			}
		}
	}
	// A viewer may not collect: answered like a wrong password, so the
	// answer does not say the password was right.
	req := collectRequest("GET", f.ts.URL+"/openrosa/formList", nil)
	req.SetBasicAuth("viewer", password)
	if resp, _ := do(t, req); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a viewer's formList: %d, want 401", resp.StatusCode)
	}
}

// digestAuth answers a Digest challenge the way OkHttp's DigestAuthenticator
// (used by Collect) does: MD5, qop=auth, a client nonce and a counter.
func digestAuth(challenge, method, uri, username, secret string, nc int) string {
	get := func(k string) string {
		m := regexp.MustCompile(k + `="([^"]*)"`).FindStringSubmatch(challenge)
		if m == nil {
			return ""
		}
		return m[1]
	}
	h := func(s string) string { x := md5.Sum([]byte(s)); return hex.EncodeToString(x[:]) }
	nonce, cnonce, ncs := get("nonce"), "0a4f113b", fmt.Sprintf("%08x", nc)
	ha1 := h(username + ":" + get("realm") + ":" + secret)
	resp := h(ha1 + ":" + nonce + ":" + ncs + ":" + cnonce + ":auth:" + h(method+":"+uri))
	return fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", qop=auth, nc=%s, cnonce="%s", algorithm=MD5`,
		username, get("realm"), nonce, uri, resp, ncs, cnonce)
}

// A replayed Collect session with Digest: HEAD → 401 challenge → HEAD with
// the answer → 204 → POST with the next counter → 201. The device token is
// the Digest password; the account password cannot be (see auth.go).
func TestDigestSession(t *testing.T) {
	f := newFixture(t, 0)
	resp, _ := do(t, collectRequest("HEAD", f.ts.URL+"/openrosa/submission", nil))
	var challenge string
	for _, c := range resp.Header.Values("WWW-Authenticate") {
		if strings.HasPrefix(c, "Digest ") {
			challenge = c
		}
	}
	req := collectRequest("HEAD", f.ts.URL+"/openrosa/submission", nil)
	req.Header.Set("Authorization", digestAuth(challenge, "HEAD", "/openrosa/submission", "somchai", f.token, 1))
	if resp, _ := do(t, req); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("HEAD with Digest: %d, want 204", resp.StatusCode)
	}
	body, ct := collectBody(xform.Encode(f.form, f.eng.Set(), f.household(1), "uuid:digest-1", ""), nil)
	req = collectRequest("POST", f.ts.URL+"/openrosa/submission", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", digestAuth(challenge, "POST", "/openrosa/submission", "somchai", f.token, 2))
	resp, msg := do(t, req)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST with Digest: %d %s", resp.StatusCode, msg)
	}
	mustContain(t, "the response", msg, `<OpenRosaResponse xmlns="http://openrosa.org/http/response"`, "saved")
	// The same answer again, carrying another household, is a replay: 401
	// with stale=true (an honest client asks again) and nothing stored.
	replayed := req.Header.Get("Authorization")
	body, ct = collectBody(xform.Encode(f.form, f.eng.Set(), f.household(2), "uuid:digest-replayed", ""), nil)
	req = collectRequest("POST", f.ts.URL+"/openrosa/submission", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", replayed)
	resp, msg = do(t, req)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(strings.Join(resp.Header.Values("WWW-Authenticate"), " "), "stale=true") {
		t.Fatalf("a replayed Digest answer: %d %v %s, want 401 with stale=true", resp.StatusCode, resp.Header.Values("WWW-Authenticate"), msg)
	}
	if subs, err := f.store.Submissions(context.Background(), store.SubmissionFilter{}); err != nil || len(subs) != 1 {
		t.Errorf("after a replay the store holds %d submissions (err %v), want the 1 sent honestly", len(subs), err)
	}
	// A wrong secret, and the account password (not usable for Digest).
	for _, secret := range []string{"wrong-token", password} {
		req = collectRequest("HEAD", f.ts.URL+"/openrosa/submission", nil)
		req.Header.Set("Authorization", digestAuth(challenge, "HEAD", "/openrosa/submission", "somchai", secret, 3))
		if resp, _ := do(t, req); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Digest with %q: %d, want 401", secret, resp.StatusCode)
		}
	}
	// A forged nonce is refused even with the right secret.
	forged := strings.Replace(challenge, `nonce="`, `nonce="AAAA`, 1)
	req = collectRequest("HEAD", f.ts.URL+"/openrosa/submission", nil)
	req.Header.Set("Authorization", digestAuth(forged, "HEAD", "/openrosa/submission", "somchai", f.token, 4))
	if resp, _ := do(t, req); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a forged nonce: %d, want 401", resp.StatusCode)
	}
}

func TestBasicAuth(t *testing.T) {
	f := newFixture(t, 0)
	for _, c := range []struct {
		user, pass string
		want       int
	}{
		{"somchai", password, 200}, // the account password (argon2id)
		{"somchai", password, 200}, // again: remembered, same answer
		{"somchai", f.token, 200},  // the device token as the password
		{"somchai", "not it", 401}, // wrong
		{"nobody", password, 401},  // no such account
		{"viewer", password, 401},  // right password, no right to collect: as if wrong
	} {
		req := collectRequest("GET", f.ts.URL+"/openrosa/formList", nil)
		req.SetBasicAuth(c.user, c.pass)
		if resp, body := do(t, req); resp.StatusCode != c.want {
			t.Errorf("Basic %s/%q: %d, want %d: %s", c.user, c.pass, resp.StatusCode, c.want, body)
		}
	}
}

func count(t testing.TB, s *store.Store, area string) int {
	t.Helper()
	n, err := s.CountHouseholds(context.Background(), roundID, area)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The whole life of a submission: accepted and counted; retried (same
// bytes) → success without a second household; same instanceID with other
// bytes → 409; an edit (deprecatedID) replaces; editing the replaced one
// again → 409.
func TestSubmissionLifecycle(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	before := count(t, f.store, village)
	totals0, _ := f.store.AreaTotals(ctx, f.eng, roundID, tambon)
	h := f.household(2)
	first := xform.Encode(f.form, f.eng.Set(), h, "uuid:life-1", "")
	photo := []byte("\xff\xd8\xff\xe0 a photo of the house")
	resp, msg := post(t, f.keyURL(), first, map[string][]byte{"house.jpg": photo})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("first POST: %d %s", resp.StatusCode, msg)
	}
	mustContain(t, "the response", msg, `nature="submit_success"`, "saved")
	if got := count(t, f.store, village); got != before+1 {
		t.Fatalf("households in the village: %d, want %d", got, before+1)
	}
	totals1, _ := f.store.AreaTotals(ctx, f.eng, roundID, tambon)
	if totals1.Households != totals0.Households+1 || totals1.People != totals0.People+int64(h.ResidentCount()) {
		t.Fatalf("live statistics of the tambon: %d households %d people, want %d and %d", totals1.Households, totals1.People,
			totals0.Households+1, totals0.People+int64(h.ResidentCount()))
	}

	// Collect retries when the response was lost: same bytes, success.
	resp, msg = post(t, f.keyURL(), first, map[string][]byte{"house.jpg": photo, "late.jpg": []byte("second photo")})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("retried POST: %d %s", resp.StatusCode, msg)
	}
	mustContain(t, "the retry's response", msg, "already received")
	if got := count(t, f.store, village); got != before+1 {
		t.Fatalf("a retry added a household: %d", got)
	}

	// Same instanceID, other content: refused.
	h.Phone = "0812345678"
	changed := xform.Encode(f.form, f.eng.Set(), h, "uuid:life-1", "")
	if resp, msg := post(t, f.keyURL(), changed, nil); resp.StatusCode != http.StatusConflict {
		t.Fatalf("same instanceID, other content: %d %s, want 409", resp.StatusCode, msg)
	}

	// The edit, as Collect sends it: a new instanceID naming the old one.
	edit := xform.Encode(f.form, f.eng.Set(), h, "uuid:life-2", "uuid:life-1")
	if resp, msg := post(t, f.keyURL(), edit, nil); resp.StatusCode != http.StatusCreated {
		t.Fatalf("edit: %d %s", resp.StatusCode, msg)
	}
	if got := count(t, f.store, village); got != before+1 {
		t.Fatalf("an edit added a household instead of replacing: %d", got)
	}
	hist, err := f.store.HouseholdHistory(ctx, roundID, h.Key())
	if err != nil || len(hist) == 0 {
		t.Fatalf("the edit left no history: %v %v", hist, err)
	}
	subs, _ := f.store.Submissions(ctx, store.SubmissionFilter{Status: xform.Replaced})
	if len(subs) != 1 || subs[0].InstanceID != "uuid:life-1" || subs[0].ReplacedBy != "uuid:life-2" {
		t.Fatalf("replaced submissions: %+v", subs)
	}
	// Editing the replaced one again is a conflict.
	again := xform.Encode(f.form, f.eng.Set(), h, "uuid:life-3", "uuid:life-1")
	if resp, msg := post(t, f.keyURL(), again, nil); resp.StatusCode != http.StatusConflict {
		t.Fatalf("editing a replaced submission: %d %s, want 409", resp.StatusCode, msg)
	}
	// Everything that arrived is kept raw, with its media.
	got, err := f.store.Submission(ctx, subs[0].ID)
	if err != nil || string(got.XML) != string(first) || len(got.Media) != 2 {
		t.Fatalf("the first submission as kept: %d bytes, %d media, %v", len(got.XML), len(got.Media), err)
	}
}

// A submission that fails validation is kept for review with its reasons,
// and the device is told it arrived (so it is not sent forever).
func TestInvalidGoesToReview(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	before := count(t, f.store, village)
	h := f.household(3)
	h.Members[0].CitizenID = "1234567890123" // wrong check digit
	resp, msg := post(t, f.keyURL(), xform.Encode(f.form, f.eng.Set(), h, "uuid:bad-1", ""), nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("invalid household: %d %s", resp.StatusCode, msg)
	}
	mustContain(t, "the response", msg, "not yet saved", "members[0].citizen_id")
	if got := count(t, f.store, village); got != before {
		t.Fatal("an invalid household was written")
	}
	queue, _ := f.store.Submissions(ctx, store.SubmissionFilter{Status: xform.Review, AreaPrefix: tambon})
	if len(queue) != 1 || queue[0].Problems[0].Field != "members[0].citizen_id" {
		t.Fatalf("review queue: %+v", queue)
	}
	// A village outside the sender's area: kept for review too.
	h = f.household(4)
	h.VillageCode = otherVillage(t)
	resp, msg = post(t, f.keyURL(), xform.Encode(f.form, f.eng.Set(), h, "uuid:bad-2", ""), nil)
	if resp.StatusCode != http.StatusCreated || !strings.Contains(msg, "outside the sender") {
		t.Fatalf("out-of-area village: %d %s", resp.StatusCode, msg)
	}
}

// Malformed XML is refused (the device keeps it) but kept raw all the same;
// a retry of it is not stored twice.
func TestMalformed(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	for _, c := range []struct{ name, xml string }{
		{"broken", `<data id="tambon-bmn-2564"><village>700`},
		{"no instanceID", `<data id="tambon-bmn-2564"><village>70051301</village></data>`},
	} {
		for try := 0; try < 2; try++ {
			resp, msg := post(t, f.keyURL(), []byte(c.xml), nil)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(msg, `nature="error"`) {
				t.Fatalf("%s: %d %s, want 400 with an OpenRosaResponse", c.name, resp.StatusCode, msg)
			}
		}
	}
	kept, _ := f.store.Submissions(ctx, store.SubmissionFilter{Status: xform.Review})
	if len(kept) != 2 {
		t.Fatalf("kept %d malformed submissions, want 2 (one each, retries not doubled)", len(kept))
	}
	// Not multipart, and multipart without the XML part.
	req := collectRequest("POST", f.keyURL()+"/submission", strings.NewReader("<data/>"))
	req.Header.Set("Content-Type", "text/xml")
	if resp, _ := do(t, req); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bare XML body: %d, want 400", resp.StatusCode)
	}
}

// Oversized submissions get 413 with a clear message, whether the client
// declared the length or streamed it chunked.
func TestOversized(t *testing.T) {
	f := newFixture(t, 64<<10)
	x := xform.Encode(f.form, f.eng.Set(), f.household(5), "uuid:big-1", "")
	big := map[string][]byte{"photo.jpg": make([]byte, 100<<10)}
	resp, msg := post(t, f.keyURL(), x, big)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(msg, "larger than") {
		t.Fatalf("declared length: %d %s", resp.StatusCode, msg)
	}
	body, ct := collectBody(x, big)
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(func() error { _, err := io.Copy(pw, body); return err }()) }()
	req := collectRequest("POST", f.keyURL()+"/submission", pr)
	req.Header.Set("Content-Type", ct)
	resp, msg = do(t, req)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(msg, "larger than") {
		t.Fatalf("chunked: %d %s", resp.StatusCode, msg)
	}
	// The same instance, small enough, then goes through.
	if resp, msg := post(t, f.keyURL(), x, nil); resp.StatusCode != http.StatusCreated {
		t.Fatalf("after trimming: %d %s", resp.StatusCode, msg)
	}
}

// Servers must accept chunked transfer encoding.
func TestChunked(t *testing.T) {
	f := newFixture(t, 0)
	body, ct := collectBody(xform.Encode(f.form, f.eng.Set(), f.household(6), "uuid:chunk-1", ""), map[string][]byte{"a.jpg": []byte("jpeg")})
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(func() error { _, err := io.Copy(pw, body); return err }()) }()
	req := collectRequest("POST", f.keyURL()+"/submission", pr)
	req.Header.Set("Content-Type", ct)
	if req.ContentLength != 0 && req.ContentLength != -1 {
		t.Fatalf("the test body has a length (%d): it would not be chunked", req.ContentLength)
	}
	resp, msg := do(t, req)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("chunked POST: %d %s", resp.StatusCode, msg)
	}
}

// Collect splits a large upload into several POSTs, each repeating the XML
// byte for byte with some of the media, all but the last marked
// *isIncomplete*: one submission, every file kept.
func TestSplitUpload(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	x := xform.Encode(f.form, f.eng.Set(), f.household(7), "uuid:split-1", "")
	body, ct := collectBody(x, map[string][]byte{"a.jpg": []byte("first photo"), "*isIncomplete*": []byte("yes")})
	req := collectRequest("POST", f.keyURL()+"/submission", body)
	req.Header.Set("Content-Type", ct)
	if resp, msg := do(t, req); resp.StatusCode != http.StatusCreated {
		t.Fatalf("first part: %d %s", resp.StatusCode, msg)
	}
	if resp, msg := post(t, f.keyURL(), x, map[string][]byte{"b.jpg": []byte("second photo")}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("last part: %d %s", resp.StatusCode, msg)
	}
	subs, _ := f.store.Submissions(ctx, store.SubmissionFilter{})
	if len(subs) != 1 {
		t.Fatalf("%d submissions, want 1", len(subs))
	}
	got, _ := f.store.Submission(ctx, subs[0].ID)
	var names []string
	for _, m := range got.Media {
		names = append(names, m.Name)
	}
	if strings.Join(names, ",") != "a.jpg,b.jpg" {
		t.Fatalf("media kept: %v, want a.jpg and b.jpg", names)
	}
}

// A Digest nonce older than its life is answered with stale=true, which
// clients retry with the new nonce without asking the user again.
func TestDigestStaleNonce(t *testing.T) {
	f := newFixture(t, 0)
	var now atomic.Int64
	now.Store(time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC).Unix())
	srv := openrosa.New(openrosa.Config{Store: adapter{f.store}, Areas: mustTree(t), NonceKey: []byte("fixed key"),
		Now: func() time.Time { return time.Unix(now.Load(), 0) }})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	resp, _ := do(t, collectRequest("HEAD", ts.URL+"/openrosa/submission", nil))
	challenge := resp.Header.Values("WWW-Authenticate")[0]
	now.Add(int64(31 * time.Minute / time.Second))
	req := collectRequest("HEAD", ts.URL+"/openrosa/submission", nil)
	req.Header.Set("Authorization", digestAuth(challenge, "HEAD", "/openrosa/submission", "somchai", f.token, 1))
	resp, _ = do(t, req)
	fresh := resp.Header.Values("WWW-Authenticate")
	if resp.StatusCode != http.StatusUnauthorized || len(fresh) == 0 || !strings.Contains(fresh[0], "stale=true") {
		t.Fatalf("an old nonce: %d %v, want 401 with stale=true", resp.StatusCode, fresh)
	}
	req = collectRequest("HEAD", ts.URL+"/openrosa/submission", nil)
	req.Header.Set("Authorization", digestAuth(fresh[0], "HEAD", "/openrosa/submission", "somchai", f.token, 1))
	if resp, _ := do(t, req); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("with the new nonce: %d, want 204", resp.StatusCode)
	}
}
