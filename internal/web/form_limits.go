package web

import (
	"errors"
	"mime"
	"net/http"
	"sort"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// maxFieldLength bounds every field of every posted form, in characters.
// The longest thing anybody types into tambon is a list in one box, such as
// an activity's attendees (up to 200 lines of name | role | organisation,
// about 16,000 characters); news bodies and notes are capped far lower by
// their own rules (activity.MaxText 4,000, partner.MaxText 2,000), and
// names lower still (survey.MaxName 200). This is the door's limit, so that
// no handler ever holds a field of megabytes, whatever its own checks.
const maxFieldLength = 20_000

// checkForm reads a posted URL-encoded form before any handler does, and
// refuses it whole when one field is longer than maxFieldLength. Handlers
// then read the form already parsed (ParseForm, FormValue do not read the
// body twice). Multipart uploads are read by their handlers (which stream
// imports); their text fields are captions and codes checked by the store.
func checkForm(r *http.Request) error {
	if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
		return nil
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return apperr.Wrap(err, apperr.Invalid, apperr.T("ข้อมูลในแบบฟอร์มยาวเกินที่รับได้", "the form holds more than can be taken"))
		}
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านข้อมูลในแบบฟอร์มไม่ได้", "the form cannot be read"))
	}
	names := make([]string, 0, len(r.PostForm))
	for name := range r.PostForm {
		names = append(names, name)
	}
	sort.Strings(names) // the same field named every time
	for _, name := range names {
		for _, v := range r.PostForm[name] {
			if len(v) > maxFieldLength && utf8.RuneCountInString(v) > maxFieldLength {
				if len(name) > 60 {
					name = name[:60] + "…"
				}
				return apperr.New(apperr.Invalid, apperr.Tf(
					"ช่อง %s ยาว %d ตัวอักษร เกินที่รับได้ %d ตัวอักษร",
					"the field %s is %d characters long, more than the %d accepted",
					name, utf8.RuneCountInString(v), maxFieldLength))
			}
		}
	}
	return nil
}
