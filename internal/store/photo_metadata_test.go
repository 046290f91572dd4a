package store_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"testing"

	"tambon/internal/activity"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// gpsJPEG is a small JPEG with an EXIF segment giving its orientation and a
// GPS position, as photos stored before metadata was stripped may be.
func gpsJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 32, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	exif := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x02" +
		"\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00" +
		"\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x26" +
		"\x00\x00\x00\x00" +
		"\x00\x01\x00\x01\x00\x02\x00\x00\x00\x02N\x00\x00\x00\x00\x00\x00\x00")
	out := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(exif) + 2) >> 8), byte(len(exif) + 2)}, exif...)
	return append(out, b.Bytes()[2:]...)
}

// TestMigrationStripsStoredPhotos: a database holding photos with GPS
// from before loses it when migrated; a stored file that is not a picture
// tambon reads is kept as it is.
func TestMigrationStripsStoredPhotos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := meeting(t, s)
		withGPS := gpsJPEG(t)
		odd := []byte("not a picture at all")
		ph, err := s.AddPhoto(ctx, a.ID, "", activity.Shrunk{Image: withGPS, Thumb: odd, Width: 32, Height: 16}, "old")
		if err != nil {
			t.Fatal(err)
		}
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		h := surveyfile.Example(eng.Set(), "70051301", 1, 5)[0]
		h.RoundID = "bmn-2564"
		res, err := s.Submit(ctx, eng, xform.Submission{InstanceID: "uuid:old", FormID: "tambon-bmn-2564", RoundID: "bmn-2564", Username: "somchai",
			XML: []byte("<data/>"), Media: []xform.Media{{Name: "house.jpg", Data: withGPS}, {Name: "sign.dat", Data: odd}}}, h)
		if err != nil {
			t.Fatal(err)
		}
		subID := res.Submission.ID
		if err := s.RunMigrationForTest(ctx, "strip_photo_metadata"); err != nil {
			t.Fatal(err)
		}
		full, _, err := s.PhotoData(ctx, ph.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(full, []byte{0x88, 0x25}) || len(full) >= len(withGPS) {
			t.Errorf("the stored photo keeps its GPS (%d bytes, was %d)", len(full), len(withGPS))
		}
		if _, _, err := image.Decode(bytes.NewReader(full)); err != nil {
			t.Errorf("the stripped photo does not open: %v", err)
		}
		if thumb, _, _ := s.PhotoData(ctx, ph.ID, true); !bytes.Equal(thumb, odd) {
			t.Errorf("a file that is not a picture was changed: %q", thumb)
		}
		sub, err := s.Submission(ctx, subID)
		if err != nil || len(sub.Media) != 2 {
			t.Fatalf("submission media: %+v, %v", sub.Media, err)
		}
		for _, m := range sub.Media {
			if m.Name == "house.jpg" && bytes.Contains(m.Data, []byte{0x88, 0x25}) {
				t.Error("a submission's photo keeps its GPS")
			}
			if m.Name == "sign.dat" && !bytes.Equal(m.Data, odd) {
				t.Errorf("a submission's file that is not a picture was changed: %q", m.Data)
			}
		}
	})
}
