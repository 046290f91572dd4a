package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"tambon/internal/activity"
	"tambon/internal/partner"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
	"tambon/internal/web"
)

// actUsers are accounts in and around ตำบลเขาขลุง (700513); "other" is the
// team of the next tambon.
var actUsers = []user.User{
	{Username: "tambon", Role: user.Tambon, AreaCode: "700513"},
	{Username: "other", Role: user.Tambon, AreaCode: "700514"},
	{Username: "partner", Role: user.Partner, AreaCode: "700513"},
	{Username: "viewer", Role: user.Viewer, AreaCode: "70"},
	{Username: "district", Role: user.District, AreaCode: "7005"},
}

type actApp struct {
	*householdApp
	meeting activity.Activity
	sao     partner.Partner
}

// mustActivityApp serves a store holding one meeting in ตำบลเขาขลุง. The
// clock is the real one: sessions expire by it.
func mustActivityApp(t *testing.T, s *store.Store) *actApp {
	t.Helper()
	ctx := context.Background()
	hash, err := user.HashPassword(hhPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range actUsers {
		u.PasswordHash, u.DisplayName = hash, u.Username
		if _, err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	sao, err := s.CreatePartner(ctx, partner.Partner{Kind: partner.LocalGov, NameTH: "องค์การบริหารส่วนตำบลเขาขลุง", AreaCode: "700513"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.CreateActivity(ctx, activity.Activity{Kind: activity.Meeting, TitleTH: "ประชุมภาคีตำบลเขาขลุง",
		Start: time.Date(2021, 1, 18, 15, 0, 0, 0, activity.Bangkok()), AreaCode: "700513", PartnerIDs: []int64{sao.ID},
		FollowUps: []activity.FollowUp{{Action: "ส่งรายชื่อ", Owner: "อบต.", Due: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC)}}}, "tambon")
	if err != nil {
		t.Fatal(err)
	}
	sh, err := activity.ShrinkPhoto("a.png", testPNG(t, 64, 48))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPhoto(ctx, m.ID, "", sh, "tambon"); err != nil {
		t.Fatal(err)
	}
	m, _ = s.Activity(ctx, m.ID)
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &actApp{householdApp: &householdApp{ts: ts, store: s}, meeting: m, sao: sao}
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func meetingForm(a activity.Activity) url.Values {
	return url.Values{"kind": {"meeting"}, "title_th": {a.TitleTH}, "date": {"18/01/2564"}, "time": {"15:00"},
		"area_code": {a.AreaCode}, "venue": {"ห้องประชุม อบต."},
		"followups-1-action": {"ส่งรายชื่อ"}, "followups-1-owner": {"อบต."}, "followups-1-due": {"2021-02-01"}, "followups-1-status": {"open"}}
}

func TestActivityScopes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		app := mustActivityApp(t, s)
		id := app.meeting.ID
		view := fmt.Sprintf("/activities/%d", id)
		photo := fmt.Sprintf("/photos/%d?size=thumb", app.meeting.Photos[0].ID)
		fu := fmt.Sprintf("/followups/%d/status", app.meeting.FollowUps[0].ID)
		tests := []struct {
			who            string
			see, edit      bool
			seePhotoBefore bool
		}{
			{"tambon", true, true, true},
			{"district", true, true, true},
			{"partner", true, false, true},
			{"other", false, false, false},
			{"viewer", false, false, false},
			{"", false, false, false},
		}
		for _, tt := range tests {
			t.Run("as "+tt.who, func(t *testing.T) {
				c := app.as(t, tt.who)
				status, _, _ := c.get(view)
				if (status == http.StatusOK) != tt.see {
					t.Errorf("GET %s: %d, may see: %v", view, status, tt.see)
				}
				if status, _, _ := c.get(photo); (status == http.StatusOK) != tt.seePhotoBefore {
					t.Errorf("GET the unpublished photo: %d, may see: %v", status, tt.seePhotoBefore)
				}
				if status, _, _ := c.get("/activities?month=2021-01"); (status == http.StatusOK) != (tt.see || tt.who == "other") {
					t.Errorf("GET own calendar: %d", status)
				}
				if status, _, _ := c.get("/activities?area=700513&month=2021-01"); (status == http.StatusOK) != tt.see {
					t.Errorf("GET ตำบลเขาขลุง's calendar: %d, may see: %v", status, tt.see)
				}
				if status, _, _ := c.get(view + "/edit"); (status == http.StatusOK) != tt.edit {
					t.Errorf("GET edit form: %d, may edit: %v", status, tt.edit)
				}
				if tt.edit {
					return // the writes below must all be refused
				}
				form := meetingForm(app.meeting)
				form.Set("title_th", "แก้โดย "+tt.who)
				for _, w := range []struct {
					path string
					form url.Values
				}{
					{view + "/edit", form},
					{view + "/publish", url.Values{"title_th": {"ข่าวปลอม"}}},
					{fu, url.Values{"activity": {fmt.Sprint(id)}, "status": {"done"}}},
				} {
					status, _, _ := c.post(w.path, w.form)
					if status != http.StatusForbidden && status != http.StatusUnauthorized {
						t.Errorf("POST %s: %d, want 403 (or 401 signed out)", w.path, status)
					}
				}
				if status, _ := c.postFile(view+"/photos", "photo", "x.png", testPNG(t, 10, 10), "caption", "ภาพ"); status != http.StatusForbidden && status != http.StatusUnauthorized {
					t.Errorf("photo upload: %d, want 403", status)
				}
			})
		}
		got, _ := s.Activity(context.Background(), id)
		if got.TitleTH != app.meeting.TitleTH || got.NewsID != 0 || got.FollowUps[0].Status != activity.Open || len(got.Photos) != 1 {
			t.Errorf("a refused write changed the meeting: %+v", got)
		}
		// Writes by the team itself go through.
		c := app.as(t, "tambon")
		if status, body, _ := c.post(fu, url.Values{"activity": {fmt.Sprint(id)}, "status": {"done"}}); status != http.StatusSeeOther {
			t.Errorf("the team's follow-up update: %d %s", status, errorsOf(body))
		}
		if status, body, h := c.post(view+"/publish", url.Values{"title_th": {"ข่าวประชุม"}}); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/news/") {
			t.Fatalf("publish: %d %s", status, errorsOf(body))
		}
		// Once published, its photos are public.
		if status, _, h := app.as(t, "").get(photo); status != http.StatusOK || h.Get("Content-Type") != "image/jpeg" {
			t.Errorf("a published photo for the public: %d %s", status, h.Get("Content-Type"))
		}
	})
}

