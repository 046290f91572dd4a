package signin

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"tambon/internal/apperr"
)

// Proxies are the reverse proxies (nginx, a load balancer) in front of the
// server: only a request whose direct peer is one of them has its
// X-Forwarded-For read. Anyone can send that header, so believing it from
// anyone else would let an attacker pick a fresh address for every guess.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of addresses and CIDR ranges
// ("127.0.0.1, 10.0.0.0/8, ::1").
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, apperr.New(apperr.Invalid, apperr.Tf(
					"พร็อกซีที่เชื่อถือ %q ใช้ไม่ได้: ใช้ที่อยู่ IP หรือช่วง CIDR คั่นด้วยจุลภาค เช่น 127.0.0.1,10.0.0.0/8",
					"trusted proxy %q is not usable: give IP addresses or CIDR ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8", f))
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (ps Proxies) has(a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr is the address of the client a request came from: the
// connection's peer, or, when the peer is a trusted proxy, the last address
// in X-Forwarded-For that is not one of the trusted proxies.
func (g *Gate) ClientAddr(r *http.Request) netip.Addr {
	peer := parseAddr(r.RemoteAddr)
	if !peer.IsValid() || !g.cfg.Proxies.has(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a := parseAddr(strings.TrimSpace(hops[i]))
		if !a.IsValid() {
			break // a forged or broken entry: trust nothing before it
		}
		client = a
		if !g.cfg.Proxies.has(a) {
			break
		}
	}
	return client
}

// ClientKey is the address attempts are counted under: an IPv4 address, or
// an IPv6 address's /64 (one home or phone gets a whole /64, so counting
// single IPv6 addresses would count nothing).
func (g *Gate) ClientKey(r *http.Request) string {
	a := g.ClientAddr(r)
	if !a.IsValid() {
		return r.RemoteAddr
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

func parseAddr(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}
