package thai

import "time"

// BEOffset is the number of years the Buddhist Era (พุทธศักราช, พ.ศ.) is ahead
// of the Common Era: 2021 CE is 2564 BE.
const BEOffset = 543

// BE returns the Buddhist Era year for the Common Era year ce. Thai users read
// years in BE, while tambon stores ISO (CE) dates, so every year shown in Thai
// passes through here.
//
// The offset is the modern one. Before 1941 the Thai year began on 1 April, so
// January–March dates of BE 2483 and earlier were one BE year "behind"; civil
// registration (DOPA) records already use the modern count, so tambon does too.
func BE(ce int) int { return ce + BEOffset }

// CE returns the Common Era year for the Buddhist Era year be; it undoes BE.
func CE(be int) int { return be - BEOffset }

var bangkok = time.FixedZone("Asia/Bangkok", 7*60*60)

// Bangkok returns Thailand's time zone (UTC+7, no daylight saving). It is a
// fixed zone rather than time.LoadLocation("Asia/Bangkok") so that the package
// needs no time-zone database on disk: Thailand has used +07:00 since 1920.
func Bangkok() *time.Location { return bangkok }