func TestActivityFormRefusesBadInput(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	c := app.as(t, "tambon")
	tests := []struct {
		name   string
		edit   func(url.Values)
		th, en string
	}{
		{"missing date", func(f url.Values) { f.Del("date") }, "ต้องระบุวันที่จัดกิจกรรม", "the date of the activity is required"},
		{"unreadable date", func(f url.Values) { f.Set("date", "31/02/2564") }, "31/02/2564", "31/02/2564"},
		{"area that does not exist", func(f url.Values) { f.Set("area_code", "70051399") }, "ไม่มีพื้นที่รหัส 70051399", "there is no area with code 70051399"},
		{"area in another tambon", func(f url.Values) { f.Set("area_code", "700514") }, "นอกพื้นที่ที่บัญชีของท่านดูแล", "outside the area your account looks after"},
		{"area code with letters", func(f url.Values) { f.Set("area_code", "หมู่ 4") }, "รหัสพื้นที่ต้องเป็นตัวเลข", "the area code must be digits"},
		{"follow-up without due date", func(f url.Values) { f.Set("followups-1-due", "") }, "ต้องระบุวันกำหนดเสร็จ", "the due date is required"},
		{"bad time", func(f url.Values) { f.Set("time", "25:99") }, "ชั่วโมง:นาที", "hours:minutes"},
	}
	before, _ := app.store.Activities(context.Background(), activity.Filter{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for lang, want := range map[string]string{"th": tt.th, "en": tt.en} {
				form := meetingForm(activity.Activity{TitleTH: "ประชุมใหม่", AreaCode: "70051304"})
				tt.edit(form)
				status, body, _ := c.post("/activities/new?lang="+lang, form)
				if status != http.StatusBadRequest {
					t.Fatalf("%s: status %d, want 400", lang, status)
				}
				if got := problemsOf(body); !strings.Contains(got, want) {
					t.Errorf("%s: the page says %q, want it to say %q", lang, got, want)
				}
				if !strings.Contains(body, `value="ประชุมใหม่"`) {
					t.Errorf("%s: the form lost what was typed", lang)
				}
			}
		})
	}
	after, _ := app.store.Activities(context.Background(), activity.Filter{})
	if len(after) != len(before) {
		t.Errorf("refused forms stored %d activities", len(after)-len(before))
	}
	// The same form, corrected, is stored.
	status, body, h := c.post("/activities/new", meetingForm(activity.Activity{TitleTH: "ประชุมใหม่", AreaCode: "70051304"}))
	if status != http.StatusSeeOther {
		t.Fatalf("good form: %d %s", status, errorsOf(body))
	}
	if st, page, _ := c.get(h.Get("Location") + "&lang=th"); !strings.Contains(page, "18 ม.ค. 2564 15:00 น.") {
		i := strings.Index(page, `id="when"`)
		t.Errorf("the stored activity does not show its date in พ.ศ.: %d %q", st, page[max(i, 0):max(i, 0)+200])
	}
}

