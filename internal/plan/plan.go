// Package plan holds development plans: a village's or tambon's plan for a
// fiscal year (พ.ศ.), the problems the team chose from the survey's results,
// the plan items (projects) that answer them, the households they target,
// and the help delivered to households. It closes the loop DESIGN §2 draws:
// problems and target households → plans → help delivered → re-survey.
// It does no I/O.
package plan

import (
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// Plan is one area's development plan for a fiscal year.
type Plan struct {
	ID         int64
	AreaCode   string // a tambon (6 digits) or a village (8 digits)
	FiscalYear int    // พ.ศ., e.g. 2564
	RoundID    string // the survey round its problems were proposed from
	Title      string
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// MaxText bounds the free text of titles and notes.
const MaxText = 500

// Validate checks a plan before it is stored.
func (p *Plan) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	switch {
	case len(p.AreaCode) != 6 && len(p.AreaCode) != 8 || strings.Trim(p.AreaCode, "0123456789") != "":
		return apperr.New(apperr.Invalid, apperr.Tf(
			"แผนพัฒนาทำได้ระดับตำบล (รหัส 6 หลัก) หรือหมู่บ้าน (รหัส 8 หลัก): ได้ %q",
			"a development plan is for a tambon (6-digit code) or a village (8-digit code): got %q", p.AreaCode))
	case p.FiscalYear < 2500 || p.FiscalYear > 2700:
		return apperr.New(apperr.Invalid, apperr.Tf(
			"ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2564 (ได้ %d)", "the fiscal year must be a Buddhist Era year such as 2564 (got %d)", p.FiscalYear))
	case p.RoundID == "":
		return apperr.New(apperr.Invalid, apperr.T("ต้องเลือกรอบสำรวจที่ใช้เสนอปัญหา", "choose the survey round the problems come from"))
	case p.Title == "":
		return apperr.New(apperr.Invalid, apperr.T("ต้องมีชื่อแผน", "the plan needs a title"))
	case utf8.RuneCountInString(p.Title) > MaxText:
		return apperr.New(apperr.Invalid, apperr.Tf("ชื่อแผนยาวเกิน %d ตัวอักษร", "the plan's title is longer than %d characters", MaxText))
	}
	return nil
}
