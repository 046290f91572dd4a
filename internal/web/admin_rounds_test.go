package web_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tambon/internal/openrosa"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

// roundIDs lists the household and village rounds in the store.
func roundIDs(t *testing.T, s *store.Store) []string {
	t.Helper()
	ctx := context.Background()
	rs, err := s.Rounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := s.VillageRounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	for _, r := range vs {
		out = append(out, "v:"+r.ID)
	}
	return out
}

func TestAdminOpensRoundsOnThePage(t *testing.T) {
	app := mustAdminApp(t)
	ctx := context.Background()
	admin := app.as(t, "admin")
	status, body, _ := admin.get("/admin/rounds")
	mustStatus(t, "rounds page", status, http.StatusOK, body)
	for _, want := range []string{`id="round-` + round2562 + `"`, `id="round-` + roundTPMAP + `"`, `action="/admin/rounds/household"`, `action="/admin/rounds/village"`, `value="bmn-2566-2570"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the rounds page lacks %s", want)
		}
	}
	// The fixture's bmn-2562 holds 4 villages of 12, 15, 18 and 21 households.
	if !regexp.MustCompile(`id="round-` + round2562 + `">(?:.|\n)*?<td>2562</td><td>2561</td>(?:.|\n)*?<td>66</td></tr>`).MatchString(body) {
		t.Errorf("the bmn-2562 row does not show survey year 2562, reference year 2561 and 66 households")
	}

	// A household round with the defaults: bmn-YEAR and the set covering it.
	status, body, h := admin.post("/admin/rounds/household", url.Values{"survey_year": {"2567"}, "set": {""}, "id": {""}})
	mustStatus(t, "open bmn-2567", status, http.StatusSeeOther, body)
	if loc := h.Get("Location"); loc != "/admin/rounds?done=household&round=bmn-2567" {
		t.Errorf("redirected to %q", loc)
	}
	r, err := app.store.Round(ctx, "bmn-2567")
	if err != nil {
		t.Fatalf("the page did not create bmn-2567: %v", err)
	}
	if r.SurveyYear != 2567 || r.SetID != "bmn-2566-2570" || r.ReferenceYear() != 2566 || r.AggregateOnly {
		t.Errorf("created %+v", r)
	}
	_, body, _ = admin.get("/admin/rounds?done=household&round=bmn-2567")
	if !strings.Contains(body, `id="rounds-done"`) || !strings.Contains(body, `id="round-bmn-2567"`) {
		t.Error("the page does not list the new round with a notice")
	} else if notice := body[strings.Index(body, `id="rounds-done"`):]; !strings.Contains(notice[:strings.Index(notice, "</p>")], "จปฐ. ปี 2567") {
		t.Errorf("the notice does not name the round: %.200s", notice)
	}
	// A village round with its own id and set.
	status, body, _ = admin.post("/admin/rounds/village", url.Values{"survey_year": {"2566"}, "set": {"kcc2k-2560-2564"}, "id": {"kcc2k-2566-pilot"}})
	mustStatus(t, "open kcc2k-2566-pilot", status, http.StatusSeeOther, body)
	vr, err := app.store.VillageRound(ctx, "kcc2k-2566-pilot")
	if err != nil || vr.SurveyYear != 2566 || vr.SetID != "kcc2k-2560-2564" {
		t.Fatalf("village round %+v, %v", vr, err)
	}
	_, body, _ = admin.get("/admin/rounds?done=village&round=kcc2k-2566-pilot")
	row := body[strings.Index(body, `id="vround-kcc2k-2566-pilot"`):]
	if row = row[:strings.Index(row, "</tr>")]; !strings.Contains(row, `<span class="muted small">`) || !strings.Contains(body, "เปิดรอบ กชช. 2ค ปี 2566 แล้ว") {
		t.Errorf("the village round's set is not named, or the notice not the round: %s", row)
	}
	// Both are in the audit log, by the administrator.
	got := strings.Join(auditObjects(t, admin, "user=admin"), "\n")
	for _, want := range []string{"round.create round:bmn-2567", "village-round.create village-round:kcc2k-2566-pilot"} {
		if !strings.Contains(got, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, got)
		}
	}
}

func TestRoundFormRefusals(t *testing.T) {
	app := mustAdminApp(t)
	admin := app.as(t, "admin")
	before := roundIDs(t, app.store)
	field := func(body, id string) string {
		m := regexp.MustCompile(`<span class="hh-msg" id="` + id + `-msg"[^>]*>([^<]*)</span>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no message span for %s", id)
		}
		return html.UnescapeString(m[1])
	}
	for _, tc := range []struct {
		name, path, lang, field string
		form                    url.Values
		want                    string
	}{
		{"Common Era year, Thai", "/admin/rounds/household", "th", "bmn-year", url.Values{"survey_year": {"2024"}}, "ปีสำรวจต้องเป็นปี พ.ศ."},
		{"Common Era year, English", "/admin/rounds/household", "en", "bmn-year", url.Values{"survey_year": {"2024"}}, "must be a Buddhist Era year"},
		{"not a number, Thai", "/admin/rounds/household", "th", "bmn-year", url.Values{"survey_year": {"๒๕๖๗x"}}, "โปรดกรอกปีสำรวจเป็นตัวเลข"},
		{"not a number, English", "/admin/rounds/village", "en", "vr-year", url.Values{"survey_year": {""}}, "please give the survey year"},
		{"village year, Thai", "/admin/rounds/village", "th", "vr-year", url.Values{"survey_year": {"3000"}}, "ปีสำรวจต้องเป็นปี พ.ศ."},
		{"bad id, English", "/admin/rounds/household", "en", "bmn-id", url.Values{"survey_year": {"2567"}, "id": {"BMN 2567"}}, "a round id is up to 40"},
		{"unknown set, English", "/admin/rounds/household", "en", "bmn-set", url.Values{"survey_year": {"2567"}, "set": {"bmn-1999"}}, "there is no indicator set"},
		{"no set covers 2565, Thai", "/admin/rounds/household", "th", "bmn-set", url.Values{"survey_year": {"2565"}}, "ไม่มีชุดตัวชี้วัดสำหรับปี 2565"},
		{"duplicate round, English", "/admin/rounds/household", "en", "bmn-id", url.Values{"survey_year": {"2562"}}, "the round bmn-2562 exists already"},
		{"duplicate round, Thai", "/admin/rounds/household", "th", "bmn-id", url.Values{"survey_year": {"2562"}}, "มีรอบสำรวจ bmn-2562 อยู่แล้ว"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := admin.post(tc.path+"?lang="+tc.lang, tc.form)
			mustStatus(t, tc.name, status, http.StatusBadRequest, body)
			if msg := field(body, tc.field); !strings.Contains(msg, tc.want) {
				t.Errorf("beside %s: %q, want %q", tc.field, msg, tc.want)
			}
			if !strings.Contains(body, `id="form-errors"`) {
				t.Error("no error summary")
			}
			// What was typed is kept.
			if y := tc.form.Get("survey_year"); y != "" && !strings.Contains(body, `value="`+html.EscapeString(y)+`"`) {
				t.Errorf("the year %q typed was not kept", y)
			}
		})
	}
	if after := roundIDs(t, app.store); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("refused forms wrote rounds: before %v, after %v", before, after)
	}
}

