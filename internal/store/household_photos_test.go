package store_test

import (
	"context"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// Photos of a household: added with its record or on their own, at most
// survey.MaxPhotos, only to a stored household of an unlocked tambon; the
// position kept apart, read back as stored.
func TestHouseholdPhotos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		sh := testPhoto(t)
		lat, lon := 13.808, 99.87
		hs := surveyfile.Example(eng.Set(), "70051304", 2, 5)
		hs[0].Photos = []survey.Photo{{Kind: survey.PhotoHouse, Image: sh.Image, Thumb: sh.Thumb, Width: sh.Width, Height: sh.Height, Lat: &lat, Lon: &lon}}
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "moo4", nil); err != nil {
			t.Fatal(err)
		}
		ps, err := s.HouseholdPhotos(ctx, "bmn-2564", hs[0].Key())
		if err != nil || len(ps) != 1 || ps[0].Lat == nil || *ps[0].Lat != lat || *ps[0].Lon != lon || ps[0].Village != "70051304" || ps[0].CreatedBy != "moo4" {
			t.Fatalf("photos written with the record: %+v %v", ps, err)
		}
		full, err := s.HouseholdPhotoData(ctx, ps[0].ID)
		if err != nil || string(full.Image) != string(sh.Image) || string(full.Thumb) != string(sh.Thumb) {
			t.Fatalf("the stored picture differs: %v", err)
		}
		p := store.HouseholdPhoto{Round: "bmn-2564", Key: hs[1].Key(), Kind: survey.PhotoDocument, Image: sh.Image, Thumb: sh.Thumb, Width: sh.Width, Height: sh.Height}
		for range survey.MaxPhotos {
			if _, err := s.AddHouseholdPhoto(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddHouseholdPhoto(ctx, p); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("photo %d: %v, want refused", survey.MaxPhotos+1, err)
		}
		bad := p
		bad.Kind = "selfie"
		if _, err := s.AddHouseholdPhoto(ctx, bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("an unknown kind: %v", err)
		}
		gone := p
		gone.Key = "70051304/9999"
		if _, err := s.AddHouseholdPhoto(ctx, gone); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a photo of no household: %v", err)
		}
		for _, step := range []survey.Review{survey.Submit} {
			if _, err := s.Review(ctx, "bmn-2564", "700513", step, "tambon", ""); err != nil {
				t.Fatal(err)
			}
		}
		first := p
		first.Key = hs[0].Key()
		if _, err := s.AddHouseholdPhoto(ctx, first); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a photo of a submitted tambon's household: %v", err)
		}
		if err := s.DeleteHouseholdPhoto(ctx, ps[0].ID); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("deleting a photo of a submitted tambon's household: %v", err)
		}
	})
}
