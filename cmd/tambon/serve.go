package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/plan"
	"tambon/internal/signin"
	"tambon/internal/store"
	"tambon/internal/web"
)

type serveOptions struct {
	addr, tlsCert, tlsKey, templates string
	backupEvery                      time.Duration
	backupDir                        string
	backupKeep                       int
	smallCell                        int
	publicURL                        string
	trustedProxies                   string
	publish                          string // certified or all: publish.go
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := e.flags("serve", "serve [--db FILE|URL] [--addr HOST:PORT]")
	dsn := e.dbFlag(fs, "tambon.db")
	var o serveOptions
	fs.StringVar(&o.addr, "addr", e.envOr("TAMBON_ADDR", "localhost:8080"), "address to listen on (env TAMBON_ADDR)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "TLS certificate file (serve HTTPS)")
	fs.StringVar(&o.tlsKey, "tls-key", "", "TLS key file")
	fs.StringVar(&o.templates, "dev-templates", "", "reload page templates from this folder on every request (development)")
	fs.DurationVar(&o.backupEvery, "backup-every", 0, "write a backup this often, e.g. 24h (0: never)")
	fs.StringVar(&o.backupDir, "backup-dir", "backups", "folder for scheduled backups")
	fs.IntVar(&o.backupKeep, "backup-keep", 7, "how many scheduled backups to keep")
	fs.IntVar(&o.smallCell, "small-cell", web.DefaultSmallCell, "public pages hide counts below this (and the figures that would reveal them)")
	fs.StringVar(&o.publicURL, "public-url", e.envOr("TAMBON_PUBLIC_URL", ""), "the address people and phones reach this server at, e.g. https://tambon.example.go.th, for ODK Collect's QR code and LINE share links (env TAMBON_PUBLIC_URL; default: the address each request came to)")
	e.publishFlag(fs, &o.publish, web.PublishCertified)
	fs.StringVar(&o.trustedProxies, "trusted-proxies", e.envOr("TAMBON_TRUSTED_PROXIES", ""), "reverse proxies whose X-Forwarded-For names the client, as addresses or CIDR ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8 (env TAMBON_TRUSTED_PROXIES; default none: the client is the connection's peer). Sign-in attempts are counted per client address")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	return e.serve(ctx, s, tree, o, nil)
}

// serve listens, prints the address, and serves until ctx ends. banner, if
// given, prints more after the address (the demo's logins).
func (e *env) serve(ctx context.Context, s *store.Store, tree *area.Tree, o serveOptions, banner func(url string)) error {
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุทั้ง --tls-cert และ --tls-key", "--tls-cert and --tls-key go together"))
	}
	proxies, err := signin.ParseProxies(o.trustedProxies)
	if err != nil {
		return err
	}
	publish, err := parsePublish(o.publish)
	if err != nil {
		return err
	}
	// One sign-in rule for the web login and OpenRosa: failures on one door
	// count on the other. The counts are kept in the database, so that every
	// server process on it counts the same failures.
	gate := signin.New(signin.Config{Counter: s.SignInCounter(), Now: e.now, Proxies: proxies})
	srv, err := web.New(web.Config{Store: s, Areas: tree, Log: e.log, Now: e.now, Version: version(),
		TemplateDir: o.templates, SecureCookies: o.tlsCert != "", SmallCell: o.smallCell, PublicURL: o.publicURL, ExplainError: store.Explain,
		SignIn: gate, ProblemSources: []plan.ProblemSource{villageProblems(s)}, Publish: publish})
	if err != nil {
		return err
	}
	handler, err := e.withOpenRosa(ctx, s, tree, gate, srv.Handler())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return apperr.Wrap(err, apperr.Unavailable, apperr.Tf(
				"พอร์ต %s ถูกใช้อยู่แล้ว (อาจมี tambon อีกตัวทำงานอยู่): ใช้ --addr เลือกพอร์ตอื่น เช่น --addr localhost:8081",
				"the address %s is already in use (is another tambon running?): choose another with --addr, e.g. --addr localhost:8081", o.addr))
		}
		return apperr.Wrap(err, apperr.Invalid, apperr.Tf("เปิดรับการเชื่อมต่อที่ %s ไม่ได้", "cannot listen on %s", o.addr))
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Minute,
		WriteTimeout: 10 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	if o.backupEvery > 0 {
		// Backups hold names and citizen IDs: the folder is the owner's only.
		if err := os.MkdirAll(o.backupDir, 0o700); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("สร้างโฟลเดอร์ %s ไม่ได้", "cannot create the folder %s", o.backupDir))
		}
	}
	scheme := "http"
	if o.tlsCert != "" {
		scheme = "https"
	}
	url := scheme + "://" + displayAddr(ln.Addr().String())
	fmt.Fprintf(e.stdout, "tambon is serving at %s  (database: %s)\n", url, s.Dialect())
	if banner != nil {
		banner(url)
	}
	if o.backupEvery > 0 {
		go e.backupLoop(ctx, s, o.backupEvery, o.backupDir, max(o.backupKeep, 1))
	}
	errc := make(chan error, 1)
	go func() {
		if o.tlsCert != "" {
			errc <- hs.ServeTLS(ln, o.tlsCert, o.tlsKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e.log.Info("shutting down")
	err = hs.Shutdown(shutdown)
	if ferr := srv.FlushVisits(shutdown); ferr != nil {
		e.log.Warn("news visits not written", "err", ferr)
	}
	return err
}

// displayAddr turns a listener address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + port
}

// villageProblems proposes development-plan problems from the กชช. 2ค
// village survey, beside the จปฐ. ones the plan pages always propose.
func villageProblems(s *store.Store) plan.VillageSource {
	return plan.VillageSource{
		SurveyYear: func(ctx context.Context, round string) (int, error) {
			r, err := s.Round(ctx, round)
			return r.SurveyYear, err
		},
		Rounds:     s.VillageRounds,
		Problems:   s.VillageProblems,
		Households: s.CountHouseholds,
	}
}
