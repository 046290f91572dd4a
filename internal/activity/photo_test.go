package activity_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"runtime"
	"strings"
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

// bombPNG is a valid PNG of w×h black RGBA pixels: about 190 kB for
// 7000×7000, which decodes to 196 MB. It is written row by row.
func bombPNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	chunk := func(typ string, data []byte) []byte {
		c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		c = append(append(c, typ...), data...)
		return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(w)), uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+4*w)
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", z.Bytes())...)
	return append(out, chunk("IEND", nil)...)
}

// TestShrinkPhotoRefusesAPixelBombCheaply: a small PNG claiming 7000×7000
// pixels is refused from its header, before anything the size of its
// pixels is allocated.
func TestShrinkPhotoRefusesAPixelBombCheaply(t *testing.T) {
	data := bombPNG(t, 7000, 7000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := activity.ShrinkPhoto("bomb.png", data)
	runtime.ReadMemStats(&after)
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("got %v, want refused", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("refusing a %d kB picture allocated %d MB", len(data)>>10, got>>20)
	}
	if m := apperr.MessageOf(err); !strings.Contains(m.EN, "7000×7000") || !strings.Contains(m.TH, "7000×7000") {
		t.Errorf("message %+v does not say the size", m)
	}
}

// TestShrinkPhotoKeepsNoMetadata: the stored photo and thumbnail hold no
// EXIF (so no GPS) and no XMP, and a photo taken with the phone held
// upright (stored sideways, EXIF orientation 6) is stored upright.
func TestShrinkPhotoKeepsNoMetadata(t *testing.T) {
	src := photoLike(t, 400, 300)
	exif := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x02" +
		"\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00" + // Orientation 6
		"\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x26" + // GPSInfo
		"\x00\x00\x00\x00" + "\x00\x01\x00\x01\x00\x02\x00\x00\x00\x02N\x00\x00\x00\x00\x00\x00\x00")
	seg := append([]byte{0xFF, 0xE1, byte((len(exif) + 2) >> 8), byte(len(exif) + 2)}, exif...)
	in := append(append([]byte{0xFF, 0xD8}, seg...), src[2:]...)
	sh, err := activity.ShrinkPhoto("phone.jpg", in)
	if err != nil {
		t.Fatal(err)
	}
	if sh.Width != 300 || sh.Height != 400 {
		t.Errorf("stored %d×%d, want upright 300×400", sh.Width, sh.Height)
	}
	for _, out := range [][]byte{sh.Image, sh.Thumb} {
		if bytes.Contains(out, []byte("Exif")) || bytes.Contains(out, []byte{0xFF, 0xE1}) {
			t.Error("EXIF kept in the stored photo")
		}
	}
}

// BenchmarkShrinkPhoto measures what one upload costs: B/op is the memory
// allocated in the request.
func BenchmarkShrinkPhoto(b *testing.B) {
	for _, bc := range []struct {
		name string
		data []byte
	}{
		{"phone JPEG 4000x3000", photoLike(b, 4000, 3000)},
		{"PNG bomb 7000x7000", bombPNG(b, 7000, 7000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				activity.ShrinkPhoto("x", bc.data)
			}
		})
	}
}
