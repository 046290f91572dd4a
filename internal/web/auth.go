package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/signin"
	"tambon/internal/user"
)

const (
	sessionCookie = "tambon_session"
	sessionLife   = 12 * time.Hour
)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "login", s.msgs.text(langFrom(r.Context()), "nav.signin"), loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

type loginData struct {
	Username string
	Next     string
	formErrors
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	username := strings.TrimSpace(strings.ToLower(r.PostFormValue("username")))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	u, err := s.signin.Password(r.Context(), r, s.store, signin.Web, username, password)
	if err != nil {
		code := apperr.CodeOf(err)
		if code != apperr.Unauthorized && code != apperr.TooMany {
			return err
		}
		if wait, ok := signin.RetryAfter(err); ok {
			w.Header().Set("Retry-After", wait)
		}
		// The answer names no field it could tell apart (a wrong name and a
		// wrong password read the same); it stands beside the password, to
		// be typed again, unless a field was left empty.
		var ps apperr.Problems
		if username == "" {
			ps = append(ps, apperr.Problem{Field: "username", Reason: apperr.T("ต้องกรอกชื่อผู้ใช้", "type your username")})
		}
		if password == "" {
			ps = append(ps, apperr.Problem{Field: "password", Reason: apperr.T("ต้องกรอกรหัสผ่าน", "type your password")})
		}
		if len(ps) == 0 || code == apperr.TooMany {
			field := "password"
			if code == apperr.TooMany {
				field = ""
			}
			ps = apperr.Problems{{Field: field, Reason: apperr.MessageOf(err)}}
		}
		lang := langFrom(r.Context())
		d := loginData{Username: username, Next: next, formErrors: s.formErrorsOf(ps, lang, "login.", nil)}
		d.Heading = s.msgs.text(lang, "forms.errors.signin")
		return s.render(w, r, statusOf(code), "login", s.msgs.text(lang, "nav.signin"), d)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.now()
	if err := s.store.CreateSession(r.Context(), user.Session{ID: hashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(sessionLife)}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionLife.Seconds())})
	s.log.Info("signed in", "user", u.Username)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(r.Context(), hashToken(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
