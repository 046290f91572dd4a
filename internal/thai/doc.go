// Package thai holds the small Thai-specific rules every other part of tambon
// needs: Buddhist Era years, Thai month names and digits, date formatting and
// parsing as Thai users write dates, the October–September government fiscal
// year, the 13-digit citizen ID and the 11-digit house code, thousands
// separators, Thai dictionary order and age in completed years.
//
// The package is a leaf: it does no I/O, reads no configuration and keeps no
// mutable global state, so it is safe for concurrent use and cheap to call in
// hot loops (importers validate millions of IDs and dates). Errors that reach a
// user are *apperr.Error values with code Invalid and a message in Thai and
// English that says exactly what is wrong.
//
// Conventions:
//   - Dates are civil dates. Parsing returns midnight UTC of the date read, the
//     form tambon stores. Formatting uses the wall clock of the time given, like
//     time.Format: convert with t.In(Bangkok()) to show Thai local time.
//   - Years shown to Thai users are Buddhist Era (พ.ศ. = ค.ศ. + 543).
//   - Identifiers are accepted with dashes, spaces and Thai digits, and are
//     always stored in their canonical all-ASCII-digit form.
package thai
