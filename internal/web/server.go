// Package web is tambon's HTTP adapter: the server-rendered pages (Thai first,
// English too), the JSON API under /api/v1, and the embedded static assets.
// It knows the store only through the Store interface, which cmd/tambon fills
// with the SQL store.
package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/plan"
	"tambon/internal/signin"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// Store is what the web adapter needs from storage.
type Store interface {
	Ping(ctx context.Context) error
	UserByName(ctx context.Context, username string) (user.User, error)
	SessionUser(ctx context.Context, id string) (user.User, error)
	CreateSession(ctx context.Context, s user.Session) error
	DeleteSession(ctx context.Context, id string) error

	// Survey data and statistics.
	Rounds(ctx context.Context) ([]survey.Round, error)
	Round(ctx context.Context, id string) (survey.Round, error)
	PreviousRound(ctx context.Context, r survey.Round) (survey.Round, error)
	AreaTotals(ctx context.Context, eng *engine.Engine, round, code string) (*engine.Totals, error)
	ChildTotals(ctx context.Context, eng *engine.Engine, round, code string, childLen int) (map[string]*engine.Totals, error)
	EachHousehold(ctx context.Context, round, area string, fn func(survey.Record) error) error
	Household(ctx context.Context, id int64) (survey.Record, error)
	CountHouseholds(ctx context.Context, round, area string) (int, error)
	Targets(ctx context.Context, setID string) (map[string]float64, error)
}

// Config wires a Server.
type Config struct {
	Store   Store
	Areas   *area.Tree
	Log     *slog.Logger
	Now     func() time.Time
	Version string
	// TemplateDir, when set, reloads templates from this folder on every
	// request (development); otherwise the embedded templates are used.
	TemplateDir string
	// SecureCookies marks cookies Secure and sends Strict-Transport-Security
	// (set when serving TLS, or when PublicURL is https: the server sits
	// behind a TLS proxy).
	SecureCookies bool
	// SignIn is the sign-in rule shared with the OpenRosa endpoints, so that
	// failures on one door count on the other; a gate of its own when nil.
	SignIn *signin.Gate
	// SmallCell is the public portal's small-cell threshold (default 5):
	// signed-out visitors never see a count from 1 to SmallCell−1, nor a
	// figure that would reveal one.
	SmallCell int
	// ExplainError, when set, rewrites an error on its way to the user from
	// what storage knows of its cause (store.Explain: a damaged database
	// file says to restore a backup, not the driver's English).
	ExplainError func(error) error
	// ProblemSources propose development-plan problems beside the จปฐ. survey.
	ProblemSources []plan.ProblemSource
	// PublicURL is the address people and phones reach this server at (e.g.
	// https://tambon.example.go.th), for what the server hands to others:
	// ODK Collect's server address and QR code, a news post's LINE share
	// link. Empty: the address the request came to, which is wrong behind a
	// proxy or when an administrator works on the server itself.
	PublicURL string
	// Publish is whose figures the public sees: PublishAll (the zero value)
	// or PublishCertified. See coverage.go and docs/publishing.md.
	Publish Publish
}

// Server serves tambon over HTTP.
type Server struct {
	cfg       Config
	store     Store
	areas     *area.Tree
	log       *slog.Logger
	now       func() time.Time
	msgs      catalog
	assets    *assets
	tmpl      *template.Template
	signin    *signin.Gate
	pages     pageCache
	prot      protections      // the public suppression pattern per round (suppress.go)
	tpmapProt tpmapProtections // the same for TPMAP's target poor per year (tpmap_box.go)

	visits visitCounter // news visits not yet written: news.go

	tokens      tokenCache    // API tokens checked lately: api_tokens_auth.go
	odataSetsOf odataSetsOf   // the OData feed's entity sets: odata_sets.go
	covers      coverCache    // coverage_cache.go
	landing     overviewCache // where data are, for the home page: landing_overview.go
	gpsMu       sync.Mutex
	gps         map[string]*gpsEntry // village positions by round/tambon, see villageGPS
}

// New builds a Server; it fails only if the embedded files are broken.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, apperr.New(apperr.Invalid, apperr.Tf(
				"ที่อยู่สาธารณะ %q ใช้ไม่ได้: ต้องเป็น http:// หรือ https:// ตามด้วยชื่อเครื่อง เช่น https://tambon.example.go.th (ไม่มีพาธหรือ ?)",
				"the public address %q is not usable: it must be http:// or https:// and a host name, e.g. https://tambon.example.go.th (no path or ?)", cfg.PublicURL))
		}
		cfg.PublicURL = u.Scheme + "://" + u.Host
		if u.Scheme == "https" {
			cfg.SecureCookies = true
		}
	}
	if cfg.SignIn == nil {
		cfg.SignIn = signin.New(signin.Config{Now: cfg.Now})
	}
	msgs, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: cfg.Store, areas: cfg.Areas, log: cfg.Log, now: cfg.Now, msgs: msgs, assets: as,
		signin: cfg.SignIn}
	if s.tmpl, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the whole application with its middleware.
func (s *Server) Handler() http.Handler {
	return s.recoverPanics(s.securityHeaders(s.withUser(s.routes())))
}
