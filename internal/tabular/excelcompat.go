package tabular

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The functions in this file reproduce, step for step, what excelize v2.11.1
// does to a cell's stored text before returning it from Rows.Columns
// (cell.go getValueFrom, getCellDefault, getCellDate; lib.go isNumeric,
// bstrUnmarshal; date.go timeToExcelTime). They are unexported there.
// The sheet scanner must return exactly what the excelize path returned,
// and TestScannerMatchesExcelize checks that it does. excelize is
// BSD-3-Clause licensed, Copyright 2016-2026 The excelize Authors.

// excelNumber is excelize's getCellDefault: a numeric value is rewritten in
// its shortest decimal form ("1.50" → "1.5", "1E3" → "1000"), or to 15
// significant digits when it has more than Excel keeps.
func excelNumber(v string) string {
	if plainDecimal(v) {
		return v
	}
	isNum, prec, decimal := excelIsNumeric(v)
	if !isNum {
		return v
	}
	if prec > 15 && !numWithinPrecision(v) {
		return strconv.FormatFloat(decimal, 'G', 15, 64)
	}
	return strconv.FormatFloat(decimal, 'f', -1, 64)
}

// plainDecimal reports whether v is already in the form excelNumber would
// give it, without parsing: an optional minus, an integer part with no
// leading zero, an optional fraction not ending in zero, and at most 15
// digits (14 with a minus, which excelize counts as a digit). Two different
// decimals of 15 digits or fewer are always different float64 values, so the
// shortest form of such a number is the number as written. Almost every
// numeric cell takes this path.
func plainDecimal(v string) bool {
	i := 0
	if i < len(v) && v[i] == '-' {
		i++
	}
	start := i
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	intLen := i - start
	if intLen == 0 || intLen > 1 && v[start] == '0' {
		return false
	}
	digits := intLen
	if i < len(v) {
		if v[i] != '.' {
			return false
		}
		i++
		f := i
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i != len(v) || i == f || v[i-1] == '0' {
			return false
		}
		digits += i - f
	}
	return digits+start <= 15
}

// excelIsNumeric is excelize's isNumeric.
func excelIsNumeric(s string) (bool, int, float64) {
	if strings.Contains(s, "_") {
		return false, 0, 0
	}
	flt, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return false, 0, 0
	}
	noSci := strconv.FormatFloat(flt, 'f', -1, 64)
	return true, len(noSci) - strings.Count(noSci, "."), flt
}

// numWithinPrecision is excelize's isNumWithinPrecision.
func numWithinPrecision(str string) bool {
	if strings.ContainsAny(str, ".Ee") {
		return false
	}
	str = strings.TrimLeft(str, "+-0")
	return len(strings.TrimRight(str, "0")) <= 15
}

var bstrExp = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

// bstrUnmarshal is excelize's: it decodes the _xHHHH_ escapes Excel writes
// for characters XML cannot hold (_x000D_ for a carriage return), with
// _x005F_ standing for a literal underscore.
func bstrUnmarshal(s string) (result string) {
	if !strings.Contains(s, "_x") {
		return s
	}
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		result += s[cursor:match[0]]
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			result += "_"
			continue
		}
		if bstrExp.MatchString(subStr) {
			cursor = match[1]
			v, _ := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`)
			result += v
		}
	}
	if cursor < l {
		result += s[cursor:]
	}
	return result
}

var (
	excelMinTime1900      = time.Date(1899, time.December, 31, 0, 0, 0, 0, time.UTC)
	excelBuggyPeriodStart = time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
)

const (
	dayNanoseconds = 24 * time.Hour
	maxDuration    = 290 * 364 * dayNanoseconds
)

// isoDateSerial is the first half of excelize's getCellDate: a t="d" cell
// holds an ISO 8601 date, which becomes an Excel serial number before
// formatting. A value that does not parse is kept as it is.
func isoDateSerial(v string) string {
	layout := "20060102T150405.999"
	if strings.HasSuffix(v, "Z") {
		layout = "20060102T150405Z"
		if strings.Contains(v, "-") {
			layout = "2006-01-02T15:04:05Z"
		}
	} else if strings.Contains(v, "-") {
		layout = "2006-01-02 15:04:05Z"
	}
	ts, err := time.Parse(layout, strings.ReplaceAll(v, ",", "."))
	if err != nil {
		return v
	}
	return strconv.FormatFloat(timeToExcelTime(ts), 'G', 15, 64)
}

// timeToExcelTime is excelize's, for the 1900 date system (getCellDate
// always uses it).
func timeToExcelTime(t time.Time) float64 {
	date := excelMinTime1900
	if t.Before(date) {
		return 0
	}
	tt, diff, result := t, t.Sub(date), 0.0
	for diff >= maxDuration {
		result += float64(maxDuration / dayNanoseconds)
		tt = tt.Add(-maxDuration)
		diff = tt.Sub(date)
	}
	rem := diff % dayNanoseconds
	result += float64(diff-rem)/float64(dayNanoseconds) + float64(rem)/float64(dayNanoseconds)
	if t.After(excelBuggyPeriodStart) {
		result++
	}
	return result
}