func TestOnlyTheCountrysAdminOpensRounds(t *testing.T) {
	app := mustAdminApp(t)
	before := roundIDs(t, app.store)
	for _, name := range []string{"", "padmin", "province", "district", "tambon", "moo4", "viewer", "partner"} {
		c := app.as(t, name)
		want := http.StatusForbidden
		if name == "" {
			// Signed out: pages send the browser to sign in, forms are refused.
			status, body, h := c.get("/admin/rounds")
			mustStatus(t, "signed out GET /admin/rounds", status, http.StatusSeeOther, body)
			if !strings.HasPrefix(h.Get("Location"), "/login") {
				t.Errorf("signed out: sent to %q", h.Get("Location"))
			}
			want = http.StatusUnauthorized
		} else {
			status, body, _ := c.get("/admin/rounds")
			mustStatus(t, name+" GET /admin/rounds", status, want, body)
		}
		status, body, _ := c.post("/admin/rounds/household", url.Values{"survey_year": {"2567"}})
		mustStatus(t, name+" POST household round", status, want, body)
		status, body, _ = c.post("/admin/rounds/village", url.Values{"survey_year": {"2566"}})
		mustStatus(t, name+" POST village round", status, want, body)
		if name != "padmin" {
			if name != "" {
				status, body, _ := c.get("/admin/devices")
				mustStatus(t, name+" GET /admin/devices", status, want, body)
			}
			status, body, _ := c.post("/admin/devices", url.Values{"username": {"moo4"}, "name": {"x"}})
			mustStatus(t, name+" POST /admin/devices", status, want, body)
		}
		_, body, _ = c.get("/")
		if strings.Contains(body, `href="/admin/rounds"`) {
			t.Errorf("%s is offered the rounds page", name)
		}
	}
	if after := roundIDs(t, app.store); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("refused accounts wrote rounds: before %v, after %v", before, after)
	}
	if ds, _ := app.store.Devices(context.Background(), ""); len(ds) != 0 {
		t.Errorf("refused accounts made devices: %+v", ds)
	}
	_, body, _ := app.as(t, "admin").get("/")
	if !strings.Contains(body, `href="/admin/rounds"`) || !strings.Contains(body, `href="/admin/devices"`) {
		t.Error("the menu does not offer the administrator the rounds and devices pages")
	}
}

