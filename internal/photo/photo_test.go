package photo_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/photo"
)

func TestCheckRefusesFromTheHeader(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		ok     bool
		inText string // in the English message when refused
	}{
		{"48 MP phone photo (8000×6000 JPEG)", jpegHeaderOnly(8000, 6000, false), true, ""},
		{"12 MP progressive JPEG", jpegHeaderOnly(4000, 3000, true), true, ""},
		{"48 MP progressive JPEG needs 360 MB to decode", jpegHeaderOnly(8000, 6000, true), false, "MB of memory"},
		{"100 MP JPEG", jpegHeaderOnly(10000, 10000, false), false, "100.0 megapixels"},
		{"7000×7000 RGBA PNG of 190 kB", bombPNG(t, 7000, 7000), false, "7000×7000"},
		{"more bytes than allowed", jpegHeaderOnly(100, 100, false), false, "allowed"},
		{"not a picture", []byte("%PDF-1.4 hello"), false, "not a picture"},
		{"JPEG cut in its header", jpegHeaderOnly(100, 100, false)[:10], false, "not a picture"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit := 8 << 20
			if tt.name == "more bytes than allowed" {
				limit = 20
			}
			info, err := photo.Check("upload", tt.data, limit)
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("got %+v, %v; want refused as invalid", info, err)
			}
			m := apperr.MessageOf(err)
			if m.TH == "" || !strings.Contains(m.EN, tt.inText) {
				t.Errorf("message %+v, want it to say %q", m, tt.inText)
			}
		})
	}
}

// TestCheckEstimatesDecodeMemory holds the estimate Check refuses by to
// what the standard decoders really allocate, so that a kind of picture
// costing more than estimated cannot slip under MaxDecodeBytes.
func TestCheckEstimatesDecodeMemory(t *testing.T) {
	src := twoColours(1500, 1000)
	enc := map[string]func() []byte{
		"JPEG 4:2:0": func() []byte {
			var b bytes.Buffer
			jpeg.Encode(&b, src, nil)
			return b.Bytes()
		},
		"grey JPEG": func() []byte {
			g := image.NewGray(src.Bounds())
			draw.Draw(g, g.Bounds(), src, image.Point{}, draw.Src)
			var b bytes.Buffer
			jpeg.Encode(&b, g, nil)
			return b.Bytes()
		},
		"RGBA PNG": func() []byte {
			var b bytes.Buffer
			png.Encode(&b, src)
			return b.Bytes()
		},
		"paletted PNG": func() []byte {
			p := image.NewPaletted(src.Bounds(), color.Palette{color.Black, color.White})
			var b bytes.Buffer
			png.Encode(&b, p)
			return b.Bytes()
		},
	}
	for name, f := range enc {
		t.Run(name, func(t *testing.T) {
			data := f()
			info, err := photo.Check(name, data, 8<<20)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			got := int64(after.TotalAlloc - before.TotalAlloc)
			if got > info.DecodeBytes+info.DecodeBytes/10+256<<10 {
				t.Errorf("decoding allocated %d bytes, Check estimated %d", got, info.DecodeBytes)
			}
			t.Logf("estimated %d, allocated %d", info.DecodeBytes, got)
		})
	}
}

func TestStripJPEG(t *testing.T) {
	for _, orientation := range []int{1, 6} {
		in := phoneJPEG(t, 40, 20, orientation)
		if !hasGPS(t, in) {
			t.Fatal("the test picture has no GPS to strip")
		}
		out, err := photo.Strip(in)
		if err != nil {
			t.Fatal(err)
		}
		if hasGPS(t, out) {
			t.Errorf("orientation %d: GPS kept", orientation)
		}
		for _, s := range []string{"14.98N", "Samsung", "xap", "Photoshop", "SEFT"} {
			if bytes.Contains(out, []byte(s)) {
				t.Errorf("orientation %d: %q kept", orientation, s)
			}
		}
		parts, _ := photo.JPEGParts(out, false)
		var app1 [][]byte
		for _, p := range parts {
			if p.Marker() == 0xE1 {
				app1 = append(app1, p.Body())
			}
		}
		switch {
		case orientation == 1 && len(app1) != 0:
			t.Errorf("an upright picture keeps %d EXIF segments", len(app1))
		case orientation != 1 && (len(app1) != 1 || !bytes.Equal(app1[0], photo.OrientationExif(orientation))):
			t.Errorf("orientation %d: EXIF kept is %q, want only the orientation", orientation, app1)
		}
		samePixels(t, in, out)
	}
}

