package activity

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"

	_ "image/gif" // uploads may be GIF
	_ "image/png" // or PNG

	"tambon/internal/apperr"
)

// Photo limits. An upload larger than MaxPhotoBytes is refused; a picture is
// kept at most DisplaySize pixels on its long side (about 150 kB as JPEG) with
// a ThumbSize thumbnail (about 15 kB) for lists, so a news page opens on a
// slow village connection.
const (
	MaxPhotoBytes  = 8 << 20
	MaxPhotoPixels = 50_000_000
	DisplaySize    = 1280
	ThumbSize      = 320
)

// Shrunk is a photo ready to store: a display JPEG and a thumbnail.
type Shrunk struct {
	Image  []byte
	Thumb  []byte
	Width  int // of Image
	Height int
}

// ShrinkPhoto checks an uploaded picture (JPEG, PNG or GIF) and returns it
// resized for the web. name is the uploaded file's name, for the message.
func ShrinkPhoto(name string, data []byte) (Shrunk, error) {
	if len(data) > MaxPhotoBytes {
		return Shrunk{}, apperr.New(apperr.Invalid, apperr.Tf(
			"รูป %s มีขนาด %.1f MB เกินที่รับได้ %d MB: โปรดย่อรูปก่อนส่ง",
			"the photo %s is %.1f MB, more than the %d MB allowed: shrink it before sending",
			name, float64(len(data))/(1<<20), MaxPhotoBytes>>20))
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Shrunk{}, apperr.Wrap(err, apperr.Invalid, apperr.Tf(
			"ไฟล์ %s ไม่ใช่รูปภาพที่อ่านได้ (รับ JPEG, PNG หรือ GIF)", "%s is not a picture tambon can read (JPEG, PNG or GIF)", name))
	}
	if cfg.Width*cfg.Height > MaxPhotoPixels || cfg.Width <= 0 || cfg.Height <= 0 {
		return Shrunk{}, apperr.New(apperr.Invalid, apperr.Tf(
			"รูป %s มีขนาด %d×%d จุด ใหญ่เกินไป", "the photo %s is %d×%d pixels, too large", name, cfg.Width, cfg.Height))
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Shrunk{}, apperr.Wrap(err, apperr.Invalid, apperr.Tf(
			"อ่านรูป %s ไม่ได้ (ไฟล์อาจเสียหาย)", "cannot read the photo %s (the file may be damaged)", name))
	}
	disp := fit(img, DisplaySize)
	thumb := fit(disp, ThumbSize)
	var a, b bytes.Buffer
	if err := jpeg.Encode(&a, disp, &jpeg.Options{Quality: 78}); err != nil {
		return Shrunk{}, err
	}
	if err := jpeg.Encode(&b, thumb, &jpeg.Options{Quality: 70}); err != nil {
		return Shrunk{}, err
	}
	r := disp.Bounds()
	return Shrunk{Image: a.Bytes(), Thumb: b.Bytes(), Width: r.Dx(), Height: r.Dy()}, nil
}

// fit scales img down so its long side is at most size, averaging the
// source pixels each target pixel covers (a box filter: sharp enough for
// photos of meetings, and no dependency).
func fit(img image.Image, size int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= size && h <= size {
		return img
	}
	nw, nh := size, h*size/w
	if h > w {
		nw, nh = w*size/h, size
	}
	nw, nh = max(nw, 1), max(nh, 1)
	out := image.NewRGBA(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		y0, y1 := b.Min.Y+y*h/nh, b.Min.Y+(y+1)*h/nh
		y1 = max(y1, y0+1)
		for x := 0; x < nw; x++ {
			x0, x1 := b.Min.X+x*w/nw, b.Min.X+(x+1)*w/nw
			x1 = max(x1, x0+1)
			var r, g, bl, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, _ := img.At(sx, sy).RGBA()
					r, g, bl, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), n+1
				}
			}
			out.SetRGBA(x, y, color.RGBA{uint8(r / n >> 8), uint8(g / n >> 8), uint8(bl / n >> 8), 255})
		}
	}
	return out
}
