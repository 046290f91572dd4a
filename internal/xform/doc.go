// Package xform turns a survey round's จปฐ. questionnaire into an ODK XForm
// (https://getodk.github.io/xforms-spec/) generated from the round's
// indicator set, and reads a submitted instance of that form back into a
// survey.Household. It also names what tambon keeps of a submission and of a
// capture device. It does no I/O: package openrosa speaks the protocol, the
// store keeps the data.
//
// The form, by design:
//   - Thai labels by default, English as an itext translation;
//   - the member roster as a repeat, each member with the person-level
//     questions of the set; the household-level questions after it;
//   - the 13-digit citizen ID's mod-11 check digit, a birth date not after the
//     survey date, an age of at most 120 years and the set's number ranges as
//     constraints; GPS as a geopoint;
//   - the village chosen from villages.csv and a known household from
//     households.csv, both secondary instances sent with the form (only the
//     enumerator's own villages and households);
//   - who is asked which person-level question is the indicator set's rule,
//     translated to XPath relevance (relevant.go); the server applies the same
//     rule again on arrival (DropUnasked) and validates as for web entry.
package xform
