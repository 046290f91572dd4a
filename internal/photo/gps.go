package photo

import (
	"bytes"
	"encoding/binary"
)

// GPS returns where a JPEG says it was taken: the EXIF GPS latitude and
// longitude in degrees (south and west negative), or ok false when the
// picture has no readable position. Pictures are stored without their
// metadata; a caller that must keep the position for those allowed to see
// it reads it here first, and stores it apart from the picture.
func GPS(data []byte) (lat, lon float64, ok bool) {
	parts, err := jpegParts(data, true)
	if err != nil {
		return 0, 0, false
	}
	for _, p := range parts {
		if p.marker == 0xE1 && bytes.HasPrefix(p.body, exifPrefix) {
			if lat, lon, ok = exifGPS(p.body); ok {
				return lat, lon, true
			}
		}
	}
	return 0, 0, false
}

// exifGPS reads GPSLatitudeRef/GPSLatitude and GPSLongitudeRef/GPSLongitude
// from the GPS IFD that IFD0's GPSInfo tag (0x8825) points at.
func exifGPS(body []byte) (lat, lon float64, ok bool) {
	order, tiff, _, okIFD := exifIFD0(body)
	if !okIFD {
		return 0, 0, false
	}
	gpsAt := -1
	exifTags(body, func(tag, typ uint16, v uint32) {
		if tag == 0x8825 && (typ == 4 || typ == 13) {
			gpsAt = int(v)
		}
	})
	if gpsAt < 0 || gpsAt+2 > len(tiff) {
		return 0, 0, false
	}
	n := int(order.Uint16(tiff[gpsAt:]))
	var latRef, lonRef byte
	var la, lo float64
	var haveLat, haveLon bool
	for i := 0; i < n; i++ {
		e := gpsAt + 2 + 12*i
		if e+12 > len(tiff) {
			return 0, 0, false
		}
		tag, typ, count := order.Uint16(tiff[e:]), order.Uint16(tiff[e+2:]), order.Uint32(tiff[e+4:])
		switch {
		case (tag == 1 || tag == 3) && typ == 2 && count >= 1:
			if tag == 1 {
				latRef = tiff[e+8]
			} else {
				lonRef = tiff[e+8]
			}
		case (tag == 2 || tag == 4) && typ == 5 && count == 3:
			d, good := degrees(order, tiff, int(order.Uint32(tiff[e+8:])))
			if !good {
				continue
			}
			if tag == 2 {
				la, haveLat = d, true
			} else {
				lo, haveLon = d, true
			}
		}
	}
	if !haveLat || !haveLon || la > 90 || lo > 180 {
		return 0, 0, false
	}
	if latRef == 'S' {
		la = -la
	}
	if lonRef == 'W' {
		lo = -lo
	}
	return la, lo, true
}

// degrees reads three RATIONALs (degrees, minutes, seconds) at off.
func degrees(order binary.ByteOrder, tiff []byte, off int) (float64, bool) {
	if off < 0 || off+24 > len(tiff) {
		return 0, false
	}
	var v [3]float64
	for k := range v {
		num, den := order.Uint32(tiff[off+8*k:]), order.Uint32(tiff[off+8*k+4:])
		if den == 0 {
			return 0, false
		}
		v[k] = float64(num) / float64(den)
	}
	return v[0] + v[1]/60 + v[2]/3600, true
}
