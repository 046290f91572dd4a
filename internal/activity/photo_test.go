package activity_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"tambon/internal/activity"
	"tambon/internal/apperr"
)

// photoLike draws a w×h picture with smooth shapes and grain, which
// compresses about as a camera photo does.
func photoLike(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := rng.IntN(24)
			img.SetRGBA(x, y, color.RGBA{uint8(x*200/w + n), uint8(y*180/h + n), uint8((x+y)%160 + n), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestShrinkPhotoKeepsTheShape(t *testing.T) {
	tests := []struct {
		name         string
		w, h         int
		wantW, wantH int
	}{
		{"landscape camera photo", 4000, 3000, 1280, 960},
		{"portrait phone photo", 1500, 2000, 960, 1280},
		{"already small", 640, 480, 640, 480},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := photoLike(t, tt.w, tt.h)
			sh, err := activity.ShrinkPhoto("x.jpg", in)
			if err != nil {
				t.Fatal(err)
			}
			if sh.Width != tt.wantW || sh.Height != tt.wantH {
				t.Errorf("display %d×%d, want %d×%d", sh.Width, sh.Height, tt.wantW, tt.wantH)
			}
			th, _, err := image.DecodeConfig(bytes.NewReader(sh.Thumb))
			if err != nil || max(th.Width, th.Height) > activity.ThumbSize {
				t.Errorf("thumbnail %d×%d, %v", th.Width, th.Height, err)
			}
			p := activity.Photo{Width: sh.Width, Height: sh.Height}
			if p.ThumbWidth() != th.Width || p.ThumbHeight() != th.Height {
				t.Errorf("the page reserves %d×%d for a %d×%d thumbnail", p.ThumbWidth(), p.ThumbHeight(), th.Width, th.Height)
			}
			t.Logf("%d×%d upload of %d kB → display %d kB, thumbnail %d kB", tt.w, tt.h, len(in)/1024, len(sh.Image)/1024, len(sh.Thumb)/1024)
		})
	}
}

func TestShrinkPhotoRefuses(t *testing.T) {
	for name, data := range map[string][]byte{
		"too big":       make([]byte, activity.MaxPhotoBytes+1),
		"not a picture": []byte("hello"),
		"cut short":     photoLike(t, 200, 100)[:300],
	} {
		_, err := activity.ShrinkPhoto("upload.jpg", data)
		if !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v, want invalid", name, err)
		}
		if m := apperr.MessageOf(err); m.TH == "" || m.EN == "" {
			t.Errorf("%s: message %+v", name, m)
		}
	}
}
