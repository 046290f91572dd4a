package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
)

var errDamaged = errors.New("damaged or truncated picture")

// jpart is one marker of a JPEG with its segment, and for a start of scan
// the entropy-coded data that follows it.
type jpart struct {
	marker     byte
	standalone bool   // no length and no body (RSTn, TEM, EOI)
	body       []byte // the segment after its length
	ecs        []byte // after SOS: the scan's coded data, up to the next marker
}

// jpegParts walks a JPEG from SOI to EOI. With headerOnly it stops at the
// first start of scan. Bytes after EOI (phone makers' trailers, a second
// picture) are not part of the picture and are left out.
func jpegParts(data []byte, headerOnly bool) ([]jpart, error) {
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, errFormat
	}
	var parts []jpart
	i := 2
	for {
		if i >= len(data) || data[i] != 0xFF {
			return nil, errDamaged
		}
		for i < len(data) && data[i] == 0xFF { // fill bytes
			i++
		}
		if i >= len(data) {
			return nil, errDamaged
		}
		m := data[i]
		i++
		switch {
		case m == 0x00 || m == 0xD8:
			return nil, errDamaged
		case m == 0xD9:
			return append(parts, jpart{marker: m, standalone: true}), nil
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			parts = append(parts, jpart{marker: m, standalone: true})
			continue
		}
		if i+2 > len(data) {
			return nil, errDamaged
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return nil, errDamaged
		}
		p := jpart{marker: m, body: data[i+2 : i+n]}
		i += n
		if m == 0xDA {
			if headerOnly {
				return append(parts, p), nil
			}
			j := i
			for j < len(data) {
				if data[j] == 0xFF && j+1 < len(data) && (data[j+1] == 0x00 || (data[j+1] >= 0xD0 && data[j+1] <= 0xD7)) {
					j += 2 // a stuffed 0xFF, or a restart marker inside the scan
					continue
				}
				if data[j] == 0xFF {
					break
				}
				j++
			}
			p.ecs = data[i:j]
			i = j
		}
		parts = append(parts, p)
	}
}

// jpegInfo is what the header of a JPEG says beyond its size.
type jpegInfo struct {
	orientation int
	decodeBytes int64
}

// jpegHeader reads the EXIF orientation and estimates what image/jpeg
// allocates: one byte per sample of each component (planes padded to whole
// MCUs), four more per sample for a progressive JPEG (it keeps every
// coefficient until the last scan), and an RGBA or CMYK copy when the
// picture is not YCbCr.
func jpegHeader(data []byte) (jpegInfo, error) {
	parts, err := jpegParts(data, true)
	if err != nil {
		return jpegInfo{}, err
	}
	info := jpegInfo{orientation: 1}
	adobeRGB := false
	for _, p := range parts {
		switch {
		case p.marker == 0xE1 && bytes.HasPrefix(p.body, exifPrefix) && info.orientation == 1:
			info.orientation = exifOrientation(p.body)
		case p.marker == 0xEE && bytes.HasPrefix(p.body, []byte("Adobe")) && len(p.body) >= 12:
			adobeRGB = p.body[11] == 0
		case p.marker >= 0xC0 && p.marker <= 0xCF && p.marker != 0xC4 && p.marker != 0xC8 && p.marker != 0xCC:
			b := p.body
			if len(b) < 6 {
				return jpegInfo{}, errDamaged
			}
			h, w, nc := int64(binary.BigEndian.Uint16(b[1:])), int64(binary.BigEndian.Uint16(b[3:])), int(b[5])
			if nc == 0 || len(b) < 6+3*nc {
				return jpegInfo{}, errDamaged
			}
			var hmax, vmax int64 = 1, 1
			for c := 0; c < nc; c++ {
				hmax, vmax = max(hmax, int64(b[7+3*c]>>4)), max(vmax, int64(b[7+3*c]&15))
			}
			mxx, myy := (w+8*hmax-1)/(8*hmax), (h+8*vmax-1)/(8*vmax)
			var samples int64
			for c := 0; c < nc; c++ {
				samples += 8 * int64(b[7+3*c]>>4) * mxx * 8 * int64(b[7+3*c]&15) * myy
			}
			info.decodeBytes = samples
			if p.marker == 0xC2 || p.marker == 0xC6 || p.marker == 0xCA || p.marker == 0xCE {
				info.decodeBytes += 4 * samples
			}
			rgbIDs := nc == 3 && b[6] == 'R' && b[9] == 'G' && b[12] == 'B'
			if nc == 4 || (nc == 3 && (adobeRGB || rgbIDs)) {
				info.decodeBytes += 4 * w * h
			}
		}
	}
	if info.decodeBytes == 0 {
		return jpegInfo{}, errDamaged
	}
	return info, nil
}

