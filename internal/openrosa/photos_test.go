package openrosa_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"tambon/internal/photo"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/xform"
)

// The form's optional photo questions: a photo of the house sent with the
// household shows on its page, shrunk and without metadata, where it was
// taken kept apart; a file that is no picture is left out of the page but
// kept with the submission, and the household is saved all the same.
func TestSubmissionPhotos(t *testing.T) {
	f := newFixture(t, 20<<20)
	ctx := context.Background()
	if !strings.Contains(string(f.form.XML), `<upload ref="/data/photo_house" mediatype="image/*">`) ||
		!strings.Contains(string(f.form.XML), `<upload ref="/data/photo_document" mediatype="image/*">`) {
		t.Fatal("the form has no optional photo questions")
	}
	jpg, err := os.ReadFile("../photo/testdata/house_gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	h := f.household(71)
	inst := xform.Encode(f.form, f.eng.Set(), h, "uuid:photo-1", "")
	inst = []byte(strings.Replace(string(inst), "</data>", "<photo_house>house.jpg</photo_house><photo_document>card.jpg</photo_document></data>", 1))
	resp, msg := post(t, f.keyURL(), inst, map[string][]byte{"house.jpg": jpg, "card.jpg": []byte("not a picture")})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %s", resp.StatusCode, msg)
	}
	ps, err := f.store.HouseholdPhotos(ctx, roundID, h.Key())
	if err != nil || len(ps) != 1 || ps[0].Kind != survey.PhotoHouse || ps[0].CreatedBy != "somchai" {
		t.Fatalf("photos on the household's page: %+v %v", ps, err)
	}
	if ps[0].Lat == nil || *ps[0].Lat < 13.8 || *ps[0].Lat > 13.81 || *ps[0].Lon < 99.86 || *ps[0].Lon > 99.87 {
		t.Errorf("where the photo was taken is not kept: %v %v", ps[0].Lat, ps[0].Lon)
	}
	full, err := f.store.HouseholdPhotoData(ctx, ps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{full.Image, full.Thumb} {
		if _, _, ok := photo.GPS(b); ok || strings.Contains(string(b), "Exif") || strings.Contains(string(b), "Samsung") {
			t.Error("the stored picture keeps its metadata")
		}
	}
	// The raw media stay with the submission, the photo stripped on arrival.
	subs, _ := f.store.Submissions(ctx, store.SubmissionFilter{})
	var media []xform.Media
	for _, s := range subs {
		if s.InstanceID == "uuid:photo-1" {
			got, err := f.store.Submission(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			media = got.Media
		}
	}
	if len(media) != 2 {
		t.Fatalf("the submission keeps %d media, want 2", len(media))
	}
	for _, m := range media {
		if _, _, ok := photo.GPS(m.Data); ok {
			t.Errorf("%s is kept with where it was taken", m.Name)
		}
	}
}

// A submission that goes to the review queue keeps where its photos were
// taken (read on arrival, before the metadata are stripped); when a
// reviewer accepts it fixed, its photos reach the household's page as a
// submission written on arrival does, in the household's write: none while
// the fix is still refused. A file that is not a picture is named.
func TestReviewedSubmissionPhotos(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { reviewedSubmissionPhotos(t, newFixture(t, 20<<20)) })
	t.Run("postgres", func(t *testing.T) {
		reviewedSubmissionPhotos(t, newFixtureOn(t, storetest.MustOpenDSN(t, storetest.PostgresDSN(t)), 20<<20))
	})
}

func reviewedSubmissionPhotos(t *testing.T, f *fixture) {
	ctx := context.Background()
	jpg, err := os.ReadFile("../photo/testdata/house_gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	h := f.household(72)
	h.Members[0].CitizenID = "1234567890123" // wrong check digit: to review
	inst := xform.Encode(f.form, f.eng.Set(), h, "uuid:photo-review", "")
	inst = []byte(strings.Replace(string(inst), "</data>", "<photo_house>house.jpg</photo_house><photo_document>card.jpg</photo_document></data>", 1))
	resp, msg := post(t, f.keyURL(), inst, map[string][]byte{"house.jpg": jpg, "card.jpg": []byte("not a picture")})
	if resp.StatusCode != http.StatusCreated || !strings.Contains(msg, "not yet saved") {
		t.Fatalf("submit: %d %s", resp.StatusCode, msg)
	}
	queue, _ := f.store.Submissions(ctx, store.SubmissionFilter{Status: xform.Review})
	if len(queue) != 1 {
		t.Fatalf("review queue: %+v", queue)
	}
	sub, err := f.store.Submission(ctx, queue[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range sub.Media {
		if _, _, ok := photo.GPS(m.Data); ok {
			t.Errorf("%s is kept with its metadata", m.Name)
		}
		if m.Name == "house.jpg" && (m.Lat == nil || *m.Lat < 13.8 || *m.Lat > 13.81 || m.Lon == nil || *m.Lon < 99.86 || *m.Lon > 99.87) {
			t.Errorf("where the photo in review was taken is not kept apart: %v %v", m.Lat, m.Lon)
		}
		if m.Name == "card.jpg" && (m.Lat != nil || m.Lon != nil) {
			t.Errorf("a file with no position has one: %v %v", m.Lat, m.Lon)
		}
	}
	// The review queue reads the household and its photos as the server
	// did on arrival.
	in, _, err := xform.Parse(f.form, f.eng.Set(), sub.XML)
	if err != nil {
		t.Fatal(err)
	}
	fixed := in.Household
	fixed.Collector = sub.Username
	var unread []survey.PhotoKind
	fixed.Photos, unread = xform.PhotosOf(in, sub.Media)
	if len(fixed.Photos) != 1 || len(unread) != 1 || unread[0] != survey.PhotoDocument {
		t.Fatalf("photos read %d, unread %v; want the house's read and the document's not", len(fixed.Photos), unread)
	}
	// A fix the household write still refuses writes no photo: here, said
	// to re-survey a household of a round that does not hold it.
	fixed.Members[0].CitizenID = ""
	fixed.Resurvey = &survey.Resurvey{From: roundID}
	if _, err := f.store.FixSubmission(ctx, f.eng, sub.ID, fixed, "reviewer", ""); err == nil {
		t.Fatal("a re-survey from the round itself was accepted")
	}
	if ps, err := f.store.HouseholdPhotos(ctx, roundID, fixed.Key()); err != nil || len(ps) != 0 {
		t.Fatalf("a refused fix left photos: %+v %v", ps, err)
	}
	fixed.Resurvey = nil
	if _, err := f.store.FixSubmission(ctx, f.eng, sub.ID, fixed, "reviewer", "ID left out"); err != nil {
		t.Fatal(err)
	}
	ps, err := f.store.HouseholdPhotos(ctx, roundID, fixed.Key())
	if err != nil || len(ps) != 1 || ps[0].Kind != survey.PhotoHouse {
		t.Fatalf("photos on the household's page after the fix: %+v %v", ps, err)
	}
	if ps[0].Lat == nil || *ps[0].Lat < 13.8 || *ps[0].Lat > 13.81 || ps[0].Lon == nil || *ps[0].Lon < 99.86 || *ps[0].Lon > 99.87 {
		t.Errorf("where the photo was taken is not on the page: %v %v", ps[0].Lat, ps[0].Lon)
	}
	full, err := f.store.HouseholdPhotoData(ctx, ps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{full.Image, full.Thumb} {
		if _, _, ok := photo.GPS(b); ok || strings.Contains(string(b), "Exif") || strings.Contains(string(b), "Samsung") || len(b) == 0 {
			t.Error("the stored picture keeps its metadata or is empty")
		}
	}
	if full.Width == 0 || full.Width > 2000 {
		t.Errorf("the photo is not shrunk for the page: %d px wide", full.Width)
	}
}
