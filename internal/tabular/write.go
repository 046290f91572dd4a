package tabular

import (
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// Writer writes tables. XLSXWriter and CSVWriter both satisfy it, so an
// export handler can offer either format with one code path.
type Writer interface {
	// NewSheet starts a table with a header row. A CSV file holds one table.
	NewSheet(name string, header []string) error
	// Write adds a row. Values keep their type: strings are text (so a
	// citizen ID keeps its 13 digits and leading zeros), Go numbers are
	// numbers, time.Time is a date, nil is an empty cell.
	Write(values ...any) error
	// Close finishes the file. Nothing is complete until it returns nil.
	Close() error
}

// textOf formats a value as CSV text and as the basis for column widths.
func textOf(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	case int:
		return strconv.Itoa(v), nil
	case int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(v), nil
	case float32:
		return formatFloat(float64(v), 32)
	case float64:
		return formatFloat(v, 64)
	case bool:
		if v {
			return "TRUE", nil
		}
		return "FALSE", nil
	case time.Time:
		if isDate(v) {
			return v.Format(time.DateOnly), nil
		}
		return v.Format(time.DateTime), nil
	case fmt.Stringer:
		return v.String(), nil
	}
	return fmt.Sprint(v), nil
}

// formatFloat writes a plain decimal, never 1.2e+06, because officials and
// other programs read these files.
func formatFloat(f float64, bits int) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("cannot write %v as a number", f)
	}
	return strconv.FormatFloat(f, 'f', -1, bits), nil
}

// isDate reports whether a time has no time of day: those are written as
// dates, the rest as date and time.
func isDate(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

// displayWidth approximates how many character cells text takes in Excel.
// Thai vowels and tone marks above and below a consonant take no width.
func displayWidth(s string) int {
	n := 0
	for _, c := range s {
		if !unicode.Is(unicode.Mn, c) {
			n++
		}
	}
	if n == 0 {
		return utf8.RuneCountInString(s)
	}
	return n
}
