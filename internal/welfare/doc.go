// Package welfare is the state welfare-card register (บัตรสวัสดิการแห่งรัฐ)
// beside the จปฐ. household survey: reading the register's list for an area
// (register.go), TPMAP's five poverty dimensions over the จปฐ. indicators as
// data (dimensions.go, dimensions.json), who a household's survey finds poor
// in them (poor.go), and the four groups an office acts on (groups.go):
//
//   - the target poor (คนจนเป้าหมาย): poor by the survey and registered;
//   - poor but not registered: the people to help register;
//   - registered but not found poor;
//   - registered but not found in the survey.
//
// TPMAP counts a person poor when they are deprived in at least one of the
// five dimensions, a dimension being deprived when any of its indicators is
// failed. The package does no I/O beyond the reader it is handed.
package welfare