func TestStripPNG(t *testing.T) {
	in := phonePNG(t)
	out, err := photo.Strip(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"tEXt", "iTXt", "eXIf", "14.98N", "xap"} {
		if !bytes.Contains(in, []byte(s)) {
			t.Fatalf("the test picture has no %q", s)
		}
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("%q kept", s)
		}
	}
	samePixels(t, in, out)
}

// webpWithMetadata is a WebP with the extended header announcing EXIF and
// XMP, a lossless frame header of 300×200, and both metadata chunks.
func webpWithMetadata() []byte {
	chunk := func(fourcc string, body []byte) []byte {
		c := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
		c = append(c, body...)
		if len(body)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	w, h := 300, 200
	vp8x := []byte{0x08 | 0x04, 0, 0, 0, byte(w - 1), byte((w - 1) >> 8), 0, byte(h - 1), byte((h - 1) >> 8), 0}
	bits := uint32(w-1) | uint32(h-1)<<14
	vp8l := append([]byte{0x2f}, binary.LittleEndian.AppendUint32(nil, bits)...)
	body := []byte("WEBP")
	body = append(body, chunk("VP8X", vp8x)...)
	body = append(body, chunk("VP8L", vp8l)...)
	body = append(body, chunk("EXIF", exifSegment(1)[6:])...)
	body = append(body, chunk("XMP ", []byte(xmpBody))...)
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

func TestStripWebP(t *testing.T) {
	in := webpWithMetadata()
	info, err := photo.Check("x.webp", in, 1<<20)
	if err != nil || info.Width != 300 || info.Height != 200 {
		t.Fatalf("Check: %+v, %v", info, err)
	}
	out, err := photo.Strip(in)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := photo.WebPChunks(out)
	if err != nil {
		t.Fatalf("stripped WebP does not parse: %v", err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.FourCC())
	}
	if strings.Join(names, ",") != "VP8X,VP8L" {
		t.Errorf("chunks kept %q, want VP8X,VP8L", names)
	}
	if cs[0].Data()[0]&(0x08|0x04) != 0 {
		t.Errorf("the header still announces metadata: flags %#x", cs[0].Data()[0])
	}
	if bytes.Contains(out, []byte("14.98N")) || bytes.Contains(out, []byte("Samsung")) {
		t.Error("metadata kept")
	}
}

// samePixels fails unless two pictures decode to the same pixels: Strip is
// lossless.
func samePixels(t *testing.T, a, b []byte) {
	t.Helper()
	ia, _, err := image.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the stripped picture does not decode: %v", err)
	}
	if ia.Bounds() != ib.Bounds() {
		t.Fatalf("size %v became %v", ia.Bounds(), ib.Bounds())
	}
	for y := ia.Bounds().Min.Y; y < ia.Bounds().Max.Y; y++ {
		for x := ia.Bounds().Min.X; x < ia.Bounds().Max.X; x++ {
			if ia.At(x, y) != ib.At(x, y) {
				t.Fatalf("pixel %d,%d changed", x, y)
			}
		}
	}
}

// TestShrinkTurnsUpright: a phone stores a photo taken upright as a
// landscape picture with an EXIF orientation; the shrunk copy has no EXIF,
// so it must be turned.
func TestShrinkTurnsUpright(t *testing.T) {
	red := func(c color.Color) bool { r, _, b, _ := c.RGBA(); return r > 2*b }
	tests := []struct {
		orientation         int
		w, h                int
		firstRed, secondRed bool // top-left and bottom-right corners
	}{
		{1, 40, 20, true, false},
		{3, 40, 20, false, true},
		{6, 20, 40, true, false}, // turned clockwise: the left half is now on top
		{8, 20, 40, false, true},
	}
	for _, tt := range tests {
		img, info, err := photo.Shrink(context.Background(), "x.jpg", phoneJPEG(t, 40, 20, tt.orientation), 1<<20, 1280)
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		if info.Orientation != tt.orientation || b.Dx() != tt.w || b.Dy() != tt.h {
			t.Errorf("orientation %d: read %d, shown %d×%d, want %d×%d", tt.orientation, info.Orientation, b.Dx(), b.Dy(), tt.w, tt.h)
			continue
		}
		if red(img.At(b.Min.X+1, b.Min.Y+1)) != tt.firstRed || red(img.At(b.Max.X-2, b.Max.Y-2)) != tt.secondRed {
			t.Errorf("orientation %d: corners turned the wrong way", tt.orientation)
		}
	}
}
