package area

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Reason names one cleaning rule. Every row of the source files that was
// left out, or kept after a repair, is counted under exactly one reason per
// rule it hit, so the report adds up to the source files.
type Reason string

// Reasons for leaving a row out of the tree.
const (
	// Gazetteer rows marked with deleted_at.
	ReasonDeleted Reason = "deleted"
	// District rows that are local registration offices (สำนักทะเบียนท้องถิ่น), not amphoe or khet.
	ReasonRegistrationOffice Reason = "registration-office"
	// Rows whose parent is not in the tree (a tambon under a dropped or unknown district).
	ReasonNoParent Reason = "no-parent"
	// Village-file rows that repeat the header in the middle of the file.
	ReasonHeaderRow Reason = "header-row"
	// Village codes with '?' where a digit could not be read.
	ReasonCodeQuestionMark Reason = "code-question-mark"
	// Village codes with Latin letters (A0, B1, A1A1…): a municipal community numbering, not DOPA หมู่.
	ReasonCodeLetters Reason = "code-letters"
	// Village codes with other stray characters: control characters, punctuation, Thai letters.
	ReasonCodeGarbled Reason = "code-garbled"
	// Six-digit codes in the village file: a municipal community list with no village number.
	ReasonCodeSixDigits Reason = "code-six-digits"
	// Seven-digit codes for which no single restored eight-digit code could be confirmed.
	ReasonCodeSevenUnresolved Reason = "code-seven-digits-unresolved"
	// Codes of any other length.
	ReasonCodeLength Reason = "code-length"
	// Village codes ending in 00: there is no หมู่ 0.
	ReasonMooZero Reason = "moo-zero"
	// Villages whose six-digit tambon is not in the gazetteer (mostly municipal communities, ชุมชน).
	ReasonUnknownTambon Reason = "unknown-tambon"
	// A second row for a code already seen, with the same name.
	ReasonDuplicateSame Reason = "duplicate-same-name"
	// A second row for a code already seen, with a different name; the first row is kept.
	ReasonDuplicateDifferent Reason = "duplicate-different-name"
	// Rows whose name is empty after cleaning.
	ReasonEmptyName Reason = "empty-name"
)

// Reasons for repairing a row that is kept.
const (
	// Names with leading, trailing, doubled or non-breaking spaces, collapsed to single spaces.
	ReasonNameSpaces Reason = "name-spaces"
	// Names carrying a '*' marker, removed ("*Suwannakarm", "ตั้งใหม่*").
	ReasonNameAsterisk Reason = "name-asterisk"
	// Village names containing commas that the file did not quote, rejoined ("เตาอิฐ,โคก").
	ReasonNameComma Reason = "name-unquoted-comma"
	// Seven-digit codes restored to eight digits by putting back a dropped 0, confirmed by a row
	// with that code and the same name; the restored row is then a duplicate.
	ReasonCodeSevenRestored Reason = "code-seven-digits-restored"
)

// reasonText explains each reason in one line, for logs and the data-cleaning doc.
var reasonText = map[Reason]string{
	ReasonDeleted:             "row marked deleted (deleted_at set)",
	ReasonRegistrationOffice:  "local registration office, not an amphoe/khet (AA >= 50 outside Bangkok, or a ท้องถิ่น… name)",
	ReasonNoParent:            "parent area not in the tree",
	ReasonHeaderRow:           "header row repeated inside the file",
	ReasonCodeQuestionMark:    "'?' in the code (unreadable digit)",
	ReasonCodeLetters:         "Latin letters in the code (municipal community numbering, not a หมู่)",
	ReasonCodeGarbled:         "stray character in the code (control character, punctuation, Thai letter)",
	ReasonCodeSixDigits:       "6-digit code (municipal community, no village number)",
	ReasonCodeSevenUnresolved: "7-digit code that no single restored 8-digit code confirms",
	ReasonCodeLength:          "code is not 8 digits",
	ReasonMooZero:             "village number 00",
	ReasonUnknownTambon:       "tambon (first 6 digits) not in the gazetteer",
	ReasonDuplicateSame:       "code seen before with the same name",
	ReasonDuplicateDifferent:  "code seen before with a different name (first kept)",
	ReasonEmptyName:           "empty name",
	ReasonNameSpaces:          "extra or non-breaking spaces collapsed",
	ReasonNameAsterisk:        "'*' marker removed from the name",
	ReasonNameComma:           "unquoted comma in the name: fields rejoined",
	ReasonCodeSevenRestored:   "7-digit code: dropped 0 restored (confirmed by a row with the same name)",
}

