package web

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"strings"

	"tambon/internal/apperr"
)

// formErrors are the refused fields of a posted form. Every problem is
// shown twice: in the summary at the top (a link to the field) and beside
// its field, which is marked aria-invalid and described by the text. The
// page's script moves the focus to the first invalid field.
//
// A form's data embeds formErrors; templates then write each field as
//
//	{{with $.F "title_th" "act.f.title_th" "required" "hint:forms.hint.x"}}
//	  {{template "field-label" .}}<input name="title_th" {{.Attrs}}>{{template "field-error" .}}
//	{{end}}
type formErrors struct {
	Problems []problemLine
	Heading  string // the summary's first line, when not "not saved"
	byField  map[string][]string
}

// FormErrors lets view.F find the errors in any page data that embeds formErrors.
func (e formErrors) FormErrors() formErrors { return e }

// problemLine is a refused field, located and explained in the page's language.
type problemLine struct {
	ID     string // the field's element id, for the summary's link
	Where  string
	Value  string
	Reason string
}

// fieldID is the element id of the field a problem is about: the field's
// own key, or for a row of a repeated group (Row > 0, Column set) the
// row's input, e.g. "followups-2-due".
func fieldID(p apperr.Problem) string {
	if p.Row > 0 && p.Column != "" {
		return fmt.Sprintf("%s-%d-%s", p.Field, p.Row, p.Column)
	}
	return p.Field
}

// formErrorsOf turns an error into the form's problems. Labels come from
// the locale keys prefix+field (and prefix+field+"."+column for a row's
// input); alias maps a problem's field to the form's input when the two
// differ (the domain's "end" is the form's "end_time").
func (s *Server) formErrorsOf(err error, lang, prefix string, alias map[string]string) formErrors {
	e := formErrors{byField: map[string][]string{}}
	if err == nil {
		return e
	}
	var ps apperr.Problems
	if !errors.As(err, &ps) {
		e.Problems = []problemLine{{Reason: apperr.MessageOf(err).In(lang)}}
		return e
	}
	label := func(key, fallback string) string {
		if t := s.msgs.text(lang, prefix+key); !strings.HasPrefix(t, "[") {
			return t
		}
		return fallback
	}
	for _, p := range ps {
		if a, ok := alias[p.Field]; ok {
			p.Field = a
		}
		where := label(p.Field, p.Field)
		if p.Row > 0 {
			where += " " + s.msgs.text(lang, "forms.row", "n", p.Row)
			if p.Column != "" {
				where += ": " + label(p.Field+"."+p.Column, p.Column)
			}
		}
		id := fieldID(p)
		reason := p.Reason.In(lang)
		e.Problems = append(e.Problems, problemLine{ID: id, Where: where, Value: p.Value, Reason: reason})
		e.byField[id] = append(e.byField[id], reason)
	}
	return e
}

// Has reports whether a field was refused.
func (e formErrors) Has(id string) bool { return len(e.byField[id]) > 0 }

// fieldView is one input of a form as its template writes it: its label,
// whether it must be filled, the format hint that stays beside it and the
// reasons it was refused.
type fieldView struct {
	ID, Label, Hint string
	Required        bool
	Errors          []string
}

// F describes the field whose element id is id, labelled by the locale key
// labelKey. Options: "required", "hint:<locale key>".
func (v view) F(id, labelKey string, opts ...string) fieldView {
	f := fieldView{ID: id}
	if labelKey != "" {
		f.Label = v.T(labelKey)
	}
	for _, o := range opts {
		switch {
		case o == "required":
			f.Required = true
		case strings.HasPrefix(o, "hint:"):
			f.Hint = v.T(strings.TrimPrefix(o, "hint:"))
		}
	}
	if d, ok := v.Data.(interface{ FormErrors() formErrors }); ok {
		f.Errors = d.FormErrors().byField[id]
	}
	return f
}

// Attrs are the input's id and the attributes that tie it to its label,
// hint and error: required and aria-required, aria-invalid, aria-describedby.
func (f fieldView) Attrs() template.HTMLAttr {
	id := html.EscapeString(f.ID)
	var b strings.Builder
	fmt.Fprintf(&b, `id="%s"`, id)
	if f.Required {
		b.WriteString(` required aria-required="true"`)
	}
	var described []string
	if f.Hint != "" {
		described = append(described, id+"-hint")
	}
	if len(f.Errors) > 0 {
		b.WriteString(` aria-invalid="true"`)
		described = append(described, id+"-error")
	}
	if len(described) > 0 {
		fmt.Fprintf(&b, ` aria-describedby="%s"`, strings.Join(described, " "))
	}
	return template.HTMLAttr(b.String())
}

// Invalid is the class of a field's box when it was refused.
func (f fieldView) Invalid() bool { return len(f.Errors) > 0 }

// DateValue is a date as a date input takes it (YYYY-MM-DD), from a date
// kept as typed or stored; text that is no date is given back as it is.
func (v view) DateValue(typed string) string {
	value, _ := dateInput(typed, v.Lang)
	return value
}

// DateShown is the date written out in the page's language (พ.ศ. in Thai),
// shown beside the date input; empty when it is no date.
func (v view) DateShown(typed string) string {
	_, shown := dateInput(typed, v.Lang)
	return shown
}
