package tabular

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Format is the kind of table Open found.
type Format string

// The formats Open reads. Everything else is refused with a message.
const (
	FormatXLSX Format = "xlsx"
	FormatCSV  Format = "csv"
)

var (
	magicOLE2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	bomUTF8   = []byte{0xEF, 0xBB, 0xBF}
)

// sniffLen is how much of the file Open looks at to decide what it is. 4 KiB
// holds any magic number and the start of an HTML or XML document.
const sniffLen = 4096

// Open reads the table in r, which holds size bytes and came from a file
// called name (used only in messages). It decides what the bytes are from
// their content, not the name, and returns a Reader positioned before the
// first data row, with the header already found and checked against
// opts.Expect.
//
// r must stay readable until Open returns; for CSV it must stay readable until
// the Reader is closed. *os.File, *bytes.Reader and multipart.File all
// qualify. A file over opts.MaxBytes is refused before anything is read.
func Open(name string, r io.ReaderAt, size int64, opts Options) (*Reader, error) {
	if size > opts.maxBytes() {
		return nil, refuseTooLarge(name, size, opts.maxBytes())
	}
	if size <= 0 {
		return nil, refuseEmpty(name)
	}
	head := make([]byte, min(size, sniffLen))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		return nil, fmt.Errorf("open %s: read: %w", name, err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return openZip(name, r, size, opts)
	case bytes.HasPrefix(head, magicOLE2):
		return nil, refuseOLE2(name)
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return nil, refusePDF(name)
	}
	if err := sniffMarkup(name, head); err != nil {
		return nil, err
	}
	return openCSV(name, r, size, opts)
}

// OpenFile opens the file at path with Open.
func OpenFile(path string, opts Options) (*Reader, error) {
	return OpenNamed(path, filepath.Base(path), opts)
}

// OpenStream reads a table from a plain stream whose size is unknown (an
// HTTP body, a pipe). It copies the stream to a temporary file (Spool), so
// an oversized upload costs at most MaxBytes of disk and never that much
// memory. The file is removed when the Reader is closed, or at once if Open
// fails.
func OpenStream(name string, r io.Reader, opts Options) (*Reader, error) {
	path, err := Spool(name, r, opts)
	if err != nil {
		return nil, err
	}
	rd, err := OpenNamed(path, name, opts)
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	rd.closers = append(rd.closers, func() error { return os.Remove(path) })
	return rd, nil
}

// Spool copies a stream whose size is unknown to a new temporary file in
// opts.TempDir, readable by this user only (0600), and returns its path:
// for a caller that reads an upload more than once. It stops as soon as the
// stream passes opts.MaxBytes, and then removes the file and refuses the
// upload as too large. The caller removes the file when done.
func Spool(name string, r io.Reader, opts Options) (string, error) {
	tmp, err := os.CreateTemp(opts.TempDir, "tabular-*")
	if err != nil {
		return "", fmt.Errorf("open %s: spool: %w", name, err)
	}
	limit := opts.maxBytes()
	n, err := io.Copy(tmp, io.LimitReader(r, limit+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = refuseTooLarge(name, n, limit)
	} else if err != nil {
		err = fmt.Errorf("open %s: spool: %w", name, err)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// OpenNamed opens the file at path with Open, naming it name in messages:
// a spooled upload is read under the name the official gave it.
func OpenNamed(path, name string, opts Options) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open table: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open table: %w", err)
	}
	rd, err := Open(name, f, st.Size(), opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	rd.closers = append(rd.closers, f.Close)
	return rd, nil
}

// sniffMarkup refuses HTML pages, MHTML archives and XML spreadsheets, which
// portals and old Excel versions save with an .xls name. It looks past a BOM
// and leading blank space, because that is how these files start.
func sniffMarkup(name string, head []byte) error {
	t := bytes.TrimPrefix(head, bomUTF8)
	t = bytes.ToLower(bytes.TrimLeft(t, " \t\r\n"))
	for _, p := range []string{"<!doctype html", "<html", "<table", "<head", "<body", "<meta", "<style", "<div", "mime-version:"} {
		if bytes.HasPrefix(t, []byte(p)) {
			return refuseHTML(name)
		}
	}
	if bytes.HasPrefix(t, []byte("<?xml")) || bytes.HasPrefix(t, []byte("<!--")) {
		switch {
		case bytes.Contains(t, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
			return refuseXML2003(name)
		case bytes.Contains(t, []byte("<html")):
			return refuseHTML(name)
		}
		return refuseXML(name)
	}
	return nil
}

// openZip decides what a zip archive is: an XLSX workbook is read; an ODS,
// a Word or PowerPoint file, or any other archive is refused by name.
func openZip(name string, r io.ReaderAt, size int64, opts Options) (*Reader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, refuseDamaged(name, err)
	}
	parts := newZipParts(zr)
	switch {
	case parts.has("xl/workbook.xml"):
		return openXLSX(name, r, size, parts, opts)
	case parts.has("mimetype"):
		if b, err := parts.readSmall("mimetype", 256); err == nil && bytes.Contains(b, []byte("opendocument.spreadsheet")) {
			return nil, refuseODS(name)
		}
		return nil, refuseOtherZip(name, "เอกสาร OpenDocument", "an OpenDocument file")
	case parts.has("word/document.xml"):
		return nil, refuseOtherZip(name, "เอกสาร Word", "a Word document")
	case parts.hasPrefix("ppt/"):
		return nil, refuseOtherZip(name, "งานนำเสนอ PowerPoint", "a PowerPoint presentation")
	}
	return nil, refuseOtherZip(name, "ไฟล์อื่น", "other files")
}