// orAdapter fits the SQL store to openrosa.Store, as cmd/tambon does.
type orAdapter struct{ *store.Store }

func (s orAdapter) SubmitBatch(ctx context.Context, items []openrosa.Item) ([]openrosa.Result, error) {
	in := make([]store.SubmitItem, len(items))
	for i, it := range items {
		in[i] = store.SubmitItem{Sub: it.Sub, Household: it.Household, Engine: it.Engine, Scope: it.Scope}
	}
	res, err := s.Store.SubmitBatch(ctx, in)
	out := make([]openrosa.Result, len(res))
	for i, r := range res {
		out[i] = openrosa.Result{Submission: r.Submission, Duplicate: r.Duplicate, Err: r.Err}
	}
	return out, err
}

// clock is a settable time for the OpenRosa server's token cache.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// decodeSettings reads an ODK Collect settings QR text: base64, zlib, JSON.
func decodeSettings(t *testing.T, text string) map[string]map[string]any {
	t.Helper()
	z, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		t.Fatalf("settings are not base64: %v", err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("settings are not zlib: %v", err)
	}
	js, _ := io.ReadAll(zr)
	var out map[string]map[string]any
	if err := json.Unmarshal(js, &out); err != nil {
		t.Fatalf("settings are not JSON: %v", err)
	}
	return out
}

