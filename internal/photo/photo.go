// Package photo checks uploaded pictures before anything large is allocated
// for them, and removes what a picture says about where and by whom it was
// taken (EXIF, GPS, XMP, IPTC, PNG text chunks) before it is stored.
//
// Every picture tambon takes goes through Check first: it reads only the
// file's header, so a small file that claims to be 7000×7000 pixels costs
// nothing. Pictures kept as sent (plan evidence) go through Strip, which
// drops metadata without re-encoding; pictures shrunk for the web go through
// Decode, which decodes at most a few pictures at a time within a memory
// budget and turns the picture upright.
package photo

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"math"

	_ "image/gif"  // uploads may be GIF
	_ "image/jpeg" // or JPEG
	_ "image/png"  // or PNG

	"tambon/internal/apperr"
)

// Limits of one picture.
//
// MaxPixels is 50 megapixels so that a 48-megapixel phone photo (8000×6000,
// the full-resolution mode of common phones) is taken as it comes: asking a
// village volunteer to shrink it first would lose the photo. The memory a
// picture needs once decoded depends on its kind as well as its size, so
// MaxDecodeBytes bounds that too: a 48 MP camera JPEG (1.5 bytes a pixel,
// 72 MB) fits; a 7000×7000 PNG with alpha (4 bytes a pixel, 196 MB) does not.
const (
	MaxPixels      = 50_000_000
	MaxDecodeBytes = 128 << 20
)

// Info is what a picture's header says.
type Info struct {
	Format      string // "jpeg", "png", "gif" or "webp"
	Width       int
	Height      int
	Orientation int   // EXIF orientation 1–8 (1 when absent): how to turn the picture upright
	DecodeBytes int64 // about how much memory decoding it takes
}

// ContentType is the picture's MIME type.
func (i Info) ContentType() string { return "image/" + i.Format }

var errFormat = errors.New("not a JPEG, PNG, GIF or WebP picture")

// Check reads a picture's header and refuses it when it is not a picture
// tambon reads, when it is larger than maxBytes, or when its pixel count or
// decoded size is beyond the limits. name is the uploaded file's name, for
// the message. Nothing proportional to the picture's pixels is allocated.
func Check(name string, data []byte, maxBytes int) (Info, error) {
	if len(data) > maxBytes {
		return Info{}, apperr.New(apperr.Invalid, apperr.Tf(
			"รูป %s มีขนาด %.1f MB เกินที่รับได้ %g MB: โปรดย่อรูปก่อนส่ง",
			"the photo %s is %.1f MB, more than the %g MB allowed: shrink it before sending",
			name, float64(len(data))/(1<<20), math.Round(float64(maxBytes)/(1<<20)*10)/10))
	}
	info, err := header(data)
	if err != nil {
		return Info{}, apperr.Wrap(err, apperr.Invalid, apperr.Tf(
			"ไฟล์ %s ไม่ใช่รูปภาพที่อ่านได้ (รับ JPEG, PNG, GIF หรือ WebP) หรือไฟล์เสียหาย",
			"%s is not a picture tambon can read (JPEG, PNG, GIF or WebP), or the file is damaged", name))
	}
	px := int64(info.Width) * int64(info.Height)
	if info.Width <= 0 || info.Height <= 0 || px > MaxPixels {
		return Info{}, apperr.New(apperr.Invalid, apperr.Tf(
			"รูป %s มีขนาด %d×%d จุด (%.1f ล้านจุด) เกินที่รับได้ %d ล้านจุด: โปรดย่อรูปก่อนส่ง",
			"the photo %s is %d×%d pixels (%.1f megapixels), more than the %d megapixels allowed: shrink it before sending",
			name, info.Width, info.Height, float64(px)/1e6, MaxPixels/1_000_000))
	}
	if info.DecodeBytes > MaxDecodeBytes {
		return Info{}, apperr.New(apperr.Invalid, apperr.Tf(
			"รูป %s (%d×%d จุด แบบ %s) ต้องใช้หน่วยความจำ %d MB ในการเปิด เกินที่รับได้ %d MB: โปรดย่อรูป หรือบันทึกเป็น JPEG ธรรมดาก่อนส่ง",
			"the photo %s (%d×%d pixels, %s) needs %d MB of memory to open, more than the %d MB allowed: shrink it or save it as a plain JPEG before sending",
			name, info.Width, info.Height, info.Format, info.DecodeBytes>>20, MaxDecodeBytes>>20))
	}
	return info, nil
}

// header reads the format, size and orientation of a picture, and
// estimates the memory the standard decoders take for it.
func header(data []byte) (Info, error) {
	if isWebP(data) {
		return webpHeader(data)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, err
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	px := int64(cfg.Width) * int64(cfg.Height)
	switch format {
	case "jpeg":
		j, err := jpegHeader(data)
		if err != nil {
			return Info{}, err
		}
		info.Orientation = j.orientation
		info.DecodeBytes = j.decodeBytes
	case "png":
		info.DecodeBytes = px * bytesPerPixel(cfg.ColorModel)
		if len(data) > 28 && data[28] == 1 { // IHDR interlace method: Adam7 decodes each pass apart, then merges
			info.DecodeBytes *= 2
		}
	case "gif":
		info.DecodeBytes = px // one byte a pixel: the first frame, paletted
	default:
		return Info{}, errFormat
	}
	return info, nil
}

// bytesPerPixel is how many bytes a decoded pixel takes in the image type
// the standard decoders return for the colour model.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel:
		return 1
	case color.Gray16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}
