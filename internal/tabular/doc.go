// Package tabular reads and writes the tables officials exchange: XLSX
// workbooks and CSV/TSV files from Thai Excel, LibreOffice and LINE
// attachments.
//
// Reading sniffs the bytes rather than trusting the file name, because the
// name lies often: government portals serve HTML pages called ".xls", LINE
// renames attachments, and Thai Excel saves CSV in Windows-874. Anything that
// is not a table tambon can read is refused with a sentence in Thai and
// English that tells the official what to do (usually "save as .xlsx").
//
// Errors follow tambon's apperr conventions:
//   - a file that cannot be read at all (legacy .xls, an HTML page, a
//     damaged zip, too big, empty) is an *apperr.Error with code Invalid and
//     a message naming the file;
//   - a file that can be read but whose table is wrong (missing or duplicate
//     columns, merged cells, a broken CSV quote) is an apperr.Problems, one
//     Problem per fault, located by file, sheet, row and column.
//
// Things that are suspicious but harmless (a skipped title row, an ignored
// sheet, an unknown column, a Windows-874 file) are returned as warnings by
// Reader.Warnings, so the import page can show them without refusing.
//
// Reading streams: rows come one at a time from encoding/csv, or from a
// worksheet's XML decompressed as it is scanned (sheetSource, which returns
// exactly what excelize's Rows iterator returned, about ten times faster),
// and no step reads a whole file into memory, so a large upload costs disk
// and time, not RAM. Writing streams too (excelize's StreamWriter).
package tabular
