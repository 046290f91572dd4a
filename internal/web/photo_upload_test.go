package web_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// gpsJPEG is a 64×48 JPEG as a phone sends it: an EXIF segment with the
// orientation and a GPS position, and XMP saying the place again.
func gpsJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	img.Set(0, 0, color.White)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	exif := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x02" +
		"\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00" + // Orientation 6
		"\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x26" + // GPSInfo IFD at 38
		"\x00\x00\x00\x00" +
		"\x00\x01\x00\x01\x00\x02\x00\x00\x00\x02N\x00\x00\x00\x00\x00\x00\x00") // GPSLatitudeRef N
	xmp := []byte("http://ns.adobe.com/xap/1.0/\x00<exif:GPSLatitude>13,45.1N</exif:GPSLatitude>")
	seg := func(m byte, body []byte) []byte {
		return append([]byte{0xFF, m, byte((len(body) + 2) >> 8), byte(len(body) + 2)}, body...)
	}
	out := []byte{0xFF, 0xD8}
	out = append(out, seg(0xE1, exif)...)
	out = append(out, seg(0xE1, xmp)...)
	return append(out, b.Bytes()[2:]...)
}

// pngBomb is a valid 190 kB PNG of 7000×7000 RGBA pixels.
func pngBomb() []byte {
	chunk := func(typ string, data []byte) []byte {
		c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		c = append(append(c, typ...), data...)
		return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
	}
	ihdr := append(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 7000), 7000), 8, 6, 0, 0, 0)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+4*7000)
	for y := 0; y < 7000; y++ {
		zw.Write(row)
	}
	zw.Close()
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", z.Bytes())...)
	return append(out, chunk("IEND", nil)...)
}

// TestPlanEvidencePhotoLosesItsLocation: plan evidence is shown to partner
// companies, so a photo is kept without its GPS position (or any other
// EXIF but the orientation), pixel for pixel as sent; a picture too large
// to open is refused.
func TestPlanEvidencePhotoLosesItsLocation(t *testing.T) {
	app := mustPlanApp(t)
	planURL, _ := mustPlan(t, app)
	c := app.as(t, "tambon")
	_, body, _ := c.get(planURL)
	problem := regexp.MustCompile(`name="rank_(\d+)"`).FindStringSubmatch(body)[1]
	status, _, h := c.post(planURL+"/items", url.Values{"title": {"ลานตากผลผลิต"}, "problem": {problem}, "budget": {"10000"}, "budget_source": {"community"},
		"start": {"1/1/2564"}, "end": {"31/3/2564"}})
	if status != http.StatusSeeOther {
		t.Fatalf("item: %d", status)
	}
	itemURL := h.Get("Location")
	upload := func(name string, data []byte, caption ...string) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		for _, c := range caption {
			mw.WriteField("caption", c)
		}
		mw.Close()
		req, _ := http.NewRequest("POST", c.ts.URL+itemURL+"/evidence", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		status, body, _ := c.do(req)
		return status, body
	}
	sent := gpsJPEG(t)
	if status, body := upload("site.jpg", sent); status != http.StatusSeeOther {
		t.Fatalf("photo: %d %.300s", status, body)
	}
	_, body, _ = c.get(itemURL)
	src := regexp.MustCompile(`<img src="(/plans/\d+/evidence/\d+)"`).FindStringSubmatch(body)
	if src == nil {
		t.Fatal("the photo is not shown on the item page")
	}
	_, got, _ := c.get(src[1])
	for _, s := range []string{"\x88\x25", "GPS", "xap", "13,45.1N"} {
		if strings.Contains(got, s) {
			t.Errorf("the stored photo still holds %q", s)
		}
	}
	if !strings.Contains(got, "\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06") {
		t.Error("the orientation was lost: the photo would show sideways")
	}
	a, _, err1 := image.Decode(strings.NewReader(got))
	b, _, err2 := image.Decode(bytes.NewReader(sent))
	if err1 != nil || err2 != nil || a.Bounds() != b.Bounds() || a.At(0, 0) != b.At(0, 0) || a.At(40, 30) != b.At(40, 30) {
		t.Errorf("the stored photo is not the picture sent (%v, %v)", err1, err2)
	}

	// A caption is a caption: a multipart form's text is capped too.
	if status, body := upload("site.jpg", sent, strings.Repeat("ก", 100_000)); status != http.StatusUnprocessableEntity || !strings.Contains(body, "500") {
		t.Errorf("a caption of 100,000 characters: %d, want 422 naming the limit", status)
	}
	status, body = upload("bomb.png", pngBomb())
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "7000×7000") {
		t.Errorf("a 7000×7000 PNG: %d, want 422 naming its size", status)
	}
}
