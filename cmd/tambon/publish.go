package main

import (
	"flag"

	"tambon/internal/apperr"
	"tambon/internal/web"
)

// publishFlag adds --publish (env TAMBON_PUBLISH): whose figures signed-out
// visitors and the public API see. serve defaults to "certified": an
// installation's public pages are the department's figures, and จปฐ.
// figures are official once the province certifies them, so a fresh server
// must not publish what a tambon typed in this morning. The demo defaults
// to "all" so that its generated, never-certified data can be seen.
func (e *env) publishFlag(fs *flag.FlagSet, to *string, def web.Publish) {
	fs.StringVar(to, "publish", e.envOr("TAMBON_PUBLISH", string(def)),
		"whose figures the public sees: certified (only tambons the province certified; the others are left out and said to be) or all (every tambon, uncertified ones marked provisional) (env TAMBON_PUBLISH)")
}

// parsePublish checks a --publish value; empty means all.
func parsePublish(v string) (web.Publish, error) {
	switch web.Publish(v) {
	case web.PublishCertified:
		return web.PublishCertified, nil
	case web.PublishAll, "":
		return web.PublishAll, nil
	}
	return "", apperr.New(apperr.Invalid, apperr.Tf("--publish ต้องเป็น certified หรือ all ไม่ใช่ %q", "--publish must be certified or all, not %q", v))
}
