package web

import (
	"net/http"

	"tambon/internal/area"
	"tambon/internal/user"
)

// adminLink is one administration page on /admin: where it is and the
// locale keys of its name and what it is for.
type adminLink struct {
	Href, Title, Lead string
}

// adminLinks lists the administration pages u may open, each under the same
// rule its own handler applies, so that the index never offers a page that
// answers 403.
func adminLinks(u *user.User) []adminLink {
	var out []adminLink
	add := func(ok bool, href, key, lead string) {
		if ok {
			out = append(out, adminLink{href, key, lead})
		}
	}
	add(u.Can(user.ManageUsers), "/admin/users", "admin.users.title", "admin.index.users")
	add(u.Can(user.ManageUsers), "/admin/devices", "devices.title", "admin.index.devices")
	add(u.Can(user.ManageUsers), "/admin/tokens", "tokens.title", "admin.index.tokens")
	add(u.CanAt(user.ManageRounds, area.CountryCode), "/admin/rounds", "rounds.title", "admin.index.rounds")
	add(u.CanAt(user.ManageRounds, area.CountryCode), "/admin/dhis2", "dhis2.title", "dhis2.index") // dhis2_admin.go
	add(u.CanAt(user.ManageRounds, area.CountryCode), "/admin/sets", "sets.title", "admin.index.sets")
	add(u.Can(user.ManageUsers), "/admin/pdpa", "pdpa.title", "admin.index.pdpa")
	add(u.CanAt(user.ManageUsers, area.CountryCode), "/admin/welfare", "welfare.admin.title", "welfare.admin.index")
	add(u.Can(user.ViewAudit), "/admin/audit", "audit.title", "admin.index.audit")
	return out
}

// adminIndex is /admin: the administration pages this account may open.
func (s *Server) adminIndex(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	links := adminLinks(u)
	if len(links) == 0 {
		return forbidden()
	}
	return s.render(w, r, http.StatusOK, "admin_index", s.msgs.text(langFrom(r.Context()), "admin.index.title"), links)
}
