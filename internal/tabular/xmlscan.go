package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScan is a small pull tokenizer over a worksheet's XML, written for
// speed on the few shapes a worksheet has (<row>, <c>, <v>, <is><t>). It
// reads through a window that slides over the stream, so a sheet of any
// size costs one buffer, grown only for a single tag or text longer than
// the buffer (up to maxXMLToken). Text is decoded as encoding/xml decodes
// it: the five named entities and numeric character references, CDATA
// sections, and carriage returns rewritten to line feeds.
type xmlScan struct {
	r        io.Reader
	buf      []byte
	pos, end int
	rerr     error // from r; io.EOF at the end
}

const (
	xmlScanBuf  = 256 << 10
	maxXMLToken = 64 << 20
)

var errXMLTokenTooLong = errors.New("an XML element or text is longer than 64 MB")

type tagKind uint8

const (
	tagStart tagKind = iota + 1
	tagEnd
	tagEmpty // <x/>
)

// xmlTag is one element tag. name is the local name (without a prefix);
// name and attrs point into the scan's buffer and are valid until the next
// call that reads.
type xmlTag struct {
	kind  tagKind
	name  []byte
	attrs []byte
}

func newXMLScan(r io.Reader) *xmlScan {
	return &xmlScan{r: r, buf: make([]byte, xmlScanBuf)}
}

// fill moves the unread bytes to the front of the buffer and reads more,
// growing the buffer when it is full. It reports whether anything was read.
func (x *xmlScan) fill() (bool, error) {
	if x.rerr != nil {
		return false, x.readErr()
	}
	if x.pos > 0 {
		n := copy(x.buf, x.buf[x.pos:x.end])
		x.pos, x.end = 0, n
	}
	if x.end == len(x.buf) {
		if len(x.buf) >= maxXMLToken {
			return false, errXMLTokenTooLong
		}
		nb := make([]byte, min(2*len(x.buf), maxXMLToken))
		copy(nb, x.buf[:x.end])
		x.buf = nb
	}
	for {
		n, err := x.r.Read(x.buf[x.end:])
		x.end += n
		if err != nil {
			x.rerr = err
		}
		if n > 0 {
			return true, nil
		}
		if err != nil {
			return false, x.readErr()
		}
	}
}

func (x *xmlScan) readErr() error {
	if x.rerr == io.EOF {
		return nil
	}
	return x.rerr
}

// find returns the offset from pos of the next c at or after offset off,
// reading more as needed; -1 at the end of the input.
func (x *xmlScan) find(off int, c byte) (int, error) {
	for {
		if i := bytes.IndexByte(x.buf[x.pos+off:x.end], c); i >= 0 {
			return off + i, nil
		}
		off = x.end - x.pos
		if ok, err := x.fill(); !ok {
			return -1, err
		}
	}
}

// has reports whether the bytes at pos+off start with p, reading more as
// needed.
func (x *xmlScan) has(off int, p string) (bool, error) {
	for x.end-x.pos < off+len(p) {
		if ok, err := x.fill(); !ok {
			return false, err
		}
	}
	return string(x.buf[x.pos+off:x.pos+off+len(p)]) == p, nil
}

// findSeq returns the offset from pos of the next seq at or after off.
func (x *xmlScan) findSeq(off int, seq string) (int, error) {
	for {
		if i := bytes.Index(x.buf[x.pos+off:x.end], []byte(seq)); i >= 0 {
			return off + i, nil
		}
		off = max(off, x.end-x.pos-len(seq)+1)
		if ok, err := x.fill(); !ok {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return -1, err
		}
	}
}

