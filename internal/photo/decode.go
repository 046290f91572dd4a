package photo

import (
	"bytes"
	"context"
	"image"
	"image/color"

	"tambon/internal/apperr"
)

// decodeSlots is how many pictures are decoded at once in the whole
// process. With MaxDecodeBytes each, decoding never holds more than
// 2 × 128 MB however many uploads arrive together; the others wait.
var decodeSlots = make(chan struct{}, 2)

// Shrink checks a picture (Check), decodes it and returns it upright and
// scaled down so its long side is at most size pixels. The full-size
// picture lives only inside Shrink, which holds one of the decode slots
// meanwhile: what is returned is the small picture.
func Shrink(ctx context.Context, name string, data []byte, maxBytes, size int) (image.Image, Info, error) {
	info, err := Check(name, data, maxBytes)
	if err != nil {
		return nil, info, err
	}
	if info.Format == "webp" {
		return nil, info, apperr.New(apperr.Invalid, apperr.Tf(
			"รูป %s เป็นแบบ WebP ซึ่งย่อขนาดไม่ได้: โปรดส่งเป็น JPEG หรือ PNG",
			"the photo %s is a WebP, which tambon cannot shrink: send it as JPEG or PNG", name))
	}
	select {
	case decodeSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, info, ctx.Err()
	}
	defer func() { <-decodeSlots }()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, info, apperr.Wrap(err, apperr.Invalid, apperr.Tf(
			"อ่านรูป %s ไม่ได้ (ไฟล์อาจเสียหาย)", "cannot read the photo %s (the file may be damaged)", name))
	}
	return Upright(Fit(img, size), info.Orientation), info, nil
}

// Fit scales img down so its long side is at most size, averaging the
// source pixels each target pixel covers (a box filter: sharp enough for
// photos of meetings, and no dependency). Pixels are read straight from the
// decoders' image types, allocating nothing per pixel.
func Fit(img image.Image, size int) image.Image {
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
	at := rgbAt(img)
	out := image.NewRGBA(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		y0, y1 := b.Min.Y+y*h/nh, b.Min.Y+(y+1)*h/nh
		y1 = max(y1, y0+1)
		for x := 0; x < nw; x++ {
			x0, x1 := b.Min.X+x*w/nw, b.Min.X+(x+1)*w/nw
			x1 = max(x1, x0+1)
			var r, g, bl, n uint32
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb := at(sx, sy)
					r, g, bl, n = r+cr, g+cg, bl+cb, n+1
				}
			}
			i := out.PixOffset(x, y)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = uint8(r/n), uint8(g/n), uint8(bl/n), 255
		}
	}
	return out
}

// rgbAt returns a reader of a pixel's 8-bit red, green and blue (over
// black where transparent) for the image types the decoders return.
func rgbAt(img image.Image) func(x, y int) (r, g, b uint32) {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) (uint32, uint32, uint32) {
			ci := m.COffset(x, y)
			r, g, b := color.YCbCrToRGB(m.Y[m.YOffset(x, y)], m.Cb[ci], m.Cr[ci])
			return uint32(r), uint32(g), uint32(b)
		}
	case *image.RGBA:
		return func(x, y int) (uint32, uint32, uint32) {
			i := m.PixOffset(x, y)
			return uint32(m.Pix[i]), uint32(m.Pix[i+1]), uint32(m.Pix[i+2])
		}
	case *image.NRGBA:
		return func(x, y int) (uint32, uint32, uint32) {
			i := m.PixOffset(x, y)
			a := uint32(m.Pix[i+3])
			return uint32(m.Pix[i]) * a / 255, uint32(m.Pix[i+1]) * a / 255, uint32(m.Pix[i+2]) * a / 255
		}
	case *image.Gray:
		return func(x, y int) (uint32, uint32, uint32) {
			v := uint32(m.Pix[m.PixOffset(x, y)])
			return v, v, v
		}
	case *image.Paletted:
		var pal [256][3]uint32
		for i, c := range m.Palette {
			r, g, b, _ := c.RGBA()
			pal[i] = [3]uint32{r >> 8, g >> 8, b >> 8}
		}
		return func(x, y int) (uint32, uint32, uint32) {
			c := pal[m.Pix[m.PixOffset(x, y)]]
			return c[0], c[1], c[2]
		}
	case *image.CMYK:
		return func(x, y int) (uint32, uint32, uint32) {
			i := m.PixOffset(x, y)
			r, g, b := color.CMYKToRGB(m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3])
			return uint32(r), uint32(g), uint32(b)
		}
	}
	return func(x, y int) (uint32, uint32, uint32) {
		r, g, b, _ := img.At(x, y).RGBA()
		return r >> 8, g >> 8, b >> 8
	}
}

// Upright turns a picture as its EXIF orientation (1–8) says, so that a
// photo taken with the phone held sideways shows upright once re-encoded
// without metadata.
func Upright(img image.Image, orientation int) image.Image {
	if orientation < 2 || orientation > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if orientation >= 5 {
		ow, oh = h, w
	}
	at := rgbAt(img)
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			var sx, sy int
			switch orientation {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			r, g, bl := at(b.Min.X+sx, b.Min.Y+sy)
			i := out.PixOffset(x, y)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = uint8(r), uint8(g), uint8(bl), 255
		}
	}
	return out
}
