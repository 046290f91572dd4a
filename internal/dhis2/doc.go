// Package dhis2 exchanges tambon's published aggregates with DHIS2: a
// round's indicator results and poverty index for an area subtree as DHIS2
// data value sets (JSON and XML) and ADX (ISO/TS 22703), the DHIS2 metadata
// those values refer to, and the reading of the same three formats back into
// figures an aggregate-only round can hold.
//
// The Mapping says what each tambon figure is called in DHIS2: data
// elements for each count, category option combinations for pass/fail and
// for the poverty index's deprivation scores, organisation units for area
// codes and periods for rounds. Its identifiers are derived from tambon's own
// codes (UID), so generating the mapping again gives the same ones; an office
// whose DHIS2 already has its own identifiers edits the mapping file.
//
// The package does no I/O of its own and knows nothing of who asks: the
// callers (cmd/tambon, internal/web) decide whether figures are exact or
// suppressed for the public, and hand over Figures accordingly.
package dhis2
