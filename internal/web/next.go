package web

import (
	"net/url"
	"strings"
)

// safeNext keeps a post-login redirect on this site: it returns next when a
// browser would read it as a path on this host, and "/" otherwise.
func safeNext(next string) string {
	if localPath(next) {
		return next
	}
	return "/"
}

// localPath reports whether p is a path on this site however a browser
// reads it. Browsers drop tabs and newlines anywhere in a URL ("/\t/host"
// becomes "//host", another host), treat "\" as "/", and a redirect may be
// decoded again on its way, so control characters and backslashes are
// refused raw or percent-encoded, and the path must not begin with two
// slashes in any of its decoded forms.
func localPath(p string) bool {
	if len(p) == 0 || len(p) > 2000 || p[0] != '/' {
		return false
	}
	for s, i := p, 0; ; i++ {
		for _, c := range []byte(s) {
			if c < 0x20 || c == 0x7f || c == '\\' {
				return false
			}
		}
		if len(s) > 1 && (s[1] == '/' || s[1] == '\\') {
			return false
		}
		d, err := url.PathUnescape(s)
		if err != nil {
			return false
		}
		if d == s {
			break
		}
		if i == 3 {
			return false // encoded four times over: no page of ours
		}
		s = d
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil && !strings.HasPrefix(u.Path, "//")
}
