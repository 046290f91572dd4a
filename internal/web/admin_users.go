package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/user"
)

// usersPageSize keeps a page of the account list short enough for a phone.
const usersPageSize = 20

// adminUsersData is the account administration page.
type adminUsersData struct {
	Accounts []adminAccount
	Roles    []user.Role
	Done     string // what the last change was (create, disable, …), for the notice
	DoneUser string
	Error    apperr.Text
	Form     adminUserForm
	F        usersFilter
	Filtered bool
	Total    int // accounts the filter keeps, on every page
	Pager    pager
	Areas    []areaChoice // the area picker's list (the script adds search results)
	Within   string       // the administrator's area, for the picker's script
	// AreaError says why the area filter was not understood.
	AreaError apperr.Text
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
	AreaName                              string // the area as the picker shows it
}

// usersFilter is the account list's search: a part of the username or
// display name, a role, an area (the accounts inside it).
type usersFilter struct {
	Q        string
	Role     string
	Area     string // code, resolved from AreaName
	AreaName string
	Page     int
}

func (f usersFilter) values() url.Values {
	v := url.Values{}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	if f.Role != "" {
		v.Set("role", f.Role)
	}
	if f.AreaName != "" {
		v.Set("area", f.AreaName)
	}
	return v
}

// areaChoice is one area the picker offers: its name with the areas that
// contain it, as in a Thai address.
type areaChoice struct{ Code, Label string }

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderUsers(w, r, http.StatusOK, adminUsersData{Done: q.Get("done"), DoneUser: q.Get("user"), Form: adminUserForm{Role: string(user.Viewer)}})
}

// renderUsers lists the accounts inside the administrator's area that the
// search keeps, one page at a time.
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
	q := r.URL.Query()
	d.F = usersFilter{Q: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), AreaName: strings.TrimSpace(q.Get("area"))}
	if len([]rune(d.F.Q)) > 60 {
		d.F.Q = string([]rune(d.F.Q)[:60])
	}
	if _, err := user.ParseRole(d.F.Role); err != nil {
		d.F.Role = ""
	}
	if d.F.AreaName != "" {
		// An area the picker cannot read is answered beside it, and lists
		// nobody rather than everybody.
		code, err := s.accountArea(admin, "area", d.F.AreaName, q.Get("area_code"))
		switch {
		case apperr.Is(err, apperr.Invalid):
			d.AreaError, d.F.Area = apperr.MessageOf(err), "-"
		case err != nil:
			return err
		default:
			d.F.Area, d.F.AreaName = code, s.areaLabel(code, lang)
		}
	}
	d.F.Page, _ = strconv.Atoi(q.Get("page"))
	if d.AreaError.TH != "" {
		d.F.Page = 1
	}
	d.Filtered = d.F.Q != "" || d.F.Role != "" || d.F.Area != ""
	needle := strings.ToLower(d.F.Q)
	var kept []adminAccount
	for _, u := range all {
		if !admin.Covers(u.AreaCode) {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(u.Username), needle) && !strings.Contains(strings.ToLower(u.DisplayName), needle) {
			continue
		}
		if d.F.Role != "" && string(u.Role) != d.F.Role {
			continue
		}
		if d.F.Area != "" && d.F.Area != "TH" && !strings.HasPrefix(u.AreaCode, d.F.Area) {
			continue
		}
		kept = append(kept, adminAccount{User: u, Sessions: counts[u.ID], Self: u.ID == admin.ID})
	}
	d.Total = len(kept)
	d.Pager = makePager(d.Total, usersPageSize, d.F.Page, func(p int) string {
		v := d.F.values()
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		if len(v) == 0 {
			return "/admin/users"
		}
		return "/admin/users?" + v.Encode()
	})
	from := (d.Pager.Page - 1) * usersPageSize
	for _, acc := range kept[from:min(from+usersPageSize, len(kept))] {
		acc.AreaName = s.areaLabel(acc.AreaCode, lang)
		d.Accounts = append(d.Accounts, acc)
	}
	d.Roles = user.Roles
	d.Areas, d.Within = s.areaChoices(admin, lang), admin.AreaCode
	if d.Form.AreaCode != "" && d.Form.AreaName == "" {
		d.Form.AreaName = s.areaLabel(d.Form.AreaCode, lang)
	}
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
		AreaName:    strings.TrimSpace(r.PostFormValue("area")),
	}
	form.AreaCode, err = s.accountArea(admin, "area", form.AreaName, r.PostFormValue("area_code"))
	var u user.User
	if err == nil {
		u, err = s.newAccount(admin, form, r.PostFormValue("password"))
	}
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