// skipMarkup steps over a comment, processing instruction or declaration
// starting at pos ("<!--", "<?", "<!"). CDATA is text and is left to the
// caller. It reports false when pos does not start one of these.
func (x *xmlScan) skipMarkup() (bool, error) {
	if ok, err := x.has(0, "<?"); err != nil || ok {
		if !ok {
			return false, err
		}
		i, err := x.findSeq(2, "?>")
		if err != nil {
			return false, err
		}
		x.pos += i + 2
		return true, nil
	}
	if ok, err := x.has(0, "<!--"); err != nil || ok {
		if !ok {
			return false, err
		}
		i, err := x.findSeq(4, "-->")
		if err != nil {
			return false, err
		}
		x.pos += i + 3
		return true, nil
	}
	if ok, _ := x.has(0, "<![CDATA["); ok {
		return false, nil
	}
	if ok, err := x.has(0, "<!"); err != nil || ok {
		if !ok {
			return false, err
		}
		// A DOCTYPE; an internal subset in brackets may hold '>'.
		depth := 0
		for i := 2; ; i++ {
			for x.pos+i >= x.end {
				if ok, err := x.fill(); !ok {
					if err == nil {
						err = io.ErrUnexpectedEOF
					}
					return false, err
				}
			}
			switch x.buf[x.pos+i] {
			case '[':
				depth++
			case ']':
				depth--
			case '>':
				if depth <= 0 {
					x.pos += i + 1
					return true, nil
				}
			}
		}
	}
	return false, nil
}

// nextTag skips text and markup up to the next element tag and reads it.
// It returns ok false at the end of the input.
func (x *xmlScan) nextTag() (t xmlTag, ok bool, err error) {
	for {
		i, err := x.find(0, '<')
		if i < 0 {
			return t, false, err
		}
		x.pos += i
		if markup, err := x.atMarkup(); err != nil {
			return t, false, err
		} else if markup {
			if cd, _ := x.has(0, "<![CDATA["); cd {
				j, err := x.findSeq(9, "]]>")
				if err != nil {
					return t, false, err
				}
				x.pos += j + 3
				continue
			}
			if _, err := x.skipMarkup(); err != nil {
				return t, false, err
			}
			continue
		}
		t, err = x.readTag()
		return t, err == nil, err
	}
}

// atMarkup reports whether the '<' at pos starts something other than an
// element tag: a comment, CDATA, a processing instruction or a declaration.
func (x *xmlScan) atMarkup() (bool, error) {
	if x.end-x.pos < 2 {
		if ok, err := x.fill(); !ok {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return false, err
		}
	}
	c := x.buf[x.pos+1]
	return c == '!' || c == '?', nil
}

// readTag reads the tag at pos, which starts with '<' and is an element.
func (x *xmlScan) readTag() (xmlTag, error) {
	var t xmlTag
	// Find the closing '>' outside quoted attribute values.
	var quote byte
	i := 1
	for {
		b := x.buf[x.pos+i : x.end]
		for j, c := range b {
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '>':
				i += j
				goto found
			case c == '"' || c == '\'':
				quote = c
			case c == '<':
				return t, fmt.Errorf("unexpected < inside a tag")
			}
		}
		i += len(b)
		if ok, err := x.fill(); !ok {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return t, err
		}
	}
found:
	b := x.buf[x.pos+1 : x.pos+i]
	x.pos += i + 1
	t.kind = tagStart
	if len(b) > 0 && b[0] == '/' {
		t.kind = tagEnd
		b = b[1:]
		for len(b) > 0 && isXMLSpace(b[len(b)-1]) {
			b = b[:len(b)-1]
		}
	} else if len(b) > 0 && b[len(b)-1] == '/' {
		t.kind = tagEmpty
		b = b[:len(b)-1]
	}
	n := 0
	for n < len(b) && !isXMLSpace(b[n]) {
		n++
	}
	if n == 0 {
		return t, fmt.Errorf("element with no name")
	}
	t.name, t.attrs = b[:n], b[n:]
	if j := bytes.IndexByte(t.name, ':'); j >= 0 {
		t.name = t.name[j+1:]
	}
	return t, nil
}