func TestDeviceMadeOnThePageSignsInUntilRevoked(t *testing.T) {
	app := mustAdminApp(t)
	admin := app.as(t, "admin")
	clk := &clock{t: storetest.Now()}
	or := openrosa.New(openrosa.Config{Store: orAdapter{app.store}, Areas: mustTree(t), Now: clk.now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ors := httptest.NewServer(or.Handler())
	t.Cleanup(ors.Close)
	formList := func(serverURL string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", serverURL+"/formList", nil)
		req.Header.Set("X-OpenRosa-Version", "1.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	status, body, _ := admin.get("/admin/devices")
	mustStatus(t, "devices page", status, http.StatusOK, body)
	if !strings.Contains(body, `<code id="server-url">`+app.ts.URL+`/openrosa</code>`) {
		t.Error("the page does not show the server URL")
	}
	if !strings.Contains(body, `<option value="moo4"`) || strings.Contains(body, `<option value="viewer"`) {
		t.Error("the account list should offer collectors (moo4) and not viewers")
	}
	// A viewer cannot collect: refused beside the field, nothing made.
	status, body, _ = admin.post("/admin/devices?lang=en", url.Values{"username": {"viewer"}, "name": {"phone"}})
	mustStatus(t, "device for a viewer", status, http.StatusBadRequest, body)
	if !strings.Contains(body, "may not collect households") {
		t.Errorf("no reason given for the viewer")
	}
	status, body, _ = admin.post("/admin/devices?lang=th", url.Values{"username": {"moo4"}, "name": {""}})
	mustStatus(t, "device without a name", status, http.StatusBadRequest, body)
	if !strings.Contains(body, "โปรดตั้งชื่ออุปกรณ์") {
		t.Errorf("no Thai reason for the missing name")
	}

	status, body, h := admin.post("/admin/devices", url.Values{"username": {"moo4"}, "name": {"โทรศัพท์ของสมชาย"}})
	mustStatus(t, "create device", status, http.StatusOK, body)
	if h.Get("Cache-Control") != "no-store" {
		t.Errorf("the page showing a token may be cached: %q", h.Get("Cache-Control"))
	}
	token := regexp.MustCompile(`id="device-token">([A-Za-z0-9_-]{22})<`).FindStringSubmatch(body)
	settings := regexp.MustCompile(`data-collect-settings="([^"]+)"`).FindStringSubmatch(body)
	if token == nil || settings == nil || !strings.Contains(body, "<svg") {
		t.Fatalf("the page shows no token, settings or QR code:\n%.3000s", body)
	}
	s := decodeSettings(t, html.UnescapeString(settings[1]))
	keyURL := app.ts.URL + "/openrosa/key/" + token[1]
	if s["general"]["server_url"] != keyURL || s["general"]["username"] != "moo4" {
		t.Errorf("QR settings %v, want server_url %s", s, keyURL)
	}
	if !strings.Contains(body, `<code class="device-secret" id="device-key-url">`+keyURL+`</code>`) {
		t.Error("the token URL is not shown")
	}
	// The phone, given what the QR code says (on the OpenRosa server's own
	// address), is let in.
	orKey := strings.Replace(keyURL, app.ts.URL, ors.URL, 1)
	if got := formList(orKey); got != http.StatusOK {
		t.Fatalf("the new device's formList: %d", got)
	}
	devs, err := app.store.Devices(context.Background(), "moo4")
	if err != nil || len(devs) != 1 || devs[0].CreatedBy != "admin" || devs[0].Name != "โทรศัพท์ของสมชาย" {
		t.Fatalf("devices %+v, %v", devs, err)
	}
	id := devs[0].ID
	_, body, _ = admin.get("/admin/devices?user=moo4")
	if !strings.Contains(body, `id="device-`+i64(id)+`"`) || strings.Contains(body, token[1]) {
		t.Error("the list should show the device and never its token again")
	}

	// A province's administrator neither sees nor revokes a device of an
	// account outside the province.
	status, body, _ = admin.post("/admin/devices", url.Values{"username": {"bkk"}, "name": {"Bangkok phone"}})
	mustStatus(t, "device for bkk", status, http.StatusOK, body)
	bkk, _ := app.store.Devices(context.Background(), "bkk")
	padmin := app.as(t, "padmin")
	_, body, _ = padmin.get("/admin/devices")
	if strings.Contains(body, "Bangkok phone") || !strings.Contains(body, "โทรศัพท์ของสมชาย") {
		t.Error("the province's administrator sees the wrong devices")
	}
	status, body, _ = padmin.post("/admin/devices/"+i64(bkk[0].ID)+"/revoke", url.Values{})
	mustStatus(t, "padmin revokes bkk's device", status, http.StatusNotFound, body)
	status, body, _ = padmin.post("/admin/devices", url.Values{"username": {"bkk"}, "name": {"x"}})
	mustStatus(t, "padmin makes a device for bkk", status, http.StatusBadRequest, body)
	// A non-administrator cannot revoke.
	status, body, _ = app.as(t, "tambon").post("/admin/devices/"+i64(id)+"/revoke", url.Values{})
	mustStatus(t, "tambon revokes", status, http.StatusForbidden, body)
	if got := formList(orKey); got != http.StatusOK {
		t.Fatalf("refused revocations stopped the device: %d", got)
	}

	// Revoked on the page: once the OpenRosa server's short cache has
	// passed, the phone is refused.
	status, body, h = admin.post("/admin/devices/"+i64(id)+"/revoke", url.Values{"user": {"moo4"}})
	mustStatus(t, "revoke", status, http.StatusSeeOther, body)
	if loc := h.Get("Location"); !strings.HasPrefix(loc, "/admin/devices?done=revoke&device="+i64(id)) {
		t.Errorf("redirected to %q", loc)
	}
	clk.add(time.Minute)
	if got := formList(orKey); got != http.StatusForbidden {
		t.Fatalf("the revoked device's formList: %d, want 403", got)
	}
	status, body, _ = admin.post("/admin/devices/"+i64(id)+"/revoke", url.Values{})
	mustStatus(t, "revoke twice", status, http.StatusNotFound, body)
	got := strings.Join(auditObjects(t, admin, "user=admin"), "\n")
	for _, want := range []string{"device.create device:" + i64(id), "device.revoke device:" + i64(id)} {
		if !strings.Contains(got, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, got)
		}
	}
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }
