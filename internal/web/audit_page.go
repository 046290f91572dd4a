package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

// Audit searches return at most maxAuditRows entries; auditRows is the
// default.
const (
	auditRows    = 100
	maxAuditRows = 500
)

// auditQuery is an audit search as asked, already narrowed to the viewer's
// area.
type auditQuery struct {
	User, Action, Area, Object string
	Limit                      int
}

// auditEntry is one line of the audit log as pages and the API show it.
type auditEntry struct {
	At     time.Time `json:"at"`
	User   string    `json:"user"`
	Action string    `json:"action"`
	Area   string    `json:"area"`
	Object string    `json:"object"`
	Detail string    `json:"detail,omitempty"`
	When   string    `json:"-"` // At, written for the page's language
}

// parseAuditQuery reads the search from the URL and keeps it inside the
// viewer's area: an officer of province 70 who asks for no area gets 70,
// and one who asks for 10 is refused.
func parseAuditQuery(r *http.Request, u *user.User) (auditQuery, error) {
	v := r.URL.Query()
	q := auditQuery{
		User:   strings.TrimSpace(strings.ToLower(v.Get("user"))),
		Action: strings.TrimSpace(v.Get("action")),
		Area:   strings.TrimSpace(v.Get("area")),
		Object: strings.TrimSpace(v.Get("object")),
		Limit:  auditRows,
	}
	if s := strings.TrimSpace(v.Get("limit")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxAuditRows {
			return q, apperr.New(apperr.Invalid, apperr.Tf(
				"จำนวนรายการ (limit) ต้องเป็นตัวเลข 1-%d ไม่ใช่ %q", "limit must be a number from 1 to %d, not %q", maxAuditRows, s))
		}
		q.Limit = n
	}
	if q.Area != "" && q.Area != "TH" && strings.Trim(q.Area, "0123456789") != "" {
		return q, apperr.New(apperr.Invalid, apperr.Tf("รหัสพื้นที่ %q ต้องเป็นตัวเลข", "the area code %q must be digits", q.Area))
	}
	switch {
	case q.Area == "" || q.Area == "TH":
		if u.AreaCode != "TH" {
			q.Area = u.AreaCode
		}
	case !u.Covers(q.Area):
		return q, apperr.New(apperr.Forbidden, apperr.Tf(
			"พื้นที่ %s อยู่นอกพื้นที่ของท่าน (%s)", "the area %s is outside your area (%s)", q.Area, u.AreaCode))
	}
	return q, nil
}

// searchAudit runs an audit search for the signed-in account.
func (s *Server) searchAudit(r *http.Request) (auditQuery, []auditEntry, error) {
	u, err := may(r, user.ViewAudit)
	if err != nil {
		return auditQuery{}, nil, err
	}
	q, err := parseAuditQuery(r, u)
	if err != nil {
		return q, nil, err
	}
	as, err := s.astore()
	if err != nil {
		return q, nil, err
	}
	lang := langFrom(r.Context())
	entries := []auditEntry{}
	err = as.EachAudit(r.Context(), q.User, q.Action, q.Area, q.Object, q.Limit,
		func(at time.Time, who, action, area, object, detail string) error {
			entries = append(entries, auditEntry{At: at, User: who, Action: action, Area: area, Object: object, Detail: detail,
				When: formatStamp(lang, at)})
			return nil
		})
	return q, entries, err
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	q, entries, err := s.searchAudit(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Entries []auditEntry `json:"entries"`
		Limit   int          `json:"limit"`
	}{entries, q.Limit})
}
