// Package gen makes realistic synthetic จปฐ. households, deterministically
// from a seed, for any area up to the whole country: plausible rosters (ages,
// sexes, names, valid citizen IDs, relations, education, occupations),
// incomes, house codes, GPS points and an answer to every question the
// 2560-2564 indicator set asks.
//
// Where published village aggregates exist (TPMAP's, see TargetsFromTPMAP),
// each village gets exactly the published number of households and members,
// exactly the published numbers of elderly, disabled and chronically ill
// people, and, for every indicator, failing households chosen so that the
// people living in them come close to TPMAP's failing count. TPMAP counts
// people, not households: an indicator's All is the people living in
// households where it applies, and Fail the people living in households
// that fail it. Villages without a target get national-average sizes and
// rates.
//
// Every village draws from its own random stream, seeded from the seed and
// the village code, so a village's households are the same whichever other
// villages are generated with it, and generation streams: one household at a
// time, never a province in memory.
package gen

// How the households are made, village by village:
//
//   - Sizes: 1 + Poisson(mean − 1) around the members still to place over
//     the households still to make, clamped so the village's total comes out
//     exactly.
//   - People come from an urn of age bands (0-14, 15-59, 60+) filled with
//     the village's exact elderly count and national shares for the rest.
//     The head is drawn first (mostly of working age), often a spouse of a
//     similar age, then others whose relation (child, grandchild, parent,
//     sibling, relative) follows from the age gap to the head; siblings come
//     together and generations mix, as TPMAP's "people living with …" counts
//     show. Disabled and chronically ill people are picked by weighted
//     sampling without replacement, more often among older people.
//   - Answers: for each indicator the household fails or not with the chance
//     "target people still failing ÷ target people still applicable", so the
//     failing people land within a household or so of TPMAP's figure when
//     the applicable people match. A failing multi-item indicator fails one
//     item; a failing person indicator fails one eligible member (for
//     drinking and smoking preferably a grown man, with others sometimes
//     too). Indicators 20 and 21 also settle occupations: a working-age or
//     older member with occupation "none" is exactly one who fails them.
//   - Income: net income per resident from a lognormal (σ 0.65) around the
//     village's mean (≈ 80,000 baht/person/year), drawn below or above the
//     38,000-baht line as indicator 22 was decided, split into the form's
//     parts with occupational costs of 5-30 % of gross.
//   - Identifiers: citizen IDs are category + village code (its first four
//     digits the amphoe, the registration office) + a 3-digit serial + the
//     mod-11 check digit, unique in any run; house codes are the village code
//     + the household's 3-digit number (households past 999 get none, as
//     unregistered houses do); house numbers run up with some "45/3".
//   - GPS for 70 % of households, within about 0.3° of a rough province
//     centre; survey dates in January-April of the survey year (CE).
//
// Speed: about 270,000 households a second on one core of the development
// machine (≈ 3.7 µs and 5 small allocations each), so the whole country's
// 12.9 M households take under a minute; run one Generate per core over
// disjoint village lists to go faster, with the same output.
