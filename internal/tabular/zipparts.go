package tabular

import (
	"archive/zip"
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
// mergeCell element ("A5:A7"). It searches the bytes instead of decoding
// XML: a '<' never appears unescaped in XML text, so "<mergeCell " (or a
// prefixed "<x:mergeCell ") is always a real element. The search runs over
// large chunks with bytes.Index, so this pass costs little more than
// decompressing the part.
func (z zipParts) mergedRanges(part string) ([]string, error) {
	rc, err := z.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	const (
		chunk    = 256 << 10
		keep     = 64 << 10 // the longest mergeCell tag read
		lookback = 64       // room for "<prefix:" before a name
	)
	word := []byte("mergeCell")
	buf := make([]byte, chunk+keep+lookback)
	var refs []string
	n, from := 0, 0 // bytes held; where the search resumes
	for eof := false; !eof; {
		m, err := io.ReadFull(rc, buf[n:])
		n += m
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			eof = true
		default:
			return refs, err
		}
		data := buf[:n]
		limit := n - keep // a tag starting before limit is whole in data
		if eof {
			limit = n
		}
		for from < limit {
			i := bytes.Index(data[from:], word)
			if i < 0 || from+i >= limit {
				break
			}
			i += from
			from = i + len(word)
			if !mergeCellAt(data, i, len(word)) {
				continue
			}
			end := bytes.IndexByte(data[i:], '>')
			if end < 0 {
				return refs, fmt.Errorf("mergeCell element: %w", io.ErrUnexpectedEOF)
			}
			if ref, ok := attrValue(data[i+len(word):i+end+1], "ref"); ok {
				refs = append(refs, ref)
			}
		}
		if eof {
			break
		}
		// Keep the unsearched tail, and a little before it.
		from = max(from, limit)
		cut := max(from-lookback, 0)
		n = copy(buf, data[cut:])
		from -= cut
	}
	return refs, nil
}

// mergeCellAt reports whether the name at data[i:i+n] is an element name:
// after '<' or "<prefix:", and followed by a space, '/' or '>'.
func mergeCellAt(data []byte, i, n int) bool {
	if i+n >= len(data) {
		return false
	}
	switch data[i+n] {
	case ' ', '\t', '\r', '\n', '/', '>':
	default:
		return false
	}
	j := i - 1
	if j >= 0 && data[j] == ':' {
		for j--; j >= 0 && data[j] != '<'; j-- {
			if c := data[j]; isXMLSpace(c) || c == '>' || c == '/' || c == ':' || i-j > 60 {
				return false
			}
		}
	}
	return j >= 0 && data[j] == '<'
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

// sharedStringsPart is where excelize, and so tabular, reads shared strings.
const sharedStringsPart = "xl/sharedStrings.xml"

// open opens an entry for streaming.
func (z zipParts) open(name string) (io.ReadCloser, error) {
	f, ok := z.byName[name]
	if !ok {
		return nil, fmt.Errorf("zip entry %s missing", name)
	}
	return f.Open()
}

// declaresUTF8 reports whether an XML part is UTF-8: it has no UTF-16
// byte-order mark and its XML declaration, if any, names UTF-8 or no
// encoding. A missing or unreadable part counts as UTF-8: reading it will
// answer for it.
func (z zipParts) declaresUTF8(name string) bool {
	rc, err := z.open(name)
	if err != nil {
		return true
	}
	defer rc.Close()
	head := make([]byte, 256)
	n, _ := io.ReadFull(rc, head)
	head = head[:n]
	if bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || bytes.HasPrefix(head, []byte{0xFF, 0xFE}) {
		return false
	}
	head = bytes.TrimPrefix(head, bomUTF8)
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return true
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return true
	}
	enc, ok := attrValue(head[:end], "encoding")
	if !ok {
		return true
	}
	enc = strings.ToLower(strings.TrimSpace(enc))
	return enc == "utf-8" || enc == "utf8"
}
