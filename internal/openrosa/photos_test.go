package openrosa_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"tambon/internal/photo"
	"tambon/internal/store"
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
