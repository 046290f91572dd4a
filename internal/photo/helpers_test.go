package photo_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"tambon/internal/photo"
)

// exifSegment is the body of an APP1 EXIF segment as a phone writes it:
// IFD0 with Make, Orientation and a pointer to a GPS IFD holding a latitude.
func exifSegment(orientation int) []byte {
	le := binary.LittleEndian
	t := []byte("II*\x00")
	t = le.AppendUint32(t, 8)
	// IFD0 at 8: three entries.
	t = le.AppendUint16(t, 3)
	entry := func(tag, typ uint16, count, value uint32) {
		t = le.AppendUint16(t, tag)
		t = le.AppendUint16(t, typ)
		t = le.AppendUint32(t, count)
		t = le.AppendUint32(t, value)
	}
	gpsAt := uint32(8 + 2 + 3*12 + 4 + 8) // after IFD0 and the Make string
	entry(0x010F, 2, 8, 8+2+3*12+4)       // Make, ASCII, points at "Samsung\x00"
	entry(0x0112, 3, 1, uint32(orientation))
	entry(0x8825, 4, 1, gpsAt) // GPSInfo IFD pointer
	t = le.AppendUint32(t, 0)
	t = append(t, "Samsung\x00"...)
	// GPS IFD: GPSLatitudeRef "N" and GPSLatitude 14/1 59/1 0/1 (rationals).
	t = le.AppendUint16(t, 2)
	entry(0x0001, 2, 2, uint32('N'))
	entry(0x0002, 5, 3, gpsAt+2+2*12+4)
	t = le.AppendUint32(t, 0)
	for _, v := range []uint32{14, 1, 59, 1, 0, 1} {
		t = le.AppendUint32(t, v)
	}
	return append([]byte("Exif\x00\x00"), t...)
}

// segment is a JPEG marker segment with its length.
func segment(marker byte, body []byte) []byte {
	s := []byte{0xFF, marker, byte((len(body) + 2) >> 8), byte(len(body) + 2)}
	return append(s, body...)
}

const xmpBody = "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>14,59.0N</exif:GPSLatitude></x:xmpmeta>"

// twoColours is a w×h picture, left half red and right half blue.
func twoColours(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// phoneJPEG is a JPEG as a phone stores it: JFIF, EXIF with GPS and the
// given orientation, XMP with the location again, IPTC, a comment, and a
// maker's trailer after the end of the picture.
func phoneJPEG(tb testing.TB, w, h, orientation int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, twoColours(w, h), &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	plain := b.Bytes()
	var out []byte
	out = append(out, 0xFF, 0xD8)
	out = append(out, segment(0xE1, exifSegment(orientation))...)
	out = append(out, segment(0xE1, []byte(xmpBody))...)
	out = append(out, segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04 Ban Nong Khai"))...)
	out = append(out, segment(0xFE, []byte("taken at 14.98N 102.1E"))...)
	out = append(out, plain[2:]...)
	return append(out, "SEFT trailer with location 14.98N"...)
}

// pngChunk is one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// phonePNG is a PNG with text, XMP and EXIF chunks before its pixels.
func phonePNG(tb testing.TB) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, twoColours(30, 20)); err != nil {
		tb.Fatal(err)
	}
	plain := b.Bytes()
	ihdrEnd := 8 + 12 + 13
	var out []byte
	out = append(out, plain[:ihdrEnd]...)
	out = append(out, pngChunk("tEXt", []byte("Comment\x00taken at 14.98N 102.1E"))...)
	out = append(out, pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+xmpBody))...)
	out = append(out, pngChunk("eXIf", exifSegment(1)[6:])...)
	out = append(out, plain[ihdrEnd:]...)
	return out
}

// bombPNG is a real, valid PNG of w×h RGBA pixels, all black: a few hundred
// kilobytes that decode to 4·w·h bytes. It is written row by row, so
// making it costs little memory.
func bombPNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, not interlaced
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+4*w)
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// jpegHeaderOnly is the header of a JPEG of w×h pixels (YCbCr 4:2:0),
// progressive or not, up to its first scan: enough for every check that
// reads headers, and far too little to decode.
func jpegHeaderOnly(w, h int, progressive bool) []byte {
	sof := byte(0xC0)
	if progressive {
		sof = 0xC2
	}
	out := []byte{0xFF, 0xD8}
	out = append(out, segment(sof, []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1})...)
	out = append(out, segment(0xDA, []byte{3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0})...)
	return append(out, 0xFF, 0xD9)
}

// hasGPS says whether any EXIF segment of a JPEG names a GPS IFD.
func hasGPS(tb testing.TB, data []byte) bool {
	tb.Helper()
	parts, err := photo.JPEGParts(data, false)
	if err != nil {
		tb.Fatalf("stripped JPEG does not parse: %v", err)
	}
	found := false
	for _, p := range parts {
		if p.Marker() == 0xE1 {
			photo.ExifTags(p.Body(), func(tag, _ uint16, _ uint32) { found = found || tag == 0x8825 })
		}
	}
	return found
}
