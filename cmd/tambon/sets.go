package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/village"
)

const setsUsage = `Usage: tambon sets list | show ID | export ID --out F.json | import F.json | validate F.json
       tambon sets threshold SET NAME YEAR=VALUE
  (all take --db; show and export take --version N, default the newest)`

// cmdSets manages the indicator sets stored in the database: every version
// of every จปฐ. and กชช. 2ค set, the rounds pinned to each.
func cmdSets(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stdout, setsUsage)
		return errUsage
	}
	switch args[0] {
	case "list":
		return setsList(ctx, e, args[1:])
	case "show", "export":
		return setsShow(ctx, e, args[0], args[1:])
	case "import", "validate":
		return setsImport(ctx, e, args[0], args[1:])
	case "threshold":
		return setsThreshold(ctx, e, args[1:])
	}
	fmt.Fprintln(e.stdout, setsUsage)
	return errUsage
}

// parseInterleaved parses flags placed before, between or after the
// positional arguments, and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != want {
		fmt.Fprintf(fs.Output(), "want %d argument(s), got %d\n", want, len(pos))
		return nil, errUsage
	}
	return pos, nil
}

func setsList(ctx context.Context, e *env, args []string) error {
	fs := e.flags("sets list", "sets list [--db …]   (every version of every indicator set, and the rounds pinned to it)")
	dsn := e.dbFlag(fs, "tambon.db")
	if _, err := parseInterleaved(fs, args, 0); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	vs, err := s.SetVersions(ctx)
	if err != nil {
		return err
	}
	tw := e.table("SET", "KIND", "VERSION", "PERIOD", "PROVISIONAL", "CREATED", "BY", "ROUNDS", "NOTE")
	for _, v := range vs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d-%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Kind, v.Version, v.PeriodFrom, v.PeriodTo, yesNo(v.Provisional),
			v.CreatedAt.Format("2006-01-02 15:04"), v.CreatedBy, strings.Join(v.Rounds, ","), v.Note)
	}
	return tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func setsShow(ctx context.Context, e *env, verb string, args []string) error {
	fs := e.flags("sets "+verb, "sets "+verb+" ID [--version N] [--out F.json] [--db …]")
	dsn := e.dbFlag(fs, "tambon.db")
	version := fs.Int("version", 0, "the version (default the newest)")
	out := fs.String("out", "", "write the set file here (export; default standard output)")
	pos, err := parseInterleaved(fs, args, 1)
	if err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	v, body, err := s.SetVersion(ctx, pos[0], *version)
	if err != nil {
		return err
	}
	if verb == "export" {
		if *out == "" {
			_, err := e.stdout.Write(body)
			return err
		}
		if err := os.WriteFile(*out, body, 0o644); err != nil {
			return apperr.Wrap(err, apperr.Invalid, apperr.Tf("เขียนไฟล์ %s ไม่ได้", "cannot write %s", *out))
		}
		fmt.Fprintf(e.stdout, "wrote %s version %d to %s (%d bytes, sha256 %s)\n", v.ID, v.Version, *out, len(body), v.Digest)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s version %d (%s)\n%s\n%s\n", v.ID, v.Version, v.Kind, v.Name.TH, v.Name.EN)
	fmt.Fprintf(e.stdout, "period %d-%d, provisional %s, sha256 %s\n", v.PeriodFrom, v.PeriodTo, yesNo(v.Provisional), v.Digest)
	fmt.Fprintf(e.stdout, "stored %s by %s: %s\n", v.CreatedAt.Format("2006-01-02 15:04"), v.CreatedBy, v.Note)
	fmt.Fprintf(e.stdout, "rounds pinned to it: %s\n", orNone(strings.Join(v.Rounds, ", ")))
	if v.Kind == store.SetKindHousehold {
		set, err := indicator.Intern(body)
		if err != nil {
			return err
		}
		tw := e.table("THRESHOLD", "YEAR", "VALUE")
		for _, th := range set.Thresholds {
			if len(th.ByYear) == 0 {
				fmt.Fprintf(tw, "%s\t-\t(none)\n", th.Name)
			}
			for _, y := range sortedYears(th.ByYear) {
				fmt.Fprintf(tw, "%s\t%d\t%g\n", th.Name, y, th.ByYear[y])
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		tw = e.table("INDICATOR", "UNIT", "CONFIDENCE")
		for _, ind := range set.Indicators {
			fmt.Fprintf(tw, "%s %s\t%s\t%s\n", ind.Code, ind.Name.TH, ind.Unit, ind.Provenance.Confidence)
		}
		return tw.Flush()
	}
	set, err := village.Intern(body)
	if err != nil {
		return err
	}
	tw := e.table("INDICATOR", "KIND", "CONFIDENCE")
	for _, ind := range set.Indicators {
		fmt.Fprintf(tw, "%s %s\t%s\t%s\n", ind.Code, ind.Name.TH, ind.Kind, ind.Provenance.Confidence)
	}
	return tw.Flush()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func setsImport(ctx context.Context, e *env, verb string, args []string) error {
	fs := e.flags("sets "+verb, "sets "+verb+" F.json [--note TEXT] [--db …]")
	dsn := e.dbFlag(fs, "tambon.db")
	note := fs.String("note", "", "why this version is made (kept with it)")
	pos, err := parseInterleaved(fs, args, 1)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(pos[0])
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.Tf("อ่านไฟล์ %s ไม่ได้", "cannot read %s", pos[0]))
	}
	f, err := store.ParseSetFile(b)
	if err != nil {
		return err
	}
	open := e.openStore
	if verb == "validate" {
		open = e.openExisting
	}
	s, _, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if verb == "validate" {
		next, err := s.NextSetVersion(ctx, f)
		if err != nil {
			return err
		}
		if next == 0 {
			fmt.Fprintf(e.stdout, "%s: the set %s is correct and equals its newest stored version\n", pos[0], f.ID)
		} else {
			fmt.Fprintf(e.stdout, "%s: the set %s (%s) is correct; importing it would store version %d\n", pos[0], f.ID, f.Kind, next)
		}
		return nil
	}
	user := e.envOr("USER", "cli")
	v, created, err := s.ImportSet(ctx, b, user, *note)
	if err != nil {
		return err
	}
	if !created {
		fmt.Fprintf(e.stdout, "%s equals %s version %d: nothing stored\n", pos[0], v.ID, v.Version)
		return nil
	}
	fmt.Fprintf(e.stdout, "stored %s version %d; rounds opened from now on use it, existing rounds keep their version\n", v.ID, v.Version)
	return s.Audit(ctx, store.AuditEntry{User: user, Action: store.AuditSetImport, Object: store.AuditSetObject + v.ID,
		Detail: fmt.Sprintf(`{"version":%d,"sha256":%q,"note":%q}`, v.Version, v.Digest, *note)})
}

func sortedYears(m map[int]float64) []int {
	ys := make([]int, 0, len(m))
	for y := range m {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// setsThreshold sets one threshold of a จปฐ. set for a survey year: a new
// version of the set, audited with the old and new value, then every round
// that used the set is recomputed from its stored households and moved to
// the new version, one transaction per round.
func setsThreshold(ctx context.Context, e *env, args []string) error {
	fs := e.flags("sets threshold", "sets threshold SET NAME YEAR=VALUE [--db …]   (e.g. sets threshold bmn-2560-2564 income_threshold 2564=38000)")
	dsn := e.dbFlag(fs, "tambon.db")
	pos, err := parseInterleaved(fs, args, 3)
	if err != nil {
		return err
	}
	y, v, ok := strings.Cut(pos[2], "=")
	year, err1 := strconv.Atoi(strings.TrimSpace(y))
	value, err2 := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if !ok || err1 != nil || err2 != nil {
		return apperr.New(apperr.Invalid, apperr.Tf("เขียนเป็น ปี=ค่า เช่น 2564=38000 (ได้ %q)", "write YEAR=VALUE, e.g. 2564=38000 (got %q)", pos[2]))
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	user := e.envOr("USER", "cli")
	c, err := s.SetThreshold(ctx, pos[0], pos[1], year, value, user)
	if err != nil {
		return err
	}
	old := "none"
	if c.HadOld {
		old = strconv.FormatFloat(c.Old, 'f', -1, 64)
	}
	if c.Created {
		fmt.Fprintf(e.stdout, "%s %s %d: %s → %s, stored as version %d\n", c.Set, c.Name, c.Year, old, strconv.FormatFloat(value, 'f', -1, 64), c.Version)
		detail, _ := json.Marshal(map[string]any{"threshold": c.Name, "year": c.Year, "old": jsonOld(c), "new": value, "version": c.Version})
		if err := s.Audit(ctx, store.AuditEntry{User: user, Action: store.AuditSetThreshold, Object: store.AuditSetObject + c.Set, Detail: string(detail)}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "%s version %d already has %s %d = %s\n", c.Set, c.Version, c.Name, c.Year, strconv.FormatFloat(value, 'f', -1, 64))
	}
	return repinRounds(ctx, e, s, c)
}

func jsonOld(c store.ThresholdChange) any {
	if !c.HadOld {
		return nil
	}
	return c.Old
}

// repinRounds recomputes each round of a threshold change under the new
// version and moves it there, one transaction per round, drawing the
// households done on the terminal; a round written to during its recompute
// is read again.
func repinRounds(ctx context.Context, e *env, s *store.Store, c store.ThresholdChange) error {
	n := 0
	err := moveRounds(ctx, e, s, c, func(m movedRound) {
		n++
		fmt.Fprintf(e.stdout, "round %s recomputed and moved from version %d to %d: %d households (%d read from their stored form) in %s, %.0f households/s\n",
			m.ID, m.From, m.To, m.Households, m.Decoded, m.Took.Round(time.Millisecond), m.Rate())
	})
	if err == nil && n == 0 {
		fmt.Fprintln(e.stdout, "no round uses the set: nothing to recompute")
	}
	return err
}

// movedRound is one round a threshold change recomputed and moved.
type movedRound struct {
	ID                  string
	From, To            int
	Households, Decoded int // stored households, and those decoded (not read from their columns)
	Took                time.Duration
	Phases              []store.Phase // where the time went
}

// phases lists where a recompute's time went, e.g. "count 0.31 s, read
// columns 2.10 s, …".
func (m movedRound) phases() string {
	var b strings.Builder
	for i, p := range m.Phases {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.2f s", p.Name, p.Took.Seconds())
	}
	return b.String()
}

// Rate returns the households recomputed a second.
func (m movedRound) Rate() float64 { return float64(m.Households) / max(m.Took.Seconds(), 1e-3) }

// moveRounds does repinRounds' work, calling moved after each round.
func moveRounds(ctx context.Context, e *env, s *store.Store, c store.ThresholdChange, moved func(movedRound)) error {
	v, body, err := s.SetVersion(ctx, c.Set, c.Version)
	if err != nil {
		return err
	}
	if _, err := indicator.Intern(body); err != nil {
		return err
	}
	rounds := c.RoundsToMove()
	for i, id := range rounds {
		r, err := s.Round(ctx, id)
		if err != nil {
			return err
		}
		from := c.Rounds[id]
		r.SetVersion, r.SetDigest = v.Version, v.Digest
		eng, err := engine.ForRound(r)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "round %s (%d of %d): recomputing under %s version %d\n", id, i+1, len(rounds), c.Set, v.Version)
		start := time.Now()
		var rc *store.Recomputed
		for attempt := 1; ; attempt++ {
			var bar *progress
			rc, err = s.RecomputeRound(ctx, id, eng, func(done, total int) {
				if bar == nil {
					bar = newProgress(e.stderr, "households", total)
				}
				bar.total = total // known better once the kept columns are read
				bar.update(done)
			})
			if err != nil {
				return err
			}
			bar.finish()
			err = s.RepinRecomputed(ctx, rc, from, v.Version)
			if err == nil {
				break
			}
			if !apperr.Is(err, apperr.Conflict) || attempt == 5 {
				return err
			}
			fmt.Fprintf(e.stderr, "round %s was written to during the recompute: reading it again\n", id)
		}
		m := movedRound{ID: id, From: from, To: v.Version, Households: rc.Households, Decoded: rc.Decoded, Took: time.Since(start), Phases: rc.Phases}
		e.log.Debug("recomputed", "round", id, "phases", m.phases())
		moved(m)
	}
	return nil
}
