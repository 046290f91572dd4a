package tabular

// DefaultMaxBytes is the largest file Open accepts when Options.MaxBytes is
// zero. Real household surveys are a few megabytes; 512 MiB leaves room for a
// province-wide export while refusing a mistaken upload of a disk image.
const DefaultMaxBytes = 512 << 20

// defaultHeaderScan is how many non-empty rows Open looks through for the
// header when Options.Expect is set. Officials put a title, a date and an
// office name above the table; twenty rows is far more than any form uses.
const defaultHeaderScan = 20

// Options control how Open reads a table. The zero value reads the first
// visible sheet, takes the first non-empty row as the header and accepts files
// up to DefaultMaxBytes.
type Options struct {
	// Sheet is the name of the worksheet to read. Empty means the first
	// visible sheet. Matching ignores case and surrounding spaces. CSV files
	// have one table and ignore it.
	Sheet string

	// Expect lists the columns the caller understands. When set, Open skips
	// title rows until it finds the row holding these headers, maps headers
	// to keys, and refuses the file if a required column is missing.
	Expect []Column

	// MaxBytes is the largest file accepted; zero means DefaultMaxBytes.
	MaxBytes int64

	// HeaderScan is how many non-empty rows to search for the header when
	// Expect is set; zero means 20.
	HeaderScan int

	// Comma forces the CSV delimiter. Zero means sniff it from the first
	// lines (comma, semicolon or tab).
	Comma rune

	// TempDir is where large uploads are spooled for excelize; empty means
	// os.TempDir().
	TempDir string

	// The caps on what a table may hold (limits.go); zero means the
	// default, which a province file fits with room. A file past a cap is
	// refused with a message naming the file and the limit.

	// MaxRows is the largest row number read; zero means DefaultMaxRows.
	MaxRows int
	// MaxColumns is the widest row read; zero means DefaultMaxColumns.
	MaxColumns int
	// MaxCellChars is the longest cell, in characters; zero means
	// DefaultMaxCellChars.
	MaxCellChars int
	// MaxSheetBytes is the largest worksheet of an XLSX file, unpacked;
	// zero means DefaultMaxSheetBytes.
	MaxSheetBytes int64
	// MaxSharedStringsBytes is the largest shared strings table of an
	// XLSX file, unpacked; zero means DefaultMaxSharedStringsBytes.
	MaxSharedStringsBytes int64

	// Checked says the file was opened and checked before, and is being
	// read again (surveyfile.Stream's second pass): the checks that cost a
	// reading of their own, merged cells and other sheets holding data,
	// are skipped, since they found nothing the first time.
	Checked bool
}

// Column is one column the caller expects. Key is how code refers to it
// (row.Get("citizen_id")); Aliases are the header texts officials actually
// type, in Thai and English. Matching ignores case, repeated spaces and
// Unicode compatibility differences (such as ำ typed as ํ + า), and the Key
// itself always matches, so a file tambon wrote can be read back.
type Column struct {
	Key      string
	Aliases  []string
	Required bool
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func (o Options) headerScan() int {
	if o.HeaderScan > 0 {
		return o.HeaderScan
	}
	return defaultHeaderScan
}

// label names an expected column for a message: its first alias, with the key
// in brackets so a developer can find it too.
func (c Column) label() string {
	if len(c.Aliases) > 0 && c.Aliases[0] != c.Key {
		return c.Aliases[0] + " (" + c.Key + ")"
	}
	return c.Key
}
