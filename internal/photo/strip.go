package photo

import (
	"bytes"
	"strings"

	"tambon/internal/apperr"
)

// Strip removes the metadata of a JPEG, PNG or WebP without re-encoding
// it: for JPEG the EXIF (GPS, camera, date, thumbnail), XMP, IPTC and
// comment segments, keeping only a minimal EXIF with the orientation when
// the picture is stored sideways; for PNG the text, eXIf and time chunks;
// for WebP the EXIF and XMP chunks. Other formats are refused: tambon
// re-encodes those, which keeps no metadata.
func Strip(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		return stripJPEG(data)
	case bytes.HasPrefix(data, []byte(pngSignature)):
		return stripPNG(data)
	case isWebP(data):
		return stripWebP(data)
	}
	return nil, errFormat
}

// Clean is for a file kept as sent (plan evidence): a picture is checked
// (Check) and stripped of its metadata (Strip); any other file (a PDF) is
// returned as it is. contentType is the type sniffed from the file.
func Clean(name, contentType string, data []byte, maxBytes int) ([]byte, error) {
	if !strings.HasPrefix(contentType, "image/") {
		return data, nil
	}
	if _, err := Check(name, data, maxBytes); err != nil {
		return nil, err
	}
	out, err := Strip(data)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf(
			"อ่านรูป %s ไม่ได้ (ไฟล์อาจเสียหาย): รับรูป JPEG, PNG หรือ WebP",
			"cannot read the photo %s (the file may be damaged): JPEG, PNG or WebP photos are taken", name))
	}
	return out, nil
}

// StripOrKeep is Strip for files kept whatever they are (the media of an
// OpenRosa submission: photos, signatures, sounds): a JPEG, PNG or WebP
// comes back without its metadata; anything else, or a picture Strip
// cannot read, comes back as it is.
func StripOrKeep(data []byte) []byte {
	if out, err := Strip(data); err == nil {
		return out
	}
	return data
}
