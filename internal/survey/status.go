package survey

import "tambon/internal/apperr"

// Review is a step of a round's review for one tambon: the tambon submits,
// the district verifies or returns it, the province certifies or returns it,
// and an authorised user may reopen certified data with a reason.
type Review string

// The review steps.
const (
	Submit  Review = "submit"
	Verify  Review = "verify"
	Return  Review = "return"
	Certify Review = "certify"
	Reopen  Review = "reopen"
)

// Next returns the status a review step leads to from the current one, or an
// error saying why the step is not possible now.
func Next(from Status, step Review) (Status, error) {
	if from == "" {
		from = StatusOpen
	}
	switch {
	case step == Submit && from == StatusOpen:
		return StatusSubmitted, nil
	case step == Verify && from == StatusSubmitted:
		return StatusVerified, nil
	case step == Certify && from == StatusVerified:
		return StatusCertified, nil
	case step == Return && (from == StatusSubmitted || from == StatusVerified):
		return StatusOpen, nil
	case step == Reopen && from == StatusCertified:
		return StatusOpen, nil
	}
	return from, apperr.New(apperr.Conflict, apperr.Tf(
		"ทำขั้นตอน %s ไม่ได้ขณะสถานะเป็น %s", "cannot %s while the status is %s", string(step), string(from)))
}

// Locked reports whether households under an area in this status may not be
// changed: from submission until the area is returned or reopened.
func (s Status) Locked() bool {
	return s == StatusSubmitted || s == StatusVerified || s == StatusCertified
}
