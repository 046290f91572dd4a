package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// apiTokenStore is what the API tokens page needs from storage.
// *store.Store implements it; issuing and revoking write the audit log in
// the same transaction.
type apiTokenStore interface {
	CreateToken(ctx context.Context, t user.Token, tokenHash string) (user.Token, error)
	Tokens(ctx context.Context) ([]user.Token, error)
	Token(ctx context.Context, id int64) (user.Token, error)
	RevokeToken(ctx context.Context, id int64, by string) error
}

// tokenAdmin is the administrator asking, and the store that keeps tokens.
func (s *Server) tokenAdmin(r *http.Request) (*user.User, apiTokenStore, error) {
	admin, err := may(r, user.ManageUsers)
	if err != nil {
		return nil, nil, err
	}
	ts, ok := s.store.(apiTokenStore)
	if !ok {
		return nil, nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับโทเค็น API", "this store cannot keep API tokens"))
	}
	return admin, ts, nil
}

// adminTokensData is the API tokens page: the tokens of the administrator's
// area, the form that issues one, and the token just issued (shown once).
type adminTokensData struct {
	Tokens   []tokenRow
	Roles    []user.Role // the roles this administrator may give
	Areas    []areaChoice
	Within   string
	Form     tokenForm
	New      *newToken
	Done     string // "revoke" after a token was revoked
	DoneID   string
	MinDate  string // tomorrow, the earliest expiry
	MaxDate  string // a year on, the latest
	APIBase  string
	ODataURL string
}

type tokenRow struct {
	user.Token
	AreaName, Created, Expires, Revoked, LastUsed string
	Expired                                       bool
}

type tokenForm struct {
	Name, Role, AreaName, AreaCode, Expires string
	Errors                                  map[string][]string
}

// Err returns the messages beside a field.
func (f tokenForm) Err(field string) []string { return f.Errors[field] }

type newToken struct {
	user.Token
	Secret string
}

