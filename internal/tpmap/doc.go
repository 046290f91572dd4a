// Package tpmap reads the aggregates that TPMAP (Thai People Map and
// Analytics Platform; NESDC with NECTEC) publishes, the indicator counts and
// the target poor (คนจนเป้าหมาย), checks the files of a year against each
// other (CheckSums) and rolls village rows up to tambon, amphoe, province and
// country (RollUp, RollUpPoverty, TargetPoorYear). The files of 2561 kept in
// data/ are the only ones seen; their layout is that of the 31-indicator
// จปฐ. set. TPMAP year Y is built on the จปฐ. survey of Y−1 (SurveyYear).
//
// tambon computes the same figures itself from household records. TPMAP's
// files are the outside yardstick: a demo can load a real province, and a
// test can prove that tambon's sums reproduce what the government published.
//
// # Files
//
// The publisher names files <yy>_<PP>_<level>_<kind>.csv (61_ for 2561, the
// year File.Year reads from the name): PP is the province
// code, level is village, tambol or amphur, and kind is "common" (household,
// population and per-indicator counts) or a five-bit dimension mask such as
// "11111" (poverty counts with the health, living, education, income and
// accessibility dimensions switched on or off). Parse recognises the kind and
// level from the header, and cross-checks them against the name when the name
// follows the pattern.
//
// # Area ids
//
// amphur_ID has 4 digits and tumbol_ID 6, the DOPA codes. village_ID has 10
// digits: the 8-digit DOPA village code (PPAATTMM) and a 2-digit unit number.
// The unit number is 01 for the first (usually the only) published row of a
// village and 02, 03, … for further rows that TPMAP published under the same
// village code: Ratchaburi has 1,112 units numbered 01 and 6 numbered 02, all
// in อำเภอวัดเพลง; Chiang Rai has 49 villages with 2 to 6 units (57051301 has
// six; 57080102 เวียงเหนือ and 57080103 เวียงใต้ have four each). The units
// look like separately enumerated parts of one DOPA village, such as the
// communities (ชุมชน) of a municipality; no publisher document saying so was
// found, so the package assumes only what the files show: the first 8 digits
// are the village. Row.Code is therefore the 8-digit village code and Row.ID
// keeps the published 10-digit id; File.Collisions lists the villages with
// more than one unit, and RollUp sums the units into one village row.
//
// # What adds up
//
// Every count column of a tambon or amphoe row is exactly the sum of its
// village rows (checked for every column of Ratchaburi's 111 tambons and 10
// amphoe, Chiang Rai's 124 tambons and Ratchaburi's 111 poverty tambon rows).
//
// happiness is the households' mean score on the questionnaire's 0-10 integer
// scale. A village's happiness × households is a whole number (the total
// score) in every published row, and a tambon's or amphoe's published value is
// exactly Σ total score ÷ Σ households over its villages, written with R's
// default 15 significant digits: all 245 published tambon and amphoe values
// are reproduced to the last digit. A plain mean of village values reproduces
// none of them. Row.HappinessSum carries the total so that the mean stays
// additive.
//
// JPT.MOFval.pov.rate is a percentage: 100 × poor.JPT.MOFval.CNT ÷
// HOUSEMEMBER_CNT of the matching common row, computed as (t ÷ m) × 100 in
// float64; this reproduces all 1,229 published Ratchaburi village and tambon
// rates exactly. It is not additive, so RollUpPoverty recomputes it.
//
// Credit "TPMAP (NESDC, NECTEC)" wherever these figures are shown; data/SOURCE.md
// has the provenance.
package tpmap