// nextAttr returns the first attribute in attrs (local name, raw value) and
// the rest; ok is false when none is left. The value is still escaped.
func nextAttr(attrs []byte) (name, value, rest []byte, ok bool, err error) {
	i := 0
	for i < len(attrs) && isXMLSpace(attrs[i]) {
		i++
	}
	if i == len(attrs) {
		return nil, nil, nil, false, nil
	}
	start := i
	for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
		i++
	}
	name = attrs[start:i]
	for i < len(attrs) && isXMLSpace(attrs[i]) {
		i++
	}
	if i == len(attrs) || attrs[i] != '=' {
		return nil, nil, nil, false, fmt.Errorf("attribute %q has no value", name)
	}
	i++
	for i < len(attrs) && isXMLSpace(attrs[i]) {
		i++
	}
	if i == len(attrs) || attrs[i] != '"' && attrs[i] != '\'' {
		return nil, nil, nil, false, fmt.Errorf("attribute %q value is not quoted", name)
	}
	q := attrs[i]
	j := bytes.IndexByte(attrs[i+1:], q)
	if j < 0 {
		return nil, nil, nil, false, fmt.Errorf("attribute %q value is not closed", name)
	}
	value = attrs[i+1 : i+1+j]
	if k := bytes.IndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return name, value, attrs[i+2+j:], true, nil
}

// attrString decodes an attribute value as encoding/xml does.
func attrString(v []byte) (string, error) {
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\r') < 0 {
		return string(v), nil
	}
	out, err := appendText(nil, v)
	return string(out), err
}

// text appends the character data from pos up to the next element tag to
// dst, decoded, including CDATA sections and skipping comments and
// processing instructions. It leaves pos at the tag.
func (x *xmlScan) text(dst []byte) ([]byte, error) {
	for {
		i, err := x.find(0, '<')
		if i < 0 {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return dst, err
		}
		if dst, err = appendText(dst, x.buf[x.pos:x.pos+i]); err != nil {
			return dst, err
		}
		x.pos += i
		if markup, err := x.atMarkup(); err != nil || !markup {
			return dst, err
		}
		if cd, _ := x.has(0, "<![CDATA["); !cd {
			if _, err := x.skipMarkup(); err != nil {
				return dst, err
			}
			continue
		}
		j, err := x.findSeq(9, "]]>")
		if err != nil {
			return dst, err
		}
		dst = appendCR(dst, x.buf[x.pos+9:x.pos+j])
		x.pos += j + 3
	}
}

// appendText appends one run of character data, decoding references and
// line ends exactly as encoding/xml's Decoder.text does.
func appendText(dst, b []byte) ([]byte, error) {
	if bytes.IndexByte(b, '&') < 0 {
		return appendCR(dst, b), nil
	}
	var prev byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '&' {
			if c == '\r' {
				dst = append(dst, '\n')
			} else if !(prev == '\r' && c == '\n') {
				dst = append(dst, c)
			}
			prev = c
			continue
		}
		j := bytes.IndexByte(b[i:], ';')
		if j < 0 {
			return dst, fmt.Errorf("invalid character entity %s (no semicolon)", b[i:])
		}
		ref := b[i+1 : i+j]
		r, ok := entityRune(ref)
		if !ok {
			return dst, fmt.Errorf("invalid character entity &%s;", ref)
		}
		dst = utf8.AppendRune(dst, r)
		i += j
		prev = 0
	}
	return dst, nil
}

func entityRune(ref []byte) (rune, bool) {
	switch string(ref) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	base, digits := 10, ref[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > utf8.MaxRune || !xmlChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// xmlChar is XML 1.0's Char production, which encoding/xml enforces.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xD800 && r <= 0xDFFF || // encoding/xml turns these into U+FFFD
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// appendCR appends b with "\r\n" and a lone "\r" turned into "\n".
func appendCR(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		dst = append(dst, '\n')
		b = b[i+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
}

// skipElement steps over the rest of an element whose start tag has just
// been read, nested elements and all.
func (x *xmlScan) skipElement() error {
	depth := 0
	for {
		t, ok, err := x.nextTag()
		if !ok {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch t.kind {
		case tagStart:
			depth++
		case tagEnd:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// elementText returns the character data directly inside an element whose
// start tag has just been read, as encoding/xml unmarshals it into a string:
// text inside nested elements does not count.
func (x *xmlScan) elementText(dst []byte) ([]byte, error) {
	for {
		var err error
		if dst, err = x.text(dst); err != nil {
			return dst, err
		}
		t, err := x.readTag()
		if err != nil {
			return dst, err
		}
		switch t.kind {
		case tagEnd:
			return dst, nil
		case tagStart:
			if err := x.skipElement(); err != nil {
				return dst, err
			}
		}
	}
}
