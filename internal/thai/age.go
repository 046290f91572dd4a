package thai

import "time"

// AgeAt returns a person's age in completed years on the date ref, the age
// every จปฐ. indicator uses (worked out at the survey's reference date, never
// "now"). The birthday itself counts: born 18 January 2000, one is 21 on
// 18 January 2021. Someone born on 29 February completes a year on 1 March in
// common years, the usual reading of the Civil and Commercial Code (ss. 16 and
// 193/5: a year that has no matching day ends on the last day of February).
//
// Both dates are read in their own locations. A negative result means ref is
// before birth, which callers should flag as a data error.
func AgeAt(birth, ref time.Time) int {
	by, bm, bd := birth.Date()
	ry, rm, rd := ref.Date()
	age := ry - by
	if bm == time.February && bd == 29 && !isLeap(ry) {
		bm, bd = time.March, 1
	}
	if rm < bm || rm == bm && rd < bd {
		age--
	}
	return age
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }
