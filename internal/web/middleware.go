package web

import (
	"context"
	"net/http"
	"strings"
	"time"
)

var zeroTime time.Time

// securityHeaders sets the headers every response carries: a strict Content
// Security Policy (every script, style and font is our own), no framing, no
// sniffing, and cross-origin protection for every state-changing request.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody(r))
		protected.ServeHTTP(w, r)
	})
}

// maxBody limits request bodies: forms are small; uploads have their own
// larger limit.
func maxBody(r *http.Request) int64 {
	const mib = 1 << 20
	if r.Method == http.MethodPost && (len(r.URL.Path) > 7 && r.URL.Path[:7] == "/import") {
		return 600 * mib
	}
	if r.Method == http.MethodPost && (strings.HasSuffix(r.URL.Path, "/photos") || strings.HasSuffix(r.URL.Path, "/files")) {
		return 10 * mib // one photo or document: activity.MaxPhotoBytes or programme.MaxFile and the form around it
	}
	return 2 * mib
}

// withUser puts the signed-in account, if any, into the request context:
// the API token's principal, else the session's account.
func (s *Server) withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := bearer(r); ok && tokenDoor(r.URL.Path) {
			// An API token (api_tokens_auth.go) speaks for the request;
			// a cookie sent beside it is not looked at.
			r, ok = s.withBearer(w, r)
			if ok {
				next.ServeHTTP(w, r)
			}
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			if u, err := s.store.SessionUser(r.Context(), hashToken(c.Value)); err == nil {
				r = r.WithContext(context.WithValue(r.Context(), ctxUser, &u))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a logged 500 instead of a dropped
// connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error / เกิดข้อผิดพลาดภายใน", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