// issuable lists the roles admin may give a token (user.CanIssue).
func issuable(admin *user.User) []user.Role {
	var out []user.Role
	for _, r := range user.Roles {
		if user.CanIssue(*admin, r, admin.AreaCode) == nil {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) adminTokens(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := adminTokensData{Done: q.Get("done"), DoneID: q.Get("token")}
	if d.Done != "revoke" {
		d.Done = ""
	}
	return s.renderTokens(w, r, http.StatusOK, d)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, d adminTokensData) error {
	admin, ts, err := s.tokenAdmin(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	all, err := ts.Tokens(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for _, t := range all {
		if !admin.Covers(t.AreaCode) {
			continue
		}
		d.Tokens = append(d.Tokens, tokenRow{Token: t, AreaName: s.areaLabel(t.AreaCode, lang), Created: when(t.CreatedAt, lang),
			Expires: shownDate(t.ExpiresAt.In(thai.Bangkok()), lang), Revoked: when(t.RevokedAt, lang),
			LastUsed: when(t.LastUsedAt, lang), Expired: !t.ExpiresAt.After(now)})
	}
	d.Roles = issuable(admin)
	d.Areas, d.Within = s.areaChoices(admin, lang), admin.AreaCode
	today := now.In(thai.Bangkok())
	d.MinDate = today.AddDate(0, 0, 1).Format(isoDate)
	d.MaxDate = today.Add(user.MaxTokenLife).Format(isoDate)
	if d.Form.Expires == "" && d.Form.Errors == nil {
		d.Form.Expires = today.AddDate(0, 3, 0).Format(isoDate)
	}
	if d.Form.Role == "" {
		d.Form.Role = string(user.Viewer)
	}
	base := s.publicBase(r)
	d.APIBase, d.ODataURL = base+"/api/v1", base+"/odata/"
	// The page may carry a token: never keep it in a cache.
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, "admin_tokens", s.msgs.text(lang, "tokens.title"), d)
}

func (s *Server) adminIssueToken(w http.ResponseWriter, r *http.Request) error {
	admin, ts, err := s.tokenAdmin(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	f := tokenForm{Name: strings.TrimSpace(strings.ToLower(r.PostFormValue("name"))), Role: r.PostFormValue("role"),
		AreaName: strings.TrimSpace(r.PostFormValue("area")), AreaCode: r.PostFormValue("area_code"),
		Expires: strings.TrimSpace(r.PostFormValue("expires")), Errors: map[string][]string{}}
	refuse := func(field string, err error) {
		f.Errors[field] = append(f.Errors[field], apperr.MessageOf(err).In(lang))
	}
	if err := user.ValidTokenName(f.Name); err != nil {
		refuse("name", err)
	}
	role, err := user.ParseRole(f.Role)
	if err != nil {
		refuse("role", err)
	}
	code, err := s.accountArea(admin, "area", f.AreaName, f.AreaCode)
	if err != nil {
		refuse("area", err)
	} else if _, ok := s.areas.Get(code); !ok {
		refuse("area", apperr.New(apperr.Invalid, apperr.Tf("ไม่พบพื้นที่รหัส %q", "no area has the code %q", code)))
	} else {
		f.AreaCode = code
		if role != "" {
			if err := user.CanIssue(*admin, role, code); err != nil {
				refuse("role", err)
			}
		}
	}
	expires, err := tokenExpiry(f.Expires, s.now())
	if err != nil {
		refuse("expires", err)
	}
	if len(f.Errors) == 0 {
		secret, hash := user.NewTokenSecret()
		t, err := ts.CreateToken(ctx, user.Token{Name: f.Name, Role: role, AreaCode: code, CreatedBy: admin.Username, ExpiresAt: expires}, hash)
		if err == nil {
			s.log.Info("token.issue", "by", admin.Username, "token", t.Name, "role", t.Role, "area", t.AreaCode)
			return s.renderTokens(w, r, http.StatusOK, adminTokensData{New: &newToken{Token: t, Secret: secret}})
		}
		if c := apperr.CodeOf(err); c != apperr.Conflict && c != apperr.Invalid {
			return err
		}
		refuse("name", err)
	}
	return s.renderTokens(w, r, http.StatusBadRequest, adminTokensData{Form: f})
}

// tokenExpiry reads the expiry date (the end of that day, Bangkok time):
// after today, and at most user.MaxTokenLife away.
func tokenExpiry(typed string, now time.Time) (time.Time, error) {
	if typed == "" {
		return time.Time{}, apperr.New(apperr.Invalid, apperr.T("โปรดเลือกวันหมดอายุ", "please choose the expiry date"))
	}
	d, err := thai.ParseDate(typed)
	if err != nil {
		return time.Time{}, apperr.New(apperr.Invalid, apperr.Tf("วันหมดอายุ %q ไม่ใช่วันที่", "the expiry %q is not a date", typed))
	}
	end := time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, thai.Bangkok())
	if !end.After(now) || end.Sub(now) < 12*time.Hour {
		return time.Time{}, apperr.New(apperr.Invalid, apperr.T("วันหมดอายุต้องอยู่หลังวันนี้", "the expiry must be after today"))
	}
	if end.Sub(now) > user.MaxTokenLife {
		return time.Time{}, apperr.New(apperr.Invalid, apperr.T("โทเค็นมีอายุได้ไม่เกินหนึ่งปี", "a token may live a year at most"))
	}
	return end.UTC(), nil
}

func (s *Server) adminRevokeToken(w http.ResponseWriter, r *http.Request) error {
	admin, ts, err := s.tokenAdmin(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	missing := apperr.New(apperr.NotFound, apperr.Tf("ไม่พบโทเค็นหมายเลข %d ที่ยังใช้งานอยู่", "no live token has the number %d", id))
	t, err := ts.Token(r.Context(), id)
	if err != nil || !admin.Covers(t.AreaCode) {
		// A token of another area is answered as missing, as accounts are.
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		return missing
	}
	if err := ts.RevokeToken(r.Context(), id, admin.Username); err != nil {
		return err
	}
	s.log.Info("token.revoke", "by", admin.Username, "token", t.Name)
	http.Redirect(w, r, "/admin/tokens?done=revoke&token="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
