package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/user"
)

// adminRoutes registers account administration, survey rounds
// (admin_rounds.go), field devices (admin_devices.go), API tokens
// (admin_tokens.go) and the audit log.
// routes.go calls it once, before the catch-all.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	page, api := s.page, s.api
	mux.Handle("GET /admin", page(s.adminIndex))
	mux.Handle("GET /admin/{$}", page(s.adminIndex))
	mux.Handle("GET /admin/users", page(s.adminUsers))
	mux.Handle("POST /admin/users", page(s.adminCreateUser))
	mux.Handle("POST /admin/users/{name}/disable", page(s.adminSetDisabled(true)))
	mux.Handle("POST /admin/users/{name}/enable", page(s.adminSetDisabled(false)))
	mux.Handle("GET /admin/users/{name}/password", page(s.adminPasswordPage))
	mux.Handle("POST /admin/users/{name}/password", page(s.adminResetPassword))
	mux.Handle("POST /admin/users/{name}/sessions/revoke", page(s.adminRevokeSessions))
	mux.Handle("GET /admin/rounds", page(s.adminRounds))
	mux.Handle("POST /admin/rounds/household", page(s.adminCreateRound))
	mux.Handle("POST /admin/rounds/village", page(s.adminCreateVillageRound))
	mux.Handle("GET /admin/devices", page(s.adminDevices))
	mux.Handle("POST /admin/devices", page(s.adminCreateDevice))
	mux.Handle("POST /admin/devices/{id}/revoke", page(s.adminRevokeDevice))
	mux.Handle("GET /admin/tokens", page(s.adminTokens))
	mux.Handle("POST /admin/tokens", page(s.adminIssueToken))
	mux.Handle("POST /admin/tokens/{id}/revoke", page(s.adminRevokeToken))
	mux.Handle("GET /admin/audit", page(s.auditPage))
	mux.Handle("GET /api/v1/audit", api(s.apiAudit))
}

// adminStore is what administration needs from storage beyond Store.
// *store.Store implements it.
type adminStore interface {
	Users(ctx context.Context) ([]user.User, error)
	UserByName(ctx context.Context, username string) (user.User, error)
	CreateUser(ctx context.Context, u user.User) (user.User, error)
	SetPassword(ctx context.Context, username, hash string) error
	SetUserDisabled(ctx context.Context, username string, disabled bool) (user.User, error)
	DeleteUserSessions(ctx context.Context, userID int64) (int64, error)
	SessionCounts(ctx context.Context) (map[int64]int, error)
	AuditEvent(ctx context.Context, user, action, area, object, detail string) error
	EachAudit(ctx context.Context, userName, action, areaPrefix, object string, limit int,
		fn func(at time.Time, userName, action, area, object, detail string) error) error
	SearchAudit(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, int, error)
}

func (s *Server) astore() (adminStore, error) {
	as, ok := s.store.(adminStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับการจัดการบัญชีผู้ใช้", "this store cannot manage accounts"))
	}
	return as, nil
}

// may checks that the signed-in account may take an administrative action at
// all (not yet where), with a bilingual 401 or 403.
func may(r *http.Request, a user.Action) (*user.User, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	if !u.Can(a) {
		return nil, forbidden()
	}
	return u, nil
}

func forbidden() error {
	return apperr.New(apperr.Forbidden, apperr.T("บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้", "your account may not use this page"))
}

// manageable returns the account named in the path, if the administrator's
// area covers it. An account outside the area is reported as not found, so
// a provincial administrator cannot probe other provinces' usernames.
func (s *Server) manageable(r *http.Request) (*user.User, user.User, adminStore, error) {
	admin, err := may(r, user.ManageUsers)
	if err != nil {
		return nil, user.User{}, nil, err
	}
	as, err := s.astore()
	if err != nil {
		return nil, user.User{}, nil, err
	}
	name := r.PathValue("name")
	target, err := as.UserByName(r.Context(), name)
	if err != nil {
		return nil, user.User{}, nil, err
	}
	if !admin.Covers(target.AreaCode) {
		return nil, user.User{}, nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีผู้ใช้ชื่อ %s", "no user is named %s", name))
	}
	return admin, target, as, nil
}

// auditAccount records an administrative change; a change that cannot be audited
// is reported as failed, though it has been made.
func auditAccount(ctx context.Context, as adminStore, by *user.User, action string, target user.User, detail string) error {
	return as.AuditEvent(ctx, by.Username, action, target.AreaCode, "user:"+target.Username, detail)
}

// backToUsers sends the browser back to the list after a change, naming
// the account so the page can say what was done.
func backToUsers(w http.ResponseWriter, r *http.Request, done, name string) error {
	http.Redirect(w, r, "/admin/users?done="+done+"&user="+name, http.StatusSeeOther)
	return nil
}

func (s *Server) adminSetDisabled(disabled bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		admin, target, as, err := s.manageable(r)
		if err != nil {
			return err
		}
		if disabled && target.ID == admin.ID {
			return apperr.New(apperr.Invalid, apperr.T("ปิดบัญชีของตนเองไม่ได้", "you cannot disable your own account"))
		}
		if _, err := as.SetUserDisabled(r.Context(), target.Username, disabled); err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		if err := auditAccount(r.Context(), as, admin, action, target, ""); err != nil {
			return err
		}
		s.log.Info(action, "by", admin.Username, "user", target.Username)
		return backToUsers(w, r, strings.TrimPrefix(action, "user."), target.Username)
	}
}

func (s *Server) adminRevokeSessions(w http.ResponseWriter, r *http.Request) error {
	admin, target, as, err := s.manageable(r)
	if err != nil {
		return err
	}
	n, err := as.DeleteUserSessions(r.Context(), target.ID)
	if err != nil {
		return err
	}
	if err := auditAccount(r.Context(), as, admin, "session.revoke", target, `{"sessions":`+strconv.FormatInt(n, 10)+`}`); err != nil {
		return err
	}
	return backToUsers(w, r, "revoke", target.Username)
}
