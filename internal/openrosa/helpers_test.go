package openrosa_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/openrosa"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/user"
	"tambon/internal/xform"
)

var embeddedTree = sync.OnceValues(area.Embedded)

func mustTree(tb testing.TB) *area.Tree {
	tb.Helper()
	t, err := embeddedTree()
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// adapter fits the SQL store to openrosa.Store, as cmd/tambon does.
type adapter struct{ *store.Store }

func (s adapter) SubmitBatch(ctx context.Context, items []openrosa.Item) ([]openrosa.Result, error) {
	in := make([]store.SubmitItem, len(items))
	for i, it := range items {
		in[i] = store.SubmitItem{Sub: it.Sub, Household: it.Household, Engine: it.Engine, Scope: it.Scope}
		if it.Visit != nil {
			in[i].Visit = &store.VisitOutcome{Key: it.Visit.Key, Outcome: it.Visit.Outcome}
		}
	}
	res, err := s.Store.SubmitBatch(ctx, in)
	if err != nil {
		return nil, err
	}
	out := make([]openrosa.Result, len(res))
	for i, r := range res {
		out[i] = openrosa.Result{Submission: r.Submission, Duplicate: r.Duplicate, Err: r.Err}
	}
	return out, nil
}

const (
	roundID  = "bmn-2564"
	tambon   = "700513" // ตำบลเขาขลุง, อำเภอบ้านโป่ง, ราชบุรี
	village  = "70051301"
	password = "correct horse battery"
)

// fixture is a running OpenRosa server with a round, an enumerator of one
// tambon (somchai) and a device token of theirs.
type fixture struct {
	ts    *httptest.Server
	store *store.Store
	form  *xform.Form
	eng   *engine.Engine
	token string
}

func newFixture(tb testing.TB, maxSubmission int64) *fixture {
	tb.Helper()
	return newFixtureOn(tb, storetest.MustOpenSQLite(tb), maxSubmission)
}

func newFixtureOn(tb testing.TB, s *store.Store, maxSubmission int64) *fixture {
	tb.Helper()
	return newFixtureWith(tb, s, func(c *openrosa.Config) { c.MaxSubmission = maxSubmission })
}

// newFixtureWith is newFixtureOn with the server's Config adjusted by set.
func newFixtureWith(tb testing.TB, s *store.Store, set func(*openrosa.Config)) *fixture {
	tb.Helper()
	ctx := context.Background()
	r := survey.Round{ID: roundID, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}
	if err := s.CreateRound(ctx, r); err != nil {
		tb.Fatal(err)
	}
	eng, err := engine.ForRound(r)
	if err != nil {
		tb.Fatal(err)
	}
	// Households already stored in the tambon and in another one: the
	// preload CSV must list the first only.
	for _, v := range []string{village, "70051302", otherVillage(tb)} {
		hs := surveyfile.Example(eng.Set(), v, 3, 99)
		for _, h := range hs {
			h.RoundID = roundID
		}
		if _, err := s.WriteHouseholds(ctx, eng, roundID, hs, "seed", nil); err != nil {
			tb.Fatal(err)
		}
	}
	hash, err := user.HashPassword(password)
	if err != nil {
		tb.Fatal(err)
	}
	u, err := s.CreateUser(ctx, user.User{Username: "somchai", DisplayName: "สมชาย", PasswordHash: hash, Role: user.Enumerator, AreaCode: tambon})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, user.User{Username: "viewer", PasswordHash: hash, Role: user.Viewer, AreaCode: tambon}); err != nil {
		tb.Fatal(err)
	}
	token := openrosa.NewToken()
	if _, err := s.CreateDevice(ctx, xform.Device{UserID: u.ID, Username: u.Username, Name: "Somchai's phone", CreatedBy: "test",
		DigestHA1: openrosa.HA1(u.Username, token)}, openrosa.TokenHash(token)); err != nil {
		tb.Fatal(err)
	}
	cfg := openrosa.Config{Store: adapter{s}, Areas: mustTree(tb), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	set(&cfg)
	srv := openrosa.New(cfg)
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	f, err := xform.Build(r, eng.Set())
	if err != nil {
		tb.Fatal(err)
	}
	return &fixture{ts: ts, store: s, form: f, eng: eng, token: token}
}

// otherVillage is a village of Ratchaburi outside the enumerator's tambon.
func otherVillage(tb testing.TB) string {
	for _, a := range mustTree(tb).All() {
		if a.Level == area.Village && strings.HasPrefix(a.Code, "7001") {
			return a.Code
		}
	}
	tb.Fatal("no village in amphoe 7001")
	return ""
}

// keyURL is the server URL a device configured with its token uses.
func (f *fixture) keyURL() string { return f.ts.URL + "/openrosa/key/" + f.token }

// household returns a valid new household of the village, numbered n.
func (f *fixture) household(n int) *survey.Household {
	h := surveyfile.Example(f.eng.Set(), village, 1, uint64(1000+n))[0]
	h.RoundID, h.HouseNo, h.HouseCode = roundID, fmt.Sprintf("900/%d", n), ""
	// IDs unique to n, with a correct check digit.
	for i := range h.Members {
		h.Members[i].CitizenID = citizenID(fmt.Sprintf("5%06d%05d", n, i))
	}
	return h
}

func citizenID(first12 string) string {
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(first12[i]-'0') * (13 - i)
	}
	return first12 + fmt.Sprint((11-sum%11)%10)
}

// collectBody builds the multipart body ODK Collect sends: the instance as
// xml_submission_file (text/xml, named after the instance file), then each
// media file as a part named by its file name.
func collectBody(xmlData []byte, media map[string][]byte) (*bytes.Buffer, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="xml_submission_file"; filename="tambon-bmn-2564_2026-12-04_08-15-00.xml"`)
	h.Set("Content-Type", "text/xml; charset=utf-8")
	p, _ := mw.CreatePart(h)
	p.Write(xmlData)
	for name, data := range media {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, name, name))
		h.Set("Content-Type", "image/jpeg")
		p, _ := mw.CreatePart(h)
		p.Write(data)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

// collectRequest sets the headers ODK Collect sends on every request.
func collectRequest(method, url string, body io.Reader) *http.Request {
	req, _ := http.NewRequest(method, url, body)
	req.Header.Set("X-OpenRosa-Version", "1.0")
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	req.Header.Set("User-Agent", "org.odk.collect.android/v2024.3.5 Dalvik/2.1.0")
	req.Header.Set("Accept-Encoding", "gzip")
	return req
}

func do(tb testing.TB, req *http.Request) (*http.Response, string) {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// post submits an instance the way Collect does, to a server base URL.
func post(tb testing.TB, base string, xmlData []byte, media map[string][]byte) (*http.Response, string) {
	tb.Helper()
	body, ct := collectBody(xmlData, media)
	req := collectRequest("POST", base+"/submission?deviceID=collect:test", body)
	req.Header.Set("Content-Type", ct)
	return do(tb, req)
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func md5hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

func mustContain(tb testing.TB, what, body string, wants ...string) {
	tb.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			tb.Fatalf("%s lacks %q:\n%s", what, w, body)
		}
	}
}