// adminPasswordData is the page that sets a new password for one account.
type adminPasswordData struct {
	Target   user.User
	AreaName string
	Error    apperr.Text // the password policy's answer, shown beside the field
}

// adminPasswordPage is the form for a new password of one account: one
// page per account, so the list stays a list.
func (s *Server) adminPasswordPage(w http.ResponseWriter, r *http.Request) error {
	_, target, _, err := s.manageable(r)
	if err != nil {
		return err
	}
	return s.renderPassword(w, r, http.StatusOK, target, nil)
}

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, status int, target user.User, formErr error) error {
	lang := langFrom(r.Context())
	d := adminPasswordData{Target: target, AreaName: s.areaLabel(target.AreaCode, lang)}
	if formErr != nil {
		d.Error = apperr.MessageOf(formErr)
	}
	return s.render(w, r, status, "admin_password", s.msgs.text(lang, "users.password.title", "user", target.Username), d)
}

// adminResetPassword sets the new password; one the policy refuses is
// answered on the same page, beside the field.
func (s *Server) adminResetPassword(w http.ResponseWriter, r *http.Request) error {
	admin, target, as, err := s.manageable(r)
	if err != nil {
		return err
	}
	password := r.PostFormValue("password")
	if err := user.ValidPassword(target.Username, password); err != nil {
		return s.renderPassword(w, r, statusOf(apperr.CodeOf(err)), target, err)
	}
	hash, err := user.HashPassword(password)
	if err != nil {
		return err
	}
	// SetPassword also ends the account's sessions.
	if err := as.SetPassword(r.Context(), target.Username, hash); err != nil {
		return err
	}
	if err := auditAccount(r.Context(), as, admin, "user.password", target, ""); err != nil {
		return err
	}
	return backToUsers(w, r, "password", target.Username)
}

// areaChoices are the areas the picker lists without its script: the
// administrator's own area, the areas in it and, while the list stays
// short, the areas in those. Typing finds any other by name.
func (s *Server) areaChoices(admin *user.User, lang string) []areaChoice {
	const most = 300
	out := []areaChoice{{admin.AreaCode, s.areaLabel(admin.AreaCode, lang)}}
	kids := s.areas.Children(admin.AreaCode)
	for _, k := range kids {
		out = append(out, areaChoice{k.Code, s.areaLabel(k.Code, lang)})
	}
	var grand []area.Area
	for _, k := range kids {
		grand = append(grand, s.areas.Children(k.Code)...)
	}
	if len(out)+len(grand) <= most {
		for _, g := range grand {
			out = append(out, areaChoice{g.Code, s.areaLabel(g.Code, lang)})
		}
	}
	return out
}

// accountArea reads the area picker of the account pages (pickArea, as
// every form's): the name chosen or typed, inside the administrator's area.
// The country is named too ("ประเทศไทย"), for national accounts.
func (s *Server) accountArea(admin *user.User, field, text, code string) (string, error) {
	text = strings.TrimSpace(text)
	if c, ok := s.areas.Get("TH"); ok && (text == "TH" || text == c.TitleTH() || strings.EqualFold(text, c.TitleEN())) {
		return "TH", nil
	}
	picked, bad := s.pickArea(field, text, code, admin.AreaCode)
	if bad != nil {
		return "", apperr.New(apperr.Invalid, apperr.Text{TH: fmt.Sprintf("พื้นที่ %q: %s", bad.Value, bad.Reason.TH),
			EN: fmt.Sprintf("area %q: %s", bad.Value, bad.Reason.EN)})
	}
	if picked == "" {
		return "", apperr.New(apperr.Invalid, apperr.T("โปรดเลือกพื้นที่", "please choose an area"))
	}
	return picked, nil
}
