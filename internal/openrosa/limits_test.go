package openrosa_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"net/http"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/xform"
)

// TestSubmissionTextCaps: a 20 MB text field is refused at the door with
// an OpenRosa error response in Thai and English and nothing is kept; a
// value over the per-value cap likewise; a name longer than a name can be,
// but short enough to be typed, is kept for review with the reason.
func TestSubmissionTextCaps(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	tests := []struct {
		name       string
		respondent string
		status     int
		says       string
	}{
		{"a 20 MB field", strings.Repeat("x", 20<<20), http.StatusRequestEntityTooLarge, "KB"},
		{"a field over the value cap", strings.Repeat("x", xform.MaxValueBytes+1), http.StatusBadRequest, "longer than"},
	}
	for i, tt := range tests {
		h := f.household(60 + i)
		h.Respondent = tt.respondent
		resp, msg := post(t, f.keyURL(), xform.Encode(f.form, f.eng.Set(), h, "uuid:caps-"+tt.name, ""), nil)
		if resp.StatusCode != tt.status || !strings.Contains(msg, `nature="error"`) || !strings.Contains(msg, tt.says) || !strings.Contains(msg, "ข้อมูล") && !strings.Contains(msg, "ค่า") {
			t.Errorf("%s: %d %.300s, want %d with an OpenRosa error in Thai and English", tt.name, resp.StatusCode, msg, tt.status)
		}
	}
	if kept, _ := f.store.Submissions(ctx, store.SubmissionFilter{}); len(kept) != 0 {
		t.Errorf("%d refused submissions kept", len(kept))
	}

	h := f.household(70)
	h.Respondent = strings.Repeat("ก", 300)
	resp, msg := post(t, f.keyURL(), xform.Encode(f.form, f.eng.Set(), h, "uuid:caps-name", ""), nil)
	if resp.StatusCode != http.StatusCreated || !strings.Contains(msg, "respondent") || !strings.Contains(msg, "longer than 200") {
		t.Fatalf("a 300-character name: %d %.300s, want kept for review", resp.StatusCode, msg)
	}
}

// TestSubmissionPhotosLoseTheirLocation: a photo sent with a submission is
// kept without its EXIF GPS; a file that is not a picture is kept as sent.
func TestSubmissionPhotosLoseTheirLocation(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	var b bytes.Buffer
	jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 16)), nil)
	exif := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01" +
		"\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x1a\x00\x00\x00\x00" +
		"\x00\x01\x00\x01\x00\x02\x00\x00\x00\x02N\x00\x00\x00\x00\x00\x00\x00")
	withGPS := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, byte(len(exif) + 2)}, exif...)
	withGPS = append(withGPS, b.Bytes()[2:]...)
	sig := []byte("not a picture: a signature in some other format")
	x := xform.Encode(f.form, f.eng.Set(), f.household(80), "uuid:photo-1", "")
	if resp, msg := post(t, f.keyURL(), x, map[string][]byte{"house.jpg": withGPS, "sig.dat": sig}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %s", resp.StatusCode, msg)
	}
	subs, _ := f.store.Submissions(ctx, store.SubmissionFilter{})
	if len(subs) != 1 {
		t.Fatalf("%d submissions", len(subs))
	}
	got, _ := f.store.Submission(ctx, subs[0].ID)
	for _, m := range got.Media {
		switch m.Name {
		case "house.jpg":
			if bytes.Contains(m.Data, []byte("Exif")) || bytes.Contains(m.Data, []byte{0x88, 0x25}) {
				t.Error("the photo keeps its EXIF GPS")
			}
			if _, _, err := image.Decode(bytes.NewReader(m.Data)); err != nil {
				t.Errorf("the photo kept does not open: %v", err)
			}
		case "sig.dat":
			if !bytes.Equal(m.Data, sig) {
				t.Error("a file that is not a picture was changed")
			}
		}
	}
}
