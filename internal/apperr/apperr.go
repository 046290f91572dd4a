// Package apperr is tambon's one error type. Every error that reaches a user
// carries a code (what kind of failure, which decides the HTTP status and the
// exit code) and a message in Thai and English (what went wrong and why).
//
// Domain packages build errors with New or Wrap; adapters (HTTP, CLI) read them
// back with CodeOf and MessageOf. Internal errors keep their cause for the log
// but show users only a generic sentence.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error.
type Code string

// The codes. They are stable strings: the JSON API returns them.
const (
	Invalid      Code = "invalid"      // the input is wrong; the message says where and why
	NotFound     Code = "not_found"    // the thing asked for does not exist
	Conflict     Code = "conflict"     // the write clashes with what is stored (duplicate, stale)
	Forbidden    Code = "forbidden"    // signed in, but not allowed
	Unauthorized Code = "unauthorized" // not signed in, or the credentials are wrong
	Unavailable  Code = "unavailable"  // a resource the program needs cannot be reached
	TooMany      Code = "too_many"     // too many attempts, or the server is busy: try again later
	Internal     Code = "internal"     // a bug or an unexpected failure
)

// Text is a sentence in Thai and English. Rules that produce messages write
// both languages where the rule lives, so a reason is never lost in
// translation.
type Text struct {
	TH string `json:"th"`
	EN string `json:"en"`
}

// T builds a Text.
func T(th, en string) Text { return Text{TH: th, EN: en} }

// Tf builds a Text from two format strings sharing the same arguments.
func Tf(th, en string, args ...any) Text {
	return Text{TH: fmt.Sprintf(th, args...), EN: fmt.Sprintf(en, args...)}
}

// In returns the text in the language lang ("th" or "en"); Thai is the default.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	if t.TH == "" {
		return t.EN
	}
	return t.TH
}

// String joins both languages, Thai first, for logs and terminals.
func (t Text) String() string {
	switch {
	case t.TH == "":
		return t.EN
	case t.EN == "" || t.EN == t.TH:
		return t.TH
	}
	return t.TH + " / " + t.EN
}

// Error is an error with a code and a bilingual message.
type Error struct {
	Code Code
	Msg  Text
	Err  error // the cause, if any; never shown to users for Internal errors
}

// New returns an error with a code and a message.
func New(code Code, msg Text) *Error { return &Error{Code: code, Msg: msg} }

// Wrap returns an error with a code and a message that keeps err as its cause.
func Wrap(err error, code Code, msg Text) *Error { return &Error{Code: code, Msg: msg, Err: err} }

func (e *Error) Error() string {
	s := e.Msg.EN
	if s == "" {
		s = e.Msg.TH
	}
	if e.Err != nil {
		if s == "" {
			return e.Err.Error()
		}
		return s + ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var ps Problems
	if errors.As(err, &ps) {
		return Invalid
	}
	return Internal
}

// MessageOf returns the message to show a user for err. Internal errors get a
// generic sentence so that no detail of the machine leaks.
func MessageOf(err error) Text {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal && (e.Msg.TH != "" || e.Msg.EN != "") {
		return e.Msg
	}
	// Problems say what is wrong themselves: their reasons, in order.
	var ps Problems
	if errors.As(err, &ps) && len(ps) > 0 {
		th, en := make([]string, len(ps)), make([]string, len(ps))
		for i, p := range ps {
			th[i], en[i] = p.Reason.TH, p.Reason.EN
		}
		return Text{TH: strings.Join(th, "; "), EN: strings.Join(en, "; ")}
	}
	return T("เกิดข้อผิดพลาดภายในระบบ โปรดลองอีกครั้ง หรือแจ้งผู้ดูแลระบบ",
		"Something went wrong inside tambon. Please try again, or tell your administrator.")
}

// Is reports whether err has the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
