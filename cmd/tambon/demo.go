package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/gen"
	"tambon/internal/store"
	"tambon/internal/tpmap"
	"tambon/internal/user"
	"tambon/internal/web"
)

// demoPassword is every demo account's password. It is printed on start;
// the demo database is for trying tambon out, never for real data.
const demoPassword = "tambon-demo"

// demoUsers are the demo's accounts: one per role, scoped along the story's
// path (Ratchaburi → Ban Pong → Khao Khlung → Moo 4).
var demoUsers = []user.User{
	{Username: "admin", DisplayName: "ผู้ดูแลระบบ (Administrator)", Role: user.Admin, AreaCode: "TH"},
	{Username: "ratchaburi", DisplayName: "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี", Role: user.Province, AreaCode: "70"},
	{Username: "banpong", DisplayName: "สำนักงานพัฒนาชุมชนอำเภอบ้านโป่ง", Role: user.District, AreaCode: "7005"},
	{Username: "khaokhlung", DisplayName: "ทีมตำบลเขาขลุง", Role: user.Tambon, AreaCode: "700513"},
	{Username: "moo4", DisplayName: "ผู้จัดเก็บข้อมูล หมู่ 4 หนองไม้เฝ้า", Role: user.Enumerator, AreaCode: "70051304"},
	{Username: "partner", DisplayName: "ภาคีเอกชน ตำบลเขาขลุง", Role: user.Partner, AreaCode: "700513"},
	{Username: "viewer", DisplayName: "ผู้ชม จังหวัดราชบุรี", Role: user.Viewer, AreaCode: "70"},
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := e.flags("demo", "demo [--db FILE] [--reset] [--addr HOST:PORT]")
	dsn := fs.String("db", e.envOr("TAMBON_DEMO_DB", "tambon-demo.db"), "the demo's own database file (never your real one; env TAMBON_DEMO_DB)")
	reset := fs.Bool("reset", false, "delete the demo database and build it again")
	demoArea := fs.String("area", "7005", "the area whose households the demo generates (Ratchaburi's published figures cover the whole province)")
	var o serveOptions
	fs.StringVar(&o.addr, "addr", e.envOr("TAMBON_ADDR", "localhost:8080"), "address to listen on (env TAMBON_ADDR)")
	fs.StringVar(&o.templates, "dev-templates", "", "reload page templates from this folder on every request (development)")
	e.publishFlag(fs, &o.publish, web.PublishAll)
	if err := parse(fs, args); err != nil {
		return err
	}
	if store.IsPostgres(*dsn) {
		return apperr.New(apperr.Invalid, apperr.T(
			"tambon demo ใช้ไฟล์ SQLite ของตัวเองเท่านั้น เพื่อไม่แตะฐานข้อมูลจริง: ใช้ tambon serve กับ PostgreSQL",
			"tambon demo only uses its own SQLite file, so it never touches a real database: use tambon serve for PostgreSQL"))
	}
	if *reset {
		// Refused while another tambon (a second demo) has the file open.
		if err := store.RemoveSQLite(*dsn); err != nil {
			return err
		}
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if tree, err = seedDemo(ctx, e, s, tree, *demoArea); err != nil {
		return err
	}
	return e.serve(ctx, s, tree, o, func(url string) {
		fmt.Fprintf(e.stdout, "\nDemo database: %s (rebuild with --reset)\n", *dsn)
		fmt.Fprintf(e.stdout, "Open %s in a browser. Demo logins (password for all: %s):\n", url, demoPassword)
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		for _, u := range demoUsers {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", u.Username, u.Role, u.AreaCode, u.DisplayName)
		}
		tw.Flush()
		fmt.Fprintln(e.stdout, "Press Ctrl+C to stop.")
	})
}

// The demo's rounds: TPMAP's published 2561 figures for all of Ratchaburi,
// and two household rounds generated for the demo area and calibrated to the
// published village figures, so that every page has data and the change from
// one year to the next can be followed.
const (
	demoRound1 = "bmn-2561"
	demoRound2 = "bmn-2562"
)

// seedDemo loads the demo's data once; running the demo again keeps what is
// there. It returns the area tree grown by villages the published data names.
func seedDemo(ctx context.Context, e *env, s *store.Store, tree *area.Tree, demoArea string) (*area.Tree, error) {
	if err := seedDemoUsers(ctx, e, s); err != nil {
		return tree, err
	}
	if err := seedDemoActivities(ctx, e, s); err != nil {
		return tree, err
	}
	_, err := s.Round(ctx, tpmapRound)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return tree, err
	}
	// A demo database made before the target poor were kept gets them too.
	_, hasPoor, perr := s.TPMAPTargetPoor(ctx, "70", 2561)
	if perr != nil {
		return tree, perr
	}
	if err != nil || !hasPoor {
		files, err := tpmap.Ratchaburi2561Files()
		if err != nil {
			return tree, err
		}
		sum, grown, err := loadTPMAP(ctx, s, tree, tpmapRound, map[int][]*tpmap.File{2561: files})
		if err != nil {
			return tree, fmt.Errorf("demo: TPMAP figures: %w", err)
		}
		tree = grown
		e.log.Info("demo: published figures loaded", "summary", strings.Join(sum, "; "))
	}
	targets, err := ratchaburiTargets()
	if err != nil {
		return tree, err
	}
	villages := gen.Villages(tree, demoArea)
	for i, id := range []string{demoRound1, demoRound2} {
		if _, err := s.Round(ctx, id); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return tree, err
		}
		start := time.Now()
		r, err := ensureRound(ctx, s, id, 2561+i)
		if err != nil {
			return tree, err
		}
		eng, err := engine.ForRound(r)
		if err != nil {
			return tree, err
		}
		t := targets
		if i == 1 {
			t = improved(targets, 0.7)
		}
		n, err := generateInto(ctx, e, s, eng, r.ID, gen.Options{Set: eng.Set(), SurveyYear: r.SurveyYear, RoundID: r.ID, Seed: 2561, Targets: t}, villages)
		if err != nil {
			return tree, fmt.Errorf("demo: round %s: %w", id, err)
		}
		e.log.Info("demo: households generated", "round", id, "area", demoArea, "households", n, "took", time.Since(start).Round(time.Millisecond))
	}
	if err := seedDemoOpenRosa(ctx, e, s); err != nil {
		return tree, fmt.Errorf("demo: field capture: %w", err)
	}
	if err := seedDemoAssignments(ctx, e, s, tree); err != nil { // field assignments: demo_assign.go
		return tree, err
	}
	if err := seedDemoPlans(ctx, e, s); err != nil { // development plans and help to households: demo_plans.go
		return tree, err
	}
	if err := seedDemoWelfare(ctx, e, s, tree, demoArea); err != nil { // the welfare-card register: demo_welfare.go
		return tree, err
	}
	if err := seedDemoVillage(ctx, e, s, tree); err != nil { // กชช. 2ค: village_demo.go
		return tree, err
	}
	return tree, seedDemoForum(ctx, e, s) // หมู่ 4's village forum and the plan it feeds: demo_forum.go
}

// improved scales every failing count down, for the demo's second year: the
// help delivered after the first survey worked for some households.
func improved(targets map[string]gen.Target, factor float64) map[string]gen.Target {
	out := make(map[string]gen.Target, len(targets))
	for code, t := range targets {
		for i := range t.Fail {
			t.Fail[i].Fail = int64(float64(t.Fail[i].Fail) * factor)
		}
		out[code] = t
	}
	return out
}

func seedDemoUsers(ctx context.Context, e *env, s *store.Store) error {
	hash, err := user.HashPassword(demoPassword)
	if err != nil {
		return err
	}
	for _, u := range demoUsers {
		if _, err := s.UserByName(ctx, u.Username); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		u.PasswordHash = hash
		if _, err := s.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("demo user %s: %w", u.Username, err)
		}
	}
	e.log.Debug("demo users ready", "users", strings.Join(usernames(demoUsers), ","))
	return nil
}

func usernames(us []user.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Username
	}
	return out
}
