package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"tambon/internal/apperr"
)

// handlerFunc is an HTTP handler that returns its error instead of writing it;
// page and api turn errors into an HTML page or a JSON body, and log only
// internal ones.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// page adapts a page handler: it settles the language and renders errors as
// pages.
func (s *Server) page(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), ctxLang, langOf(w, r)))
		if err := checkForm(r); err != nil {
			s.pageError(w, r, err)
			return
		}
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// api adapts a JSON handler. The language of messages follows ?lang= or the
// Accept-Language header; both languages are always in the body.
func (s *Server) api(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkForm(r); err != nil {
			s.apiError(w, r, err)
			return
		}
		if err := h(w, r); err != nil {
			s.apiError(w, r, err)
		}
	})
}

func statusOf(code apperr.Code) int { return apperr.HTTPStatus(code) }

// logIfInternal logs the errors that are the server's trouble, not the
// request's (internal ones, and a database that is unavailable or
// damaged), with the cause the user is not shown.
func (s *Server) logIfInternal(r *http.Request, err error) {
	if statusOf(apperr.CodeOf(err)) >= http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// explain lets storage say what an error means to the user (Config.ExplainError).
func (s *Server) explain(err error) error {
	if s.cfg.ExplainError == nil {
		return err
	}
	return s.cfg.ExplainError(err)
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	err = s.explain(err)
	s.logIfInternal(r, err)
	code := apperr.CodeOf(err)
	if code == apperr.Unauthorized && r.Method == http.MethodGet {
		// The whole address, query included, travels as one escaped value.
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	msg := apperr.MessageOf(err)
	data := struct {
		Message apperr.Text
		Status  int
	}{msg, statusOf(code)}
	if rerr := s.render(w, r, statusOf(code), "error", msg.In(langFrom(r.Context())), data); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, msg.String(), statusOf(code))
	}
}

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error struct {
		Code     apperr.Code     `json:"code"`
		Message  apperr.Text     `json:"message"`
		Problems apperr.Problems `json:"problems,omitempty"`
	} `json:"error"`
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	err = s.explain(err)
	s.logIfInternal(r, err)
	var body errorBody
	body.Error.Code = apperr.CodeOf(err)
	body.Error.Message = apperr.MessageOf(err)
	var ps apperr.Problems
	if errors.As(err, &ps) {
		body.Error.Problems = ps
		body.Error.Message = apperr.Tf("ข้อมูลไม่ถูกต้อง %d รายการ", "%d problems in the input", len(ps))
	}
	writeJSON(w, statusOf(body.Error.Code), body)
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return apperr.New(apperr.NotFound, apperr.T("ไม่พบหน้าที่ต้องการ", "page not found"))
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) error {
	return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีบริการ API ที่ %s", "there is no API at %s", r.URL.Path))
}

// healthz answers monitoring: whether the server runs and its database
// answers. It names no version, which would tell an attacker which known
// flaws to try; administrators see the version in the page footer.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Ping(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}
