package xform

import (
	"errors"

	"tambon/internal/apperr"
)

// Limits of one submitted instance. A household of this form, with a dozen
// members, is about 20 kB of XML; the longest text any field takes (a
// free-text answer of 4,000 Thai characters, survey.MaxTextAnswer) is 12 kB
// of UTF-8. Past these a submission is not a household but an attack, and
// it is refused whole, not kept for review.
const (
	MaxInstanceBytes = 2 << 20  // the instance XML
	MaxValueBytes    = 16 << 10 // the text of one element, or one attribute
)

// ErrTooLong marks an instance refused for its size or a value's length:
// such a submission is refused without being kept.
var ErrTooLong = errors.New("xform: instance or value too long")

func instanceTooLarge(n int) error {
	return apperr.Wrap(ErrTooLong, apperr.Invalid, apperr.Tf(
		"ข้อมูลแบบฟอร์มที่ส่ง (XML) มีขนาด %d KB เกินที่รับได้ %d KB",
		"the submitted form data (XML) is %d KB, more than the %d KB accepted", n>>10, MaxInstanceBytes>>10))
}

func valueTooLong(element string) error {
	return apperr.Wrap(ErrTooLong, apperr.Invalid, apperr.Tf(
		"ค่าในช่อง %s ยาวเกิน %d KB: ไม่ใช่คำตอบที่แบบฟอร์มนี้รับ",
		"the value of %s is longer than %d KB: no answer of this form is that long", element, MaxValueBytes>>10))
}
