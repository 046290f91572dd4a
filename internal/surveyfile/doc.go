// Package surveyfile reads and writes the household import template: the
// table officials fill in Excel (or save as CSV from Thai Excel) with one row
// per household member and the household's columns repeated on each of its
// rows. It turns rows into survey.Household records with a precise
// apperr.Problem (file, sheet, row, column, value, reason in Thai and English)
// for every cell it cannot accept, and writes households back in the same
// template so that export → import round-trips exactly.
//
// The package does no file handling of its own: package tabular opens,
// sniffs and streams the file (XLSX, CSV in UTF-8 or Windows-874) and writes
// XLSX or CSV; this package knows only what the columns mean. The layout is
// documented for officials in docs/import.md.
package surveyfile
