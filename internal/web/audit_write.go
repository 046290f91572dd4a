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
// which record (the request path), its area, the record as it was before
// (old) and the values posted (new).

// auditNote carries what the handler's lookup (planOf, itemOf,
// programmeOf, activityOf, partnerOf) found: the record's area, and the
// record as it stood before the write.
type auditNote struct {
	area   string
	before any
}

type ctxKeyAudit struct{}

// noteRecord tells audited which record the request changes: the first
// area noted stands (a plan's, for its items), the most specific record
// (an item, after its plan) is the one kept as "before".
func noteRecord(ctx context.Context, area string, before any) {
	if n, ok := ctx.Value(ctxKeyAudit{}).(*auditNote); ok {
		if n.area == "" {
			n.area = area
		}
		n.before = before
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
		before := note.before
		if strings.HasSuffix(action, ".create") {
			before = nil // what the lookup found is the parent; the record is new
		}
		if err := st.AuditEvent(r.Context(), u.Username, action, area, r.URL.Path, auditDetail(before, r)); err != nil {
			// The change is stored; losing its log line must not undo the answer.
			s.log.Error("audit of a write failed", "action", action, "path", r.URL.Path, "err", err)
		}
		return nil
	}
}

// auditDetail is {"before": the record as it was (absent for a new one),
// "posted": the form}.
func auditDetail(before any, r *http.Request) string {
	d := struct {
		Before any            `json:"before,omitempty"`
		Posted map[string]any `json:"posted"`
	}{before, postedValues(r)}
	b, _ := json.Marshal(d) // maps marshal in key order
	return string(b)
}

// postedValues is the form: each field's values (long ones cut at 300
// characters) and the names of files sent, never their bytes.
func postedValues(r *http.Request) map[string]any {
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
	return out
}