// Describe returns a one-line English explanation of the reason.
func (r Reason) Describe() string { return reasonText[r] }

// maxExamples is how many example rows a report keeps per reason: enough to
// recognise the pattern in a log, small enough to print.
const maxExamples = 5

// Issue is what one cleaning rule did to one source file.
type Issue struct {
	File     string   // source file name, e.g. "bmn59.village_name.csv"
	Reason   Reason   // the rule
	Dropped  bool     // true if the rows were left out, false if they were repaired and kept
	Count    int      // how many rows
	Examples []string // up to 5 of them, "line 19656: 250939หม,ชื่อหมู่บ้าน"
}

// FileCount is how many data rows a source file had and how many became areas.
type FileCount struct {
	File string
	Rows int // data rows read, header excluded
	Kept int // rows that became an area
}

// CleaningReport says what the loader left out of the source data or
// repaired, with reasons, counts and examples, so that the numbers in the
// tree can be traced back to the files. It is computed once at load.
type CleaningReport struct {
	Files  []FileCount
	Issues []Issue // in the order the rules run, file by file
}

// Count returns the number of rows counted under a reason, over all files.
func (r CleaningReport) Count(reason Reason) int {
	n := 0
	for _, is := range r.Issues {
		if is.Reason == reason {
			n += is.Count
		}
	}
	return n
}

// Dropped returns the number of rows of a file that were left out.
func (r CleaningReport) Dropped(file string) int {
	n := 0
	for _, is := range r.Issues {
		if is.File == file && is.Dropped {
			n += is.Count
		}
	}
	return n
}

// String formats the report for a log: one line per file, then one line per
// reason with its count and examples.
func (r CleaningReport) String() string {
	var b strings.Builder
	for _, f := range r.Files {
		fmt.Fprintf(&b, "%s: %d rows, %d kept, %d left out\n", f.File, f.Rows, f.Kept, r.Dropped(f.File))
	}
	for _, is := range r.Issues {
		what := "repaired"
		if is.Dropped {
			what = "left out"
		}
		fmt.Fprintf(&b, "  %s %s %d (%s): %s\n", is.File, what, is.Count, is.Reason, is.Reason.Describe())
		for _, ex := range is.Examples {
			fmt.Fprintf(&b, "      %s\n", ex)
		}
	}
	return b.String()
}

// reporter collects issues while loading, keeping the first-seen order of
// (file, reason) pairs.
type reporter struct {
	rep   CleaningReport
	index map[string]int
}

func newReporter() *reporter { return &reporter{index: map[string]int{}} }

// note counts one row under a reason. example describes the row; it is
// called only while the reason still needs examples, because formatting
// 20,000 examples that are thrown away would double the load time.
func (r *reporter) note(file string, reason Reason, dropped bool, example func() string) {
	key := file + "\x00" + string(reason)
	i, ok := r.index[key]
	if !ok {
		i = len(r.rep.Issues)
		r.index[key] = i
		r.rep.Issues = append(r.rep.Issues, Issue{File: file, Reason: reason, Dropped: dropped})
	}
	is := &r.rep.Issues[i]
	is.Count++
	if len(is.Examples) < maxExamples {
		is.Examples = append(is.Examples, printable(example()))
	}
}

// file records the row counts of a source file.
func (r *reporter) file(name string, rows, kept int) {
	r.rep.Files = append(r.rep.Files, FileCount{File: name, Rows: rows, Kept: kept})
}

// printable quotes an example that holds characters a terminal would not
// show (control characters, U+00A0), so the report shows what is wrong.
func printable(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.QuoteToGraphic(s)
		}
	}
	return s
}
