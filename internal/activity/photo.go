package activity

import (
	"bytes"
	"context"
	"image/jpeg"

	"tambon/internal/photo"
)

// Photo limits. An upload larger than MaxPhotoBytes is refused; a picture is
// kept at most DisplaySize pixels on its long side (about 150 kB as JPEG) with
// a ThumbSize thumbnail (about 15 kB) for lists, so a news page opens on a
// slow village connection.
const (
	MaxPhotoBytes = 8 << 20
	DisplaySize   = 1280
	ThumbSize     = 320
)

// Shrunk is a photo ready to store: a display JPEG and a thumbnail.
type Shrunk struct {
	Image  []byte
	Thumb  []byte
	Width  int // of Image
	Height int
}

// ShrinkPhoto checks an uploaded picture (JPEG, PNG or GIF) from its
// header before decoding it (photo.Check: bytes, pixels and the memory
// decoding takes), and returns it upright and resized for the web. The
// result is re-encoded, so it keeps none of the upload's metadata (EXIF,
// GPS, XMP). name is the uploaded file's name, for the message.
func ShrinkPhoto(name string, data []byte) (Shrunk, error) {
	disp, _, err := photo.Shrink(context.Background(), name, data, MaxPhotoBytes, DisplaySize)
	if err != nil {
		return Shrunk{}, err
	}
	thumb := photo.Fit(disp, ThumbSize)
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
