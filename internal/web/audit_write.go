package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// The plan, programme, partner and activity forms change records that have
// no history of their own (households do: old → new per field). audited
// writes one audit entry for each such change that succeeds: who, when,
// which record (the request path), the area, and the values posted.

// auditNote carries the area of the record a handler changed, set by the
// handler's lookup (planOf, programmeOf, …) so the entry is found by area.
type auditNote struct{ area string }

type ctxKeyAudit struct{}

// noteArea tells audited which area the request's record belongs to.
func noteArea(ctx context.Context, area string) {
	if n, ok := ctx.Value(ctxKeyAudit{}).(*auditNote); ok && n.area == "" {
		n.area = area
	}
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// auditEventStore is the one audit call the wrapper needs.
type auditEventStore interface {
	AuditEvent(ctx context.Context, user, action, area, object, detail string) error
}

// audited wraps a form handler: when it succeeds (no error, a status below
// 400: a redirect after the write, as every form here answers), the write is
// logged as action. A refused form (shown again with its reasons) is not a
// write and is not logged.
func (s *Server) audited(action string, h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		note := &auditNote{area: r.PathValue("code")}
		r = r.WithContext(context.WithValue(r.Context(), ctxKeyAudit{}, note))
		sw := &statusWriter{ResponseWriter: w}
		if err := h(sw, r); err != nil || sw.status >= 400 {
			return err
		}
		u := userFrom(r.Context())
		st, ok := s.store.(auditEventStore)
		if u == nil || !ok {
			return nil
		}
		area := note.area
		if area == "" {
			area = u.AreaCode
		}
		if err := st.AuditEvent(r.Context(), u.Username, action, area, r.URL.Path, postedValues(r)); err != nil {
			// The change is stored; losing its log line must not undo the answer.
			s.log.Error("audit of a write failed", "action", action, "path", r.URL.Path, "err", err)
		}
		return nil
	}
}

// postedValues is the form as JSON: each field's values (long ones cut at
// 300 characters) and the names of files sent, never their bytes.
func postedValues(r *http.Request) string {
	out := map[string]any{}
	for k, vs := range r.PostForm {
		cut := make([]string, len(vs))
		for i, v := range vs {
			if len(v) > 300 {
				v = strings.ToValidUTF8(v[:300], "") + "…"
			}
			cut[i] = v
		}
		if len(cut) == 1 {
			out[k] = cut[0]
		} else {
			out[k] = cut
		}
	}
	if r.MultipartForm != nil {
		var names []string
		for _, fs := range r.MultipartForm.File {
			for _, f := range fs {
				names = append(names, f.Filename)
			}
		}
		sort.Strings(names)
		if len(names) > 0 {
			out["files"] = names
		}
	}
	b, _ := json.Marshal(out) // maps marshal in key order
	return string(b)
}
