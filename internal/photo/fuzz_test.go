package photo_test

import (
	"bytes"
	"testing"

	"tambon/internal/photo"
)

func seeds(f *testing.F) {
	f.Add(phoneJPEG(f, 16, 8, 6))
	f.Add(phoneJPEG(f, 9, 9, 1))
	f.Add(phonePNG(f))
	f.Add(webpWithMetadata())
	f.Add(jpegHeaderOnly(8000, 6000, true))
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x02\xff\xd9"))
}

// FuzzStrip: whatever comes in, Strip never panics, and what it returns
// parses, holds no EXIF but the minimal orientation segment (so no GPS), no
// XMP, IPTC or comment, and is unchanged by stripping again.
func FuzzStrip(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := photo.Strip(data)
		if err != nil {
			return
		}
		switch {
		case bytes.HasPrefix(out, []byte{0xFF, 0xD8}):
			if hasGPS(t, out) {
				t.Fatal("GPS kept")
			}
			parts, _ := photo.JPEGParts(out, false)
			for _, p := range parts {
				m := p.Marker()
				if p.Standalone() {
					continue
				}
				if m == 0xFE || (m >= 0xE0 && m <= 0xEF && m != 0xE0 && m != 0xE1 && m != 0xE2 && m != 0xEE) {
					t.Fatalf("segment %#x kept", m)
				}
				if m == 0xE1 && !isOrientationOnly(p.Body()) {
					t.Fatalf("EXIF kept: %q", p.Body())
				}
			}
		case bytes.HasPrefix(out, []byte("\x89PNG")):
			for _, s := range []string{"eXIf", "tEXt", "iTXt", "zTXt"} {
				if chunkNamed(out, s) {
					t.Fatalf("PNG chunk %s kept", s)
				}
			}
		default:
			cs, err := photo.WebPChunks(out)
			if err != nil {
				t.Fatalf("stripped WebP does not parse: %v", err)
			}
			for _, c := range cs {
				if c.FourCC() == "EXIF" || c.FourCC() == "XMP " {
					t.Fatalf("WebP chunk %s kept", c.FourCC())
				}
			}
		}
		again, err := photo.Strip(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("stripping twice changes the file (%v)", err)
		}
	})
}

func isOrientationOnly(body []byte) bool {
	for o := 2; o <= 8; o++ {
		if bytes.Equal(body, photo.OrientationExif(o)) {
			return true
		}
	}
	return false
}

// chunkNamed walks a PNG's chunks looking for one of the given type.
func chunkNamed(data []byte, typ string) bool {
	for i := 8; i+12 <= len(data); {
		n := int(uint32(data[i])<<24 | uint32(data[i+1])<<16 | uint32(data[i+2])<<8 | uint32(data[i+3]))
		if string(data[i+4:i+8]) == typ {
			return true
		}
		if n < 0 || n > len(data)-i-12 {
			return false
		}
		i += 12 + n
	}
	return false
}

// FuzzCheck: Check never panics, and never passes a picture beyond the
// pixel or memory limits.
func FuzzCheck(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := photo.Check("x", data, 1<<20)
		if err != nil {
			return
		}
		if int64(info.Width)*int64(info.Height) > photo.MaxPixels || info.DecodeBytes > photo.MaxDecodeBytes || info.Width <= 0 || info.Height <= 0 {
			t.Fatalf("passed %+v", info)
		}
		if info.Orientation < 1 || info.Orientation > 8 {
			t.Fatalf("orientation %d", info.Orientation)
		}
	})
}
