package web_test

import (
	"regexp"
	"strings"
	"testing"
)

// Every form that changes something is in the audit log: either its route is
// wrapped in s.audited, or its handler writes its own, richer entry (these,
// each proved by its own test). A new POST route fails this test until it
// is one or the other.
func TestEveryFormWriteIsAudited(t *testing.T) {
	selfAudited := map[string]string{
		"POST /activities/{id}/publish":              "publish_news",
		"POST /admin/users":                          "user.create",
		"POST /admin/users/{name}/disable":           "user.disable",
		"POST /admin/users/{name}/enable":            "user.enable",
		"POST /admin/users/{name}/password":          "user.password",
		"POST /admin/users/{name}/sessions/revoke":   "user.sessions.revoke",
		"POST /admin/rounds/household":               "round.create",
		"POST /admin/rounds/village":                 "village-round.create",
		"POST /admin/devices":                        "device.create",
		"POST /admin/devices/{id}/revoke":            "device.revoke",
		"POST /admin/tokens":                         "token.issue",
		"POST /admin/tokens/{id}/revoke":             "token.revoke",
		"POST /households/{id}/reveal":               "personal.reveal",
		"POST /rounds/{round}/households/new":        "household.write, with the household's history",
		"POST /households/{id}/edit":                 "household.write, with the household's history",
		"POST /rounds/{round}/households/from/{id}":  "household.write, with the round it started from and the household's history",
		"POST /imports":                              "household.import",
		"POST /rounds/{round}/areas/{tambon}/review": "review transitions",
		"POST /submissions/{id}/fix":                 "submission.fix",
		"POST /submissions/{id}/reject":              "submission.reject",
		"POST /imports/villages/{vround}":            "village.import",
		"POST /villages/{vround}/{code}/edit":        "village.write",
		"POST /login":                                "a session, not a record",
		"POST /logout":                               "a session, not a record",
		"POST /rounds/{round}/households/asked":      "reads only: which questions a draft asks",
		"POST /admin/pdpa/erase":                     "pdpa.erase_member, pdpa.erase_household: never the posted form (it names the person)",
		"POST /admin/pdpa/retention":                 "pdpa.retention_rule",
		"POST /admin/pdpa/retain":                    "pdpa.retention",
		"POST /admin/sets":                           "set.import, with the version and the file's SHA-256",
		"POST /admin/sets/threshold":                 "set.threshold, with the old and the new value",
		"POST /areas/{code}/welfare":                 "welfare.import, without the citizen IDs",
		"POST /welfare/lists/{id}/delete":            "welfare.delete",
		"POST /admin/welfare":                        "welfare.raw_ids",
		"POST /admin/dhis2":                          "dhis2.import, with the file's name, format and counts",
	}
	route := regexp.MustCompile(`mux\.Handle\("(POST [^"]+)", (.*)\)$`)
	seen := 0
	for f, src := range sources(t) {
		for _, line := range strings.Split(src, "\n") {
			m := route.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			seen++
			if strings.Contains(m[2], "s.audited(") {
				if _, also := selfAudited[m[1]]; also {
					t.Errorf("%s is wrapped in s.audited and also listed as auditing itself", m[1])
				}
				continue
			}
			if _, ok := selfAudited[m[1]]; !ok {
				t.Errorf("%s (%s) changes data but is neither wrapped in s.audited nor known to audit itself", m[1], f)
			}
		}
	}
	if seen < 40 {
		t.Errorf("found only %d POST routes: the pattern no longer matches the route table", seen)
	}
}