// problemsOf returns the text of the form's list of problems.
func problemsOf(body string) string {
	i := strings.Index(body, `id="form-errors"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</div>")
	return html.UnescapeString(body[i : i+j])
}

func TestPhotoUploadRefusesBadFiles(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	c := app.as(t, "tambon")
	path := fmt.Sprintf("/activities/%d/photos", app.meeting.ID)
	big := bytes.Repeat([]byte{0xff}, activity.MaxPhotoBytes+1024)
	tests := []struct {
		name, file string
		data       []byte
		th, en     string
	}{
		{"oversized", "big.jpg", big, "เกินที่รับได้ 8 MB", "more than the 8 MB allowed"},
		{"not a picture", "notes.pdf", []byte("%PDF-1.4 not a picture"), "ไม่ใช่รูปภาพ", "not a picture"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for lang, want := range map[string]string{"th": tt.th, "en": tt.en} {
				status, body := c.postFile(path+"?lang="+lang, "photo", tt.file, tt.data, "caption", "ภาพ")
				if status != http.StatusBadRequest {
					t.Fatalf("%s: status %d, want 400", lang, status)
				}
				if !strings.Contains(body, want) || !strings.Contains(body, tt.file) {
					t.Errorf("%s: the answer does not say %q about %s", lang, want, tt.file)
				}
			}
		})
	}
	status, body := c.postFile(path, "photo", "meeting.png", testPNG(t, 1600, 1200), "caption", "ภาพ")
	if status != http.StatusSeeOther {
		t.Fatalf("a good photo: %d %s", status, body)
	}
	got, _ := app.store.Activity(context.Background(), app.meeting.ID)
	if len(got.Photos) != 2 || got.Photos[1].Width != activity.DisplaySize {
		t.Errorf("photos after the uploads: %+v; want the good one added, shrunk to %d px", got.Photos, activity.DisplaySize)
	}
}

func TestPartnerForm(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	c := app.as(t, "tambon")
	form := url.Values{"kind": {"village_head"}, "name_th": {"นายสมบัติ ใจเย็น"}, "position_th": {"ผู้ใหญ่บ้านหมู่ที่ 4"},
		"area_code": {"70051304"}, "phone": {"081 000 0000"}, "email": {"not-an-email"}}
	status, body, _ := c.post("/partners/new?lang=en", form)
	if status != http.StatusBadRequest || !strings.Contains(body, "not a valid e-mail address") {
		t.Fatalf("bad e-mail: %d %s", status, errorsOf(body))
	}
	form.Set("email", "")
	form.Set("area_code", "700514")
	if status, _, _ := c.post("/partners/new", form); status != http.StatusForbidden {
		t.Errorf("a partner in another tambon: %d, want 403", status)
	}
	form.Set("area_code", "70051304")
	status, body, h := c.post("/partners/new", form)
	if status != http.StatusSeeOther {
		t.Fatalf("good partner: %d %s", status, errorsOf(body))
	}
	if _, page, _ := c.get(h.Get("Location")); !strings.Contains(page, "นายสมบัติ ใจเย็น") || !strings.Contains(page, "ผู้ใหญ่บ้าน") {
		t.Errorf("the partner's page lacks the name or kind")
	}
	// The next tambon's team cannot see or edit ตำบลเขาขลุง's village head.
	o := app.as(t, "other")
	if status, _, _ := o.get(h.Get("Location")); status != http.StatusForbidden {
		t.Errorf("another tambon sees the partner: %d", status)
	}
	if status, _, _ := o.post(strings.TrimSuffix(h.Get("Location"), "?saved=1")+"/edit", form); status != http.StatusForbidden {
		t.Errorf("another tambon edits the partner: %d", status)
	}
	if status, body, _ := c.get("/partners?area=700513"); status != http.StatusOK || !strings.Contains(body, "นายสมบัติ ใจเย็น") || !strings.Contains(body, app.sao.NameTH) {
		t.Errorf("the partner list: %d", status)
	}
}

func TestNewsVisitsAndFeed(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	n, err := app.store.PublishNews(context.Background(), activity.News{ActivityID: app.meeting.ID, TitleTH: "ข่าว <ประชุม> & ภาคี"})
	if err != nil {
		t.Fatal(err)
	}
	pub := app.as(t, "")
	for i := 1; i <= 3; i++ {
		_, body, _ := get(t, pub.ts, fmt.Sprintf("/news/%d", n.ID), "User-Agent", fmt.Sprintf("reader %d", i))
		if want := fmt.Sprintf("เข้าชม %d ครั้ง (วันนี้ %d)", i, i); !strings.Contains(body, want) {
			t.Errorf("visit %d: the page does not say %q", i, want)
		}
	}
	// The same reader again, or reloading, is not another visit today.
	for range 2 {
		if _, body, _ := get(t, pub.ts, fmt.Sprintf("/news/%d", n.ID), "User-Agent", "reader 2"); !strings.Contains(body, "เข้าชม 3 ครั้ง (วันนี้ 3)") {
			t.Error("a reader's second visit today was counted")
		}
	}
	if status, _, _ := pub.get("/news/99999"); status != http.StatusNotFound {
		t.Errorf("a missing post: %d", status)
	}
	_, list, _ := pub.get("/news?lang=en")
	if !strings.Contains(list, "3 visits (3 today)") {
		t.Errorf("the list does not show the visits")
	}
	status, feed, h := pub.get("/news.atom")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", status, h.Get("Content-Type"))
	}
	if !strings.Contains(feed, "ข่าว &lt;ประชุม&gt; &amp; ภาคี") {
		t.Errorf("the feed does not escape the title: %s", feed)
	}
	// The post can be passed on in LINE: its share page carries the post's own address.
	_, post, _ := pub.get(fmt.Sprintf("/news/%d", n.ID))
	share := regexp.MustCompile(`id="line-share" href="https://social-plugins\.line\.me/lineit/share\?url=([^"]+)"`).FindStringSubmatch(post)
	if share == nil {
		t.Error("the post has no LINE share link")
	} else if u, err := url.QueryUnescape(html.UnescapeString(share[1])); err != nil || u != fmt.Sprintf("%s/news/%d", pub.ts.URL, n.ID) {
		t.Errorf("the LINE share link carries %q (%v), want this post's address", u, err)
	}
}

