package photo

import (
	"bytes"
	"encoding/binary"
)

const pngSignature = "\x89PNG\r\n\x1a\n"

// pngKeep are the chunks a stripped PNG keeps: the critical ones and those
// that change how its colours look. Text (tEXt, zTXt, iTXt: where XMP and
// software notes live), eXIf, tIME, animation and unknown chunks go.
var pngKeep = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true,
	"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "sBIT": true, "pHYs": true, "bKGD": true,
}

// stripPNG removes a PNG's ancillary chunks other than those in pngKeep,
// copying the others byte for byte (with their CRCs); bytes after IEND go.
func stripPNG(data []byte) ([]byte, error) {
	if !bytes.HasPrefix(data, []byte(pngSignature)) {
		return nil, errFormat
	}
	out := make([]byte, 0, len(data))
	out = append(out, pngSignature...)
	for i := len(pngSignature); ; {
		if len(data)-i < 12 {
			return nil, errDamaged
		}
		n := uint64(binary.BigEndian.Uint32(data[i:]))
		if n > uint64(len(data)-i-12) {
			return nil, errDamaged
		}
		typ := string(data[i+4 : i+8])
		if i == len(pngSignature) && typ != "IHDR" {
			return nil, errDamaged
		}
		end := i + 12 + int(n)
		if pngKeep[typ] {
			out = append(out, data[i:end]...)
		}
		if typ == "IEND" {
			return out, nil
		}
		i = end
	}
}
