// Package openrosa is tambon's OpenRosa server, so that ODK Collect,
// KoboCollect and ODK Web Forms can fetch the จปฐ. form and send households
// in unchanged (https://docs.getodk.org/openrosa/). It is an HTTP adapter
// beside package web: it knows storage through its own Store interface and
// reaches the household write only through Store.Submit, the same write as
// web entry and imports.
//
// Two bases serve the same endpoints:
//
//	/openrosa/                 Basic or Digest authentication
//	/openrosa/key/{token}/     a device token in the path (no password on the phone)
//
// Under each: formList, forms/{formID}.xml, forms/{formID}/manifest,
// forms/{formID}/media/{file}, and HEAD/POST submission.
package openrosa

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"tambon/internal/area"
	"tambon/internal/assign"
	"tambon/internal/engine"
	"tambon/internal/signin"
	"tambon/internal/survey"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// Store is what the OpenRosa server needs from storage.
type Store interface {
	Rounds(ctx context.Context) ([]survey.Round, error)
	UserByName(ctx context.Context, username string) (user.User, error)
	DeviceByToken(ctx context.Context, tokenHash string) (xform.Device, user.User, error)
	Devices(ctx context.Context, username string) ([]xform.Device, error)
	EachHousehold(ctx context.Context, round, area string, fn func(survey.Record) error) error
	// AssignedVillages and AssignedHouseholds tell an enumerator's
	// assignment in a round (store.Store.AssignedVillages,
	// store.Store.AssignedHouseholds): its phone gets only that.
	AssignedVillages(ctx context.Context, round, username string) ([]string, error)
	AssignedHouseholds(ctx context.Context, round, username string) ([]assign.Household, error)
	// HouseholdByKey is a round's household by its key, or NotFound.
	HouseholdByKey(ctx context.Context, round, key string) (survey.Record, error)
	// AuditEvent appends to the audit log (a download of last round's
	// households is an export of personal data).
	AuditEvent(ctx context.Context, user, action, area, object, detail string) error
	// SubmitBatch keeps submissions raw and writes their households (those
	// without problems) in one transaction; see store.Store.SubmitBatch.
	SubmitBatch(ctx context.Context, items []Item) ([]Result, error)
	// FirstDigestAnswer records an accepted Digest answer until it expires
	// and reports whether no server process had accepted it before
	// (store.Store.FirstDigestAnswer).
	FirstDigestAnswer(ctx context.Context, answer string, now, until time.Time) (bool, error)
}

// Item is one submission to store (store.SubmitItem).
type Item struct {
	Sub       xform.Submission
	Household *survey.Household // nil when unreadable
	Engine    *engine.Engine
	// Scope is the sender's area: an edit may replace only a submission in
	// it (store.SubmitItem.Scope).
	Scope string
	// Visit reports a visit to one of last round's households that was not
	// interviewed (Household is then nil): store.SubmitItem.Visit.
	Visit *Visit
}

// Visit is what became of a visit that found no interview: last round's
// household key and the outcome.
type Visit struct {
	Key     string
	Outcome assign.Outcome
}

// Result is what became of a submission (store.SubmitResult).
type Result struct {
	Submission xform.Submission
	Duplicate  bool
	Err        error // this one was refused (a conflict)
}

// DefaultMaxSubmission is the largest submission accepted (XML and media
// together): a household's XML is a few kilobytes; photos make the rest.
const DefaultMaxSubmission = 50 << 20

// Realm is the Digest and Basic realm. A device's stored HA1 depends on it,
// so it never changes.
const Realm = "tambon"

// Config wires a Server.
type Config struct {
	Store Store
	Areas *area.Tree
	Log   *slog.Logger
	Now   func() time.Time
	// MaxSubmission bounds one POST (bytes); DefaultMaxSubmission when zero.
	MaxSubmission int64
	// NonceKey signs Digest nonces; random at start when empty (nonces then
	// die with the process, and clients simply answer a new challenge).
	// Server processes behind one load balancer share it (store.SharedKey).
	NonceKey []byte
	// SignIn is the sign-in rule shared with the web login, so that failures
	// on one door count on the other; a gate of its own when nil.
	SignIn *signin.Gate
}

// Server answers OpenRosa requests.
type Server struct {
	cfg       Config
	log       *slog.Logger
	now       func() time.Time
	formCache sync.Map // round ID + set ID → *xform.Form
	auth      *authenticator
	queue     chan *pending // to the writer: see batch.go

	roundsMu    sync.Mutex
	roundsList  []survey.Round
	roundsUntil time.Time
}

// New builds a Server.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SignIn == nil {
		cfg.SignIn = signin.New(signin.Config{Now: cfg.Now})
	}
	if cfg.MaxSubmission <= 0 {
		cfg.MaxSubmission = DefaultMaxSubmission
	}
	s := &Server{cfg: cfg, log: cfg.Log, now: cfg.Now, auth: newAuthenticator(cfg.Store, cfg.SignIn, cfg.NonceKey, cfg.Now),
		queue: make(chan *pending, 4*maxBatch)}
	go s.writer()
	return s
}

// Handler returns the OpenRosa endpoints, to be mounted at /openrosa/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, base := range []string{"/openrosa", "/openrosa/key/{token}"} {
		mux.Handle("GET "+base+"/formList", s.handle(s.formList))
		mux.Handle("GET "+base+"/forms/{file}", s.handle(s.formDownload))
		mux.Handle("GET "+base+"/forms/{form}/manifest", s.handle(s.manifest))
		mux.Handle("GET "+base+"/forms/{form}/media/{file}", s.handle(s.media))
		mux.Handle("HEAD "+base+"/submission", s.handle(s.submissionHead))
		mux.Handle("POST "+base+"/submission", s.handle(s.submission))
	}
	// Any other address is 404 once the caller is known: under a device
	// token too, so a phone with a good token never meets a login prompt.
	unknown := s.handle(func(w http.ResponseWriter, r *http.Request, u *caller) error { return notFound() })
	mux.Handle("/openrosa/", unknown)
	mux.Handle("/openrosa/key/{token}/", unknown)
	return mux
}