// Visits are written in batches: within the flush interval the store is not
// touched; the first visit after it writes them all, and a restarted server
// shows them.
func TestNewsVisitsAreWrittenInBatches(t *testing.T) {
	s := storetest.MustOpenSQLite(t)
	ctx := context.Background()
	a, err := s.CreateActivity(ctx, activity.Activity{Kind: activity.Meeting, TitleTH: "ประชุม", AreaCode: "700513",
		Start: time.Date(2021, 1, 18, 8, 0, 0, 0, time.UTC)}, "test")
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.PublishNews(ctx, activity.News{ActivityID: a.ID, TitleTH: "ข่าว"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	var srv *web.Server
	serve := func() *httptest.Server {
		srv, err = web.New(web.Config{Store: s, Areas: mustTree(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		t.Cleanup(ts.Close)
		return ts
	}
	ts := serve()
	path := fmt.Sprintf("/news/%d", n.ID)
	readers := 0
	visit := func() (int, string, http.Header) { // a new reader each time
		readers++
		return get(t, ts, path, "User-Agent", fmt.Sprintf("reader %d", readers))
	}
	stored := func() int64 {
		got, err := s.NewsPost(ctx, n.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		return got.Visits
	}
	visit() // the first visit writes (nothing was written before)
	now = now.Add(time.Second)
	for i := 0; i < 3; i++ {
		visit()
	}
	if v := stored(); v != 1 {
		t.Errorf("%d visits written, want 1: the 3 within the flush interval are kept in memory", v)
	}
	now = now.Add(6 * time.Second)
	_, body, _ := visit()
	if v := stored(); v != 5 {
		t.Errorf("%d visits stored after the interval, want 5", v)
	}
	if !strings.Contains(body, "เข้าชม 5 ครั้ง (วันนี้ 5)") {
		t.Errorf("the page after the flush does not say 5 visits")
	}
	// A new day: yesterday's count stays in the total, today starts again.
	now = now.Add(24 * time.Hour)
	ts = serve()
	_, body, _ = visit()
	if !strings.Contains(body, "เข้าชม 6 ครั้ง (วันนี้ 1)") {
		i := strings.Index(body, `id="visits"`)
		t.Errorf("a restarted server the next day shows %q, want 6 visits, 1 today", body[max(i, 0):max(i, 0)+120])
	}
	// Visits still in memory when the server stops are written by FlushVisits.
	now = now.Add(time.Second)
	visit()
	visit()
	if v := stored(); v != 6 {
		t.Errorf("%d visits stored before the shutdown, want 6 (two pending)", v)
	}
	if err := srv.FlushVisits(ctx); err != nil {
		t.Fatal(err)
	}
	if v := stored(); v != 8 {
		t.Errorf("%d visits stored after FlushVisits, want 8", v)
	}
}

// TestActivityRoutesMatrix walks every GET route of activity.go (read from
// the source, so a new route is walked without anyone remembering to add
// it) with every account: no server error, the public news open to all,
// everything else only to accounts that may see plans in ตำบลเขาขลุง.
func TestActivityRoutesMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		app := mustActivityApp(t, s)
		ctx := context.Background()
		n, err := s.PublishNews(ctx, activity.News{ActivityID: app.meeting.ID, TitleTH: "ข่าว"})
		if err != nil {
			t.Fatal(err)
		}
		// A second, unpublished activity with a photo.
		private, err := s.CreateActivity(ctx, activity.Activity{Kind: activity.Training, TitleTH: "อบรม", AreaCode: "70051304",
			Start: time.Date(2021, 1, 20, 9, 0, 0, 0, activity.Bangkok())}, "tambon")
		if err != nil {
			t.Fatal(err)
		}
		sh, _ := activity.ShrinkPhoto("b.png", testPNG(t, 40, 30))
		ph, err := s.AddPhoto(ctx, private.ID, "", sh, "tambon")
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile("activity.go")
		if err != nil {
			t.Fatal(err)
		}
		var routes []string
		for _, m := range regexp.MustCompile(`"GET (/[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
			routes = append(routes, m[1])
		}
		if len(routes) < 10 {
			t.Fatalf("found only %d GET routes in activity.go", len(routes))
		}
		fill := map[string]string{
			"/activities/{id}": fmt.Sprint(private.ID), "/partners/{id}": fmt.Sprint(app.sao.ID),
			"/news/{id}": fmt.Sprint(n.ID), "/photos/{id}": fmt.Sprint(ph.ID),
		}
		public := map[string]bool{"/news": true, "/news/{id}": true, "/news.atom": true}
		walked := 0
		for _, u := range append([]user.User{{}}, actUsers...) {
			c := app.as(t, u.Username)
			mayView := u.Username != "" && u.CanAt(user.ViewPlans, "70051304")
			mayEdit := u.Username != "" && u.CanAt(user.EditPlans, "70051304")
			for _, route := range routes {
				path := route
				for prefix, id := range fill {
					if strings.HasPrefix(route, prefix) {
						path = strings.Replace(route, "{id}", id, 1)
					}
				}
				if path == "/activities" || path == "/partners" {
					path += "?area=700513"
				}
				status, _, _ := c.get(path)
				walked++
				who := u.Username
				if who == "" {
					who = "(signed out)"
				}
				want := mayView
				switch {
				case public[route]:
					want = true
				case strings.HasSuffix(route, "/new"): // a new record in the account's own area
					want = u.Username != "" && u.CanAt(user.EditPlans, u.AreaCode)
				case strings.HasSuffix(route, "/edit"):
					want = mayEdit
				}
				if status >= 500 || (status == http.StatusOK) != want {
					t.Errorf("%s GET %s: %d, may open: %v", who, path, status, want)
				}
			}
		}
		t.Logf("walked %d requests over %d routes", walked, len(routes))
	})
}

// A month may be asked for in the Buddhist Era, as Thai users write years.
func TestCalendarTakesBuddhistEraMonths(t *testing.T) {
	app := mustActivityApp(t, storetest.MustOpenSQLite(t))
	c := app.as(t, "tambon")
	for _, month := range []string{"2021-01", "2564-01"} {
		status, body, _ := c.get("/activities?area=700513&month=" + month)
		if status != http.StatusOK || !strings.Contains(body, "มกราคม 2564") || !strings.Contains(body, app.meeting.TitleTH) {
			t.Errorf("month=%s: status %d; want the calendar of มกราคม 2564 listing the meeting %q", month, status, app.meeting.TitleTH)
		}
	}
}
