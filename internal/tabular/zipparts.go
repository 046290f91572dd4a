package tabular

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// zipParts indexes the entries of a zip archive by name, so that sniffing can
// ask "is there an xl/workbook.xml?" without reading any entry.
type zipParts struct {
	zr     *zip.Reader
	byName map[string]*zip.File
}

func newZipParts(zr *zip.Reader) zipParts {
	m := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		m[strings.ReplaceAll(f.Name, "\\", "/")] = f
	}
	return zipParts{zr: zr, byName: m}
}

func (z zipParts) has(name string) bool { _, ok := z.byName[name]; return ok }

func (z zipParts) hasPrefix(prefix string) bool {
	for name := range z.byName {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// unzippedSize is what the archive claims it expands to. archive/zip refuses
// to read more than an entry claims, so checking the claim is enough to stop
// a zip bomb before excelize unpacks anything.
func (z zipParts) unzippedSize() uint64 {
	var n uint64
	for _, f := range z.zr.File {
		n += f.UncompressedSize64
	}
	return n
}

// readSmall returns an entry's bytes, refusing entries over limit; used for
// the small parts (mimetype, workbook.xml, its relationships).
func (z zipParts) readSmall(name string, limit int64) ([]byte, error) {
	f, ok := z.byName[name]
	if !ok {
		return nil, fmt.Errorf("zip entry %s missing", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("zip entry %s over %d bytes", name, limit)
	}
	return b, nil
}

// sheetPaths maps each worksheet's name to its part inside the archive
// (xl/worksheets/sheet1.xml), by reading workbook.xml and its relationships.
// excelize keeps this map private; tabular needs it to scan a sheet's merged
// cells without decoding the whole sheet into memory.
func (z zipParts) sheetPaths() (map[string]string, error) {
	const limit = 16 << 20
	wbXML, err := z.readSmall("xl/workbook.xml", limit)
	if err != nil {
		return nil, err
	}
	relsXML, err := z.readSmall("xl/_rels/workbook.xml.rels", limit)
	if err != nil {
		return nil, err
	}
	var wb struct {
		Sheets []struct {
			Name string     `xml:"name,attr"`
			Attr []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wbXML, &wb); err != nil {
		return nil, fmt.Errorf("workbook.xml: %w", err)
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(relsXML, &rels); err != nil {
		return nil, fmt.Errorf("workbook.xml.rels: %w", err)
	}
	targets := make(map[string]string, len(rels.Rel))
	for _, r := range rels.Rel {
		t := strings.ReplaceAll(r.Target, "\\", "/")
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	out := make(map[string]string, len(wb.Sheets))
	for _, s := range wb.Sheets {
		for _, a := range s.Attr {
			if a.Name.Local == "id" {
				out[s.Name] = targets[a.Value]
			}
		}
	}
	return out, nil
}

// mergedRanges streams a worksheet part and returns the ref of every
// mergeCell element ("A5:A7"). It scans bytes instead of decoding XML: a '<'
// never appears unescaped in XML text, so "<mergeCell " (or a prefixed
// "<x:mergeCell ") is always a real element. This costs one decompression
// pass, far less than excelize's GetMergeCells, which decodes the whole sheet
// into memory.
func (z zipParts) mergedRanges(part string) ([]string, error) {
	f, ok := z.byName[part]
	if !ok {
		return nil, fmt.Errorf("zip entry %s missing", part)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	var refs []string
	for {
		if _, err := br.ReadSlice('<'); err != nil {
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				return refs, nil
			}
			return refs, err
		}
		head, _ := br.Peek(48)
		name := head
		if i := bytes.IndexAny(name, " \t\r\n/>"); i >= 0 {
			name = name[:i]
		} else {
			continue
		}
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		if string(name) != "mergeCell" {
			continue
		}
		tag, err := br.ReadSlice('>')
		if err != nil {
			return refs, fmt.Errorf("mergeCell element: %w", err)
		}
		if ref, ok := attrValue(tag, "ref"); ok {
			refs = append(refs, ref)
		}
	}
}

// attrValue finds name="value" (or single quotes) in the bytes of one tag.
func attrValue(tag []byte, name string) (string, bool) {
	for i := 0; ; {
		j := bytes.Index(tag[i:], []byte(name))
		if j < 0 {
			return "", false
		}
		k := i + j
		i = k + len(name)
		if k > 0 && !isXMLSpace(tag[k-1]) {
			continue
		}
		rest := bytes.TrimLeft(tag[i:], " \t\r\n")
		if len(rest) < 2 || rest[0] != '=' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			continue
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return "", false
		}
		return string(rest[1 : 1+end]), true
	}
}

func isXMLSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }
