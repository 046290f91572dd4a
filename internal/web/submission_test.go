package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/photo"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/user"
	"tambon/internal/web"
	"tambon/internal/xform"
)

// The review queue: a submission whose citizen ID has a wrong check digit
// waits with its reason; the tambon team sees it, a partner and another
// tambon's account do not; the team fixes the ID and the household is
// written through the one household write; another is rejected with a reason.
func TestSubmissionReviewQueue(t *testing.T) {
	app := mustSubmissionApp(t)
	ctx := context.Background()
	// The example households are made for their set's last year.
	const round2564 = "bmn-2564"
	if err := app.store.CreateRound(ctx, survey.Round{ID: round2564, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}); err != nil {
		t.Fatal(err)
	}
	rd, _ := app.store.Round(ctx, round2564)
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	f, err := xform.Build(rd, eng.Set())
	if err != nil {
		t.Fatal(err)
	}
	h := surveyfile.Example(eng.Set(), "70051304", 1, 4242)[0]
	h.RoundID, h.HouseNo, h.HouseCode = round2564, "77/7", ""
	good := h.Members[0].CitizenID
	h.Members[0].CitizenID = good[:12] + fmt.Sprint((int(good[12]-'0')+1)%10) // wrong check digit
	// With the phone's photos: the house's, stripped on arrival with where
	// it was taken kept apart, and a document's file that is no picture.
	jpg, err := os.ReadFile("../photo/testdata/house_gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	house := xform.Media{Name: "house.jpg", ContentType: "image/jpeg", Data: photo.StripOrKeep(jpg)}
	if lat, lon, ok := photo.GPS(jpg); ok {
		house.Lat, house.Lon = &lat, &lon
	}
	inst := strings.Replace(string(xform.Encode(f, eng.Set(), h, "uuid:queue-1", "")), "</data>",
		"<photo_house>house.jpg</photo_house><photo_document>card.jpg</photo_document></data>", 1)
	sub := xform.Submission{InstanceID: "uuid:queue-1", FormID: f.ID, RoundID: round2564, Username: "moo4",
		XML: []byte(inst), Problems: nil, Media: []xform.Media{house, {Name: "card.jpg", ContentType: "image/jpeg", Data: []byte("not a picture")}}}
	parsed, _, err := xform.Parse(f, eng.Set(), sub.XML)
	if err != nil {
		t.Fatal(err)
	}
	sub.Problems = survey.Validate(parsed.Household, eng.Set(), rd.ReferenceDate())
	res, err := app.store.Submit(ctx, eng, sub, parsed.Household)
	if err != nil || res.Submission.Status != xform.Review {
		t.Fatalf("setup: %+v %v", res, err)
	}
	id := res.Submission.ID
	before, _ := app.store.CountHouseholds(ctx, round2564, "70051304")

	team := app.as(t, "tambon")
	status, body, _ := team.get("/submissions")
	if status != 200 || !strings.Contains(body, fmt.Sprintf("/submissions/%d", id)) || !strings.Contains(body, "members[0].citizen_id") {
		t.Fatalf("the team's queue: %d\n%s", status, body)
	}
	for _, who := range []string{"partner"} {
		if status, _, _ := app.as(t, who).get(fmt.Sprintf("/submissions/%d", id)); status == 200 {
			t.Errorf("%s opened a submission: %d", who, status)
		}
	}
	status, body, _ = team.get(fmt.Sprintf("/submissions/%d?lang=en", id))
	if status != 200 || !strings.Contains(body, `id="fix-form"`) || !strings.Contains(body, "check digit") {
		t.Fatalf("the submission page: %d\n%s", status, body)
	}
	if strings.Count(body, `class="notice unread-photo"`) != 1 || !strings.Contains(body, "sent for “Photo of a supporting document” cannot be read") {
		t.Errorf("the submission page does not say the document's photo cannot be read:\n%s", body)
	}
	// The village is chosen by name: the form shows its address, the code
	// travels hidden, and the address posted back without a code is read.
	label := regexp.MustCompile(`name="village_name" value="([^"]+)"`).FindStringSubmatch(body)
	if label == nil || strings.Contains(label[1], "70051304") || !strings.Contains(body, `type="hidden" id="f-village" name="village" value="70051304"`) {
		t.Fatalf("the fix form does not offer the village by name: %v", label)
	}
	byName := url.Values{"village_name": {"ไม่มีหมู่บ้านชื่อนี้แน่นอน"}, "house_no": {"77/7"}, "status": {"complete"}}
	if status, body, _ := team.post(fmt.Sprintf("/submissions/%d/fix", id), byName); status != http.StatusUnprocessableEntity || !strings.Contains(body, "no area of this name") {
		t.Fatalf("a village name that names nothing: %d, want 422 saying so\n%s", status, body[max(0, strings.Index(body, "fix-error")):][:min(800, len(body)-max(0, strings.Index(body, "fix-error")))])
	}
	// Fix: still wrong → 422 and nothing written.
	form := url.Values{"village_name": {html.UnescapeString(label[1])}, "house_no": {"77/7"}, "status": {"complete"}}
	for i, m := range h.Members {
		form.Set(fmt.Sprintf("m%d.first_name", i), m.FirstName)
		form.Set(fmt.Sprintf("m%d.last_name", i), m.LastName)
		form.Set(fmt.Sprintf("m%d.citizen_id", i), m.CitizenID)
		form.Set(fmt.Sprintf("m%d.birth_date", i), m.BirthDate.Format("2006-01-02"))
	}
	if status, _, _ := team.post(fmt.Sprintf("/submissions/%d/fix", id), form); status != http.StatusUnprocessableEntity {
		t.Fatalf("a fix that is still wrong: %d, want 422", status)
	}
	form.Set("m0.citizen_id", good)
	if status, body, _ := team.post(fmt.Sprintf("/submissions/%d/fix", id), form); status != http.StatusSeeOther {
		i := strings.Index(body, `id="fix-error"`)
		t.Fatalf("the fix: %d\n%s", status, body[max(i, 0):min(len(body), max(i, 0)+1500)])
	}
	if after, _ := app.store.CountHouseholds(ctx, round2564, "70051304"); after != before+1 {
		t.Fatalf("households after the fix: %d, want %d", after, before+1)
	}
	// The photo of the house reaches the household's page with the fix, as
	// on arrival: shrunk, where it was taken kept apart.
	photos, err := app.store.HouseholdPhotos(ctx, round2564, h.Key())
	if err != nil || len(photos) != 1 || photos[0].Kind != survey.PhotoHouse || photos[0].Lat == nil || photos[0].Width > 1280 {
		t.Fatalf("the household's photos after the fix: %+v %v", photos, err)
	}
	if status, _, _ := team.post(fmt.Sprintf("/submissions/%d/reject", id), url.Values{"reason": {"late"}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("rejecting a fixed submission: %d, want 422", status)
	}
	// An unreadable one can only be rejected, with a reason.
	res, _ = app.store.Submit(ctx, nil, xform.Submission{InstanceID: "sha256:x", FormID: "?", Username: "moo4", XML: []byte("<broken")}, nil)
	hash, _ := user.HashPassword(hhPassword)
	if _, err := app.store.CreateUser(ctx, user.User{Username: "admin", PasswordHash: hash, Role: user.Admin, AreaCode: "TH"}); err != nil {
		t.Fatal(err)
	}
	admin := app.as(t, "admin")
	if status, _, _ := admin.post(fmt.Sprintf("/submissions/%d/reject", res.Submission.ID), url.Values{"reason": {""}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("reject without a reason: %d", status)
	}
	if status, _, _ := admin.post(fmt.Sprintf("/submissions/%d/reject", res.Submission.ID), url.Values{"reason": {"not a household"}}); status != http.StatusSeeOther {
		t.Fatalf("reject: %d", status)
	}
	_, body, _ = admin.get("/submissions?status=rejected")
	if !strings.Contains(body, fmt.Sprintf("/submissions/%d", res.Submission.ID)) {
		t.Fatal("the rejected submission is not listed as rejected")
	}
}

// mustSubmissionApp is mustHouseholdApp on the real clock: sessions are
// created by the web clock and checked by the store's, so a fixed web clock
// signs everybody out once the real date passes it.
func mustSubmissionApp(tb testing.TB) *householdApp {
	tb.Helper()
	s := mustFixture(tb)
	hash, err := user.HashPassword(hhPassword)
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range hhUsers {
		u.PasswordHash, u.DisplayName = hash, u.Username
		if _, err := s.CreateUser(context.Background(), u); err != nil {
			tb.Fatal(err)
		}
	}
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(tb), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return &householdApp{ts: ts, store: s}
}
