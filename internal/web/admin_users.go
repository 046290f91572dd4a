package web

import (
	"net/http"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

// adminUsersData is the account administration page.
type adminUsersData struct {
	Accounts []adminAccount
	Roles    []user.Role
	Done     string // what the last change was (create, disable, …), for the notice
	DoneUser string
	Error    apperr.Text
	Form     adminUserForm
}

type adminAccount struct {
	user.User
	AreaName string
	Sessions int
	Self     bool
}

// adminUserForm keeps what was typed when creating an account fails.
type adminUserForm struct {
	Username, DisplayName, Role, AreaCode string
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderUsers(w, r, http.StatusOK, adminUsersData{Done: q.Get("done"), DoneUser: q.Get("user"), Form: adminUserForm{Role: string(user.Viewer)}})
}

// renderUsers lists the accounts inside the administrator's area.
func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, d adminUsersData) error {
	admin, err := may(r, user.ManageUsers)
	if err != nil {
		return err
	}
	as, err := s.astore()
	if err != nil {
		return err
	}
	all, err := as.Users(r.Context())
	if err != nil {
		return err
	}
	counts, err := as.SessionCounts(r.Context())
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	for _, u := range all {
		if !admin.Covers(u.AreaCode) {
			continue
		}
		acc := adminAccount{User: u, Sessions: counts[u.ID], Self: u.ID == admin.ID}
		if a, ok := s.areas.Get(u.AreaCode); ok {
			acc.AreaName = a.TitleTH()
			if lang == "en" {
				acc.AreaName = a.TitleEN()
			}
		}
		d.Accounts = append(d.Accounts, acc)
	}
	d.Roles = user.Roles
	switch d.Done {
	case "create", "disable", "enable", "password", "revoke":
	default:
		d.Done = ""
	}
	return s.render(w, r, status, "admin_users", s.msgs.text(lang, "admin.users.title"), d)
}

func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request) error {
	admin, err := may(r, user.ManageUsers)
	if err != nil {
		return err
	}
	as, err := s.astore()
	if err != nil {
		return err
	}
	form := adminUserForm{
		Username:    strings.TrimSpace(strings.ToLower(r.PostFormValue("username"))),
		DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Role:        r.PostFormValue("role"),
		AreaCode:    strings.TrimSpace(r.PostFormValue("area")),
	}
	u, err := s.newAccount(admin, form, r.PostFormValue("password"))
	if err == nil {
		u, err = as.CreateUser(r.Context(), u)
	}
	if err != nil {
		if code := apperr.CodeOf(err); code != apperr.Invalid && code != apperr.Conflict && code != apperr.Forbidden {
			return err
		}
		return s.renderUsers(w, r, statusOf(apperr.CodeOf(err)), adminUsersData{Form: form, Error: apperr.MessageOf(err)})
	}
	if err := auditAccount(r.Context(), as, admin, "user.create", u, `{"role":"`+string(u.Role)+`"}`); err != nil {
		return err
	}
	s.log.Info("user.create", "by", admin.Username, "user", u.Username, "role", u.Role, "area", u.AreaCode)
	return backToUsers(w, r, "create", u.Username)
}

// newAccount checks a new account's fields and hashes its password. The
// area must exist and lie inside the administrator's own.
func (s *Server) newAccount(admin *user.User, f adminUserForm, password string) (user.User, error) {
	if err := user.ValidUsername(f.Username); err != nil {
		return user.User{}, err
	}
	if f.DisplayName == "" {
		return user.User{}, apperr.New(apperr.Invalid, apperr.T("โปรดกรอกชื่อที่แสดง", "please give a display name"))
	}
	role, err := user.ParseRole(f.Role)
	if err != nil {
		return user.User{}, err
	}
	if _, ok := s.areas.Get(f.AreaCode); !ok {
		return user.User{}, apperr.New(apperr.Invalid, apperr.Tf("ไม่พบพื้นที่รหัส %q", "no area has the code %q", f.AreaCode))
	}
	if !admin.Covers(f.AreaCode) {
		return user.User{}, apperr.New(apperr.Forbidden, apperr.Tf(
			"พื้นที่ %s อยู่นอกพื้นที่ที่ท่านดูแล (%s)", "the area %s is outside the area you administer (%s)", f.AreaCode, admin.AreaCode))
	}
	if err := user.ValidPassword(f.Username, password); err != nil {
		return user.User{}, err
	}
	hash, err := user.HashPassword(password)
	if err != nil {
		return user.User{}, err
	}
	return user.User{Username: f.Username, DisplayName: f.DisplayName, PasswordHash: hash, Role: role, AreaCode: f.AreaCode}, nil
}
