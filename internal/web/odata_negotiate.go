package web

import (
	"errors"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tambon/internal/apperr"
)

// Content negotiation of the OData feed: the one format each resource
// has (JSON for the service document and collections, CSDL XML for
// $metadata, plain text for /$count) is given when the client accepts
// it, in Accept or $format, and otherwise the request is refused with
// 406 Not Acceptable, never answered in a format the client did not ask
// for. JSON comes with odata.metadata=minimal or, when asked for,
// odata.metadata=none (no @odata.context); odata.metadata=full and
// IEEE754Compatible=true (64-bit integers as strings) are not offered.

// odataStatusErr is a refusal with its own HTTP status and OData error
// code: 406 for a format the feed does not give, 501 for an option it
// does not implement.
type odataStatusErr struct {
	status int
	code   string
	target string
}

func (e *odataStatusErr) Error() string { return e.code + " " + e.target }

func notImplemented(option string) error {
	return apperr.Wrap(&odataStatusErr{http.StatusNotImplemented, "NotImplemented", option}, apperr.Invalid, apperr.Tf(
		"ชุดข้อมูลนี้ยังไม่รองรับ %s", "this feed does not support %s", option))
}

func notAcceptable(asked, offered string) error {
	return apperr.Wrap(&odataStatusErr{http.StatusNotAcceptable, "NotAcceptable", asked}, apperr.Invalid, apperr.Tf(
		"ส่วนนี้ของบริการตอบได้เป็น %s เท่านั้น แต่ผู้เรียกขอ %s", "this resource is given as %s only; the client asked for %s", offered, asked))
}

func statusErrOf(err error) (*odataStatusErr, bool) {
	var se *odataStatusErr
	return se, errors.As(err, &se)
}

// mediaRange is one range of Accept (or $format): type, parameters, q.
type mediaRange struct {
	typ    string
	params map[string]string
	q      float64
}

func parseAccept(h string) []mediaRange {
	var out []mediaRange
	for _, part := range strings.Split(h, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		typ, params, err := mime.ParseMediaType(part)
		if err != nil {
			// A range mime cannot read ("*/*;q=.5" reads; a bare "*" does
			// not) is taken as its type alone.
			typ, params = strings.ToLower(strings.TrimSpace(strings.Split(part, ";")[0])), map[string]string{}
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				q = f
			}
		}
		lower := map[string]string{}
		for k, v := range params {
			lower[strings.ToLower(k)] = strings.ToLower(v)
		}
		if typ == "*" {
			typ = "*/*"
		}
		out = append(out, mediaRange{typ, lower, q})
	}
	slices.SortStableFunc(out, func(a, b mediaRange) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	return out
}

// formatAlias is what $format's short names stand for.
var formatAlias = map[string]string{"json": "application/json", "xml": "application/xml", "atom": "application/atom+xml"}

// negotiate picks the representation of a resource offered as offer
// ("application/json", "application/xml" or "text/plain"): for JSON, the
// metadata level ("minimal" or "none"); "" when the client accepts none of
// it (406).
func negotiate(r *http.Request, offer string) (string, error) {
	asked := r.Header.Get("Accept")
	if f, ok := odataOption(r, "$format"); ok {
		asked = f
		if a, ok := formatAlias[strings.ToLower(f)]; ok {
			asked = a
		}
	}
	if strings.TrimSpace(asked) == "" {
		return "minimal", nil
	}
	major, _, _ := strings.Cut(offer, "/")
	for _, mr := range parseAccept(asked) {
		if mr.q <= 0 {
			continue
		}
		if mr.typ != offer && mr.typ != "*/*" && mr.typ != major+"/*" {
			continue
		}
		if offer != "application/json" {
			return "", nil
		}
		if strings.EqualFold(mr.params["ieee754compatible"], "true") {
			continue
		}
		switch mr.params["odata.metadata"] {
		case "", "minimal":
			return "minimal", nil
		case "none":
			return "none", nil
		}
	}
	return "", notAcceptable(asked, offer)
}

// odataOption is a system query option's value, by its name in any case,
// with or without the $ (OData 4.01); parseOptions has refused a name
// given twice.
func odataOption(r *http.Request, name string) (string, bool) {
	bare := strings.TrimPrefix(name, "$")
	for k, vs := range r.URL.Query() {
		if strings.EqualFold(strings.TrimPrefix(k, "$"), bare) && (strings.HasPrefix(k, "$") || odataSystem[strings.ToLower(k)] != 0) && len(vs) > 0 {
			return vs[0], true
		}
	}
	return "", false
}
