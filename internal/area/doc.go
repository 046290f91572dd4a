// Package area is the national area tree of Thailand: the country, its 77
// provinces (76 and Bangkok), their amphoe/khet, tambon/khwaeng and villages
// (หมู่บ้าน), each identified by its DOPA code ("70", "7005", "700513",
// "70051304").
//
// The tree is built from data embedded in the binary (see data/SOURCE.md):
// the kongvut/thai-province-data gazetteer for provinces, districts and
// sub-districts, and the จปฐ. 2559 village-name list for villages. The
// village list is dirty; it is kept raw and cleaned at load, and what was left
// out or repaired is reported by [Tree.Report] (rules: docs/data-cleaning.md).
//
// The package does no I/O beyond reading its embedded files. A loaded [Tree]
// is immutable and safe for concurrent use; [Embedded] loads it once per
// process.
package area