var exifPrefix = []byte("Exif\x00\x00")

// exifIFD0 returns the byte order, the TIFF data and the offset of the
// first IFD of an APP1 EXIF segment's body, or ok false.
func exifIFD0(body []byte) (order binary.ByteOrder, tiff []byte, off int, ok bool) {
	if !bytes.HasPrefix(body, exifPrefix) || len(body) < 6+8 {
		return nil, nil, 0, false
	}
	tiff = body[6:]
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return nil, nil, 0, false
	}
	o := order.Uint32(tiff[4:])
	if o > uint32(len(tiff)-2) {
		return nil, nil, 0, false
	}
	return order, tiff, int(o), true
}

// exifTags calls f with each tag of the first IFD and its first SHORT or
// LONG value.
func exifTags(body []byte, f func(tag, typ uint16, value uint32)) {
	order, tiff, off, ok := exifIFD0(body)
	if !ok {
		return
	}
	n := int(order.Uint16(tiff[off:]))
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(tiff) {
			return
		}
		typ := order.Uint16(tiff[e+2:])
		v := order.Uint32(tiff[e+8:])
		if typ == 3 { // SHORT: the value sits in the first two bytes
			v = uint32(order.Uint16(tiff[e+8:]))
		}
		f(order.Uint16(tiff[e:]), typ, v)
	}
}

// exifOrientation is the Orientation tag (0x0112) of an EXIF segment, 1 if
// absent or not one of the eight valid values.
func exifOrientation(body []byte) int {
	o := 1
	exifTags(body, func(tag, typ uint16, v uint32) {
		if tag == 0x0112 && typ == 3 && v >= 1 && v <= 8 {
			o = int(v)
		}
	})
	return o
}

// orientationExif is the smallest EXIF segment body that says only how to
// turn the picture upright: big-endian TIFF, one IFD, one tag.
func orientationExif(o int) []byte {
	b := append([]byte{}, exifPrefix...)
	b = append(b, 'M', 'M', 0, 42, 0, 0, 0, 8) // TIFF header, IFD0 at 8
	b = append(b, 0, 1)                        // one entry
	b = append(b, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0)
	return append(b, 0, 0, 0, 0) // no next IFD
}

// keepJPEG says which markers a stripped JPEG keeps: everything that
// decoding needs (frames, tables, scans, restarts), the JFIF header, the ICC
// colour profile and the Adobe colour transform. EXIF (with GPS, maker
// notes and the thumbnail), XMP, IPTC/Photoshop, comments and any other
// application segment are dropped.
func keepJPEG(p jpart) bool {
	m := p.marker
	switch {
	case p.standalone:
		return true
	case m >= 0xC0 && m <= 0xCF, m >= 0xDA && m <= 0xDF:
		return true
	case m == 0xE0:
		return bytes.HasPrefix(p.body, []byte("JFIF\x00"))
	case m == 0xE2:
		return bytes.HasPrefix(p.body, []byte("ICC_PROFILE\x00"))
	case m == 0xEE:
		return bytes.HasPrefix(p.body, []byte("Adobe"))
	}
	return false
}

// stripJPEG removes metadata from a JPEG without touching its coded data.
// When the picture was stored sideways (EXIF orientation other than 1) a
// minimal EXIF segment holding only the orientation is written, so viewers
// still show it upright.
func stripJPEG(data []byte) ([]byte, error) {
	parts, err := jpegParts(data, false)
	if err != nil {
		return nil, err
	}
	orient := 1
	for _, p := range parts {
		if p.marker == 0xDA {
			break
		}
		if p.marker == 0xE1 && orient == 1 {
			orient = exifOrientation(p.body)
		}
	}
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, 0xD8)
	write := func(m byte, body []byte) {
		out = append(out, 0xFF, m, byte((len(body)+2)>>8), byte(len(body)+2))
		out = append(out, body...)
	}
	if len(parts) > 0 && parts[0].marker == 0xE0 && keepJPEG(parts[0]) {
		write(0xE0, parts[0].body) // JFIF comes first when present
		parts = parts[1:]
	}
	if orient != 1 {
		write(0xE1, orientationExif(orient))
	}
	for _, p := range parts {
		switch {
		case !keepJPEG(p):
		case p.standalone:
			out = append(out, 0xFF, p.marker)
		default:
			write(p.marker, p.body)
			out = append(out, p.ecs...)
		}
	}
	return out, nil
}
