package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
)

// env is what every command gets: the environment and the streams, injected
// so that tests run the real commands in-process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	now    func() time.Time
}

type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":       {"serve the web application and the API", cmdServe},
		"demo":        {"serve the web application on a demo database with demo data and logins", cmdDemo},
		"migrate":     {"create or update the database schema and load the national area tree", cmdMigrate},
		"user":        {"manage accounts: user create | passwd | list", cmdUser},
		"version":     {"print the version", cmdVersion},
		"round":       {"create a จปฐ. survey round", cmdRound},
		"rounds":      {"list the survey rounds", cmdRounds},
		"sets":        {"indicator sets in the database: list | show | export | import | validate | threshold", cmdSets},
		"villages":    {"กชช. 2ค village survey: villages round | rounds | results (import/export/template villages)", cmdVillages},
		"import":      {"import households (CSV/XLSX) or TPMAP's published figures", cmdImport},
		"export":      {"export households in the import template (CSV/XLSX)", cmdExport},
		"template":    {"write the household import template (CSV/XLSX)", cmdTemplate},
		"gen":         {"generate realistic synthetic households for an area", cmdGen},
		"recompute":   {"rebuild a round's statistics from its households", cmdRecompute},
		"check":       {"prove a round's stored statistics equal a recompute", cmdCheck},
		"results":     {"print indicator results and the MPI of an area (CSV or JSON)", cmdResults},
		"mpi-spec":    {"show or set the installation's multidimensional poverty measure", cmdMPISpec},
		"mpi":         {"compute the Alkire-Foster poverty index of a CSV of people (analysts' calculator)", cmdMPI},
		"target":      {"list the households to help: failing chosen indicators, MPI-poor, or deprived in dimensions", cmdTarget},
		"transitions": {"follow households across two rounds: who graduated, who fell back", cmdTransitions},
		"targets":     {"print or set the % passing each indicator aims at", cmdTargets},
		"review":      {"submit, verify, return, certify or reopen a round for a tambon", cmdReview},
		"audit":       {"search the audit log", cmdAudit},
		"welfare":     {"the state welfare-card register's lists: lists | delete | keep-ids (import with: import welfare)", cmdWelfare},
		"pdpa":        {"personal data rights: erase a person or household on request, a round's retention rule", cmdPDPA},
		"assign":      {"give villages or households to enumerators for a round: assign add | remove | list | progress | outcome", cmdAssign},
		"device":      {"give a phone its own OpenRosa token: device create | list | revoke", cmdDevice},
		"dhis2":       {"exchange a round's indicator results and MPI with DHIS2: dhis2 mapping | metadata | export | import", cmdDHIS2},
		"token":       {"API tokens for other systems (Excel, Power BI): token issue | list | revoke", cmdToken},
		"bench":       {"measure recompute, write and query speed (docs/BENCHMARKS.md)", cmdBench},
		"loadtest":    {"measure the area pages and API under 100 concurrent clients on national-scale statistics", cmdLoadtest},
		"backup":      {"write a consistent, verified copy of the database", cmdBackup},
		"restore":     {"verify a backup and restore it (SQLite file, or an empty PostgreSQL database)", cmdRestore},
	}
}

// errUsage marks a wrong command line; the message has been printed already.
var errUsage = errors.New("usage")

// Run runs tambon with args (without the program name). It is main without
// the process: tests call it with their own streams and environment.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	level := slog.LevelInfo
	if strings.EqualFold(getenv("TAMBON_LOG"), "debug") {
		level = slog.LevelDebug
	}
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	c, ok := commands()[args[0]]
	if !ok {
		usage(stderr)
		return apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักคำสั่ง %q", "unknown command %q", args[0]))
	}
	err := c.run(ctx, e, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err = store.Explain(err); errors.Is(err, store.ErrDamaged) {
		e.log.Error("damaged database", "err", err) // the driver's words, for whoever repairs it
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "tambon — information system for Thai community development (จปฐ., กชช. 2ค, plans)")
	fmt.Fprintln(w, "\nUsage: tambon <command> [flags]   (tambon <command> --help for its flags)\n\nCommands:")
	cs := commands()
	names := make([]string, 0, len(cs))
	for n := range cs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cs[n].summary)
	}
	fmt.Fprintln(w, "\nEnvironment: TAMBON_DB (database), TAMBON_ADDR (listen address), TAMBON_LOG=debug")
}

// flags makes a command's flag set; its help goes to stdout and bad flags
// are reported as usage errors.
func (e *env) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("tambon "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fs.SetOutput(e.stdout)
		fmt.Fprintf(e.stdout, "Usage: tambon %s\n\n", synopsis)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
	}
	return fs
}

// parseArgs parses flags placed before, between or after the positional
// arguments (Go's flag package alone stops at the first positional one, so
// "import tpmap FILE --db X" would take --db for a file) and returns the
// positional ones in order. After "--" everything is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseFile parses the flags of a command that takes one file, placed
// before or after its flags, and returns the file ("" when none was given).
// The flag set knows which flags take a value, so "--report out.xlsx
// data.csv" reads data.csv, never out.xlsx.
func parseFile(fs *flag.FlagSet, args []string) (string, error) {
	pos, err := parseArgs(fs, args)
	switch {
	case err != nil:
		return "", err
	case len(pos) > 1:
		fmt.Fprintf(fs.Output(), "unexpected argument %q (give one file)\n", pos[1])
		return "", errUsage
	case len(pos) == 1:
		return pos[0], nil
	}
	return "", nil
}

// parse parses flags and refuses stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	return nil
}

// envOr returns the environment variable's value, or def.
func (e *env) envOr(key, def string) string {
	if v := strings.TrimSpace(e.getenv(key)); v != "" {
		return v
	}
	return def
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 10 {
				if v == "" || v == "(devel)" {
					v = "dev"
				}
				return v + "+" + s.Value[:10]
			}
		}
		if v != "" && v != "(devel)" {
			return v
		}
	}
	return "dev"
}

func cmdVersion(ctx context.Context, e *env, args []string) error {
	fs := e.flags("version", "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "tambon", version())
	return nil
}

// describe turns an error into the one sentence the user sees.
func describe(err error) string {
	if errors.Is(err, errUsage) {
		return "wrong usage (see --help) / ใช้คำสั่งไม่ถูกต้อง (ดู --help)"
	}
	if apperr.CodeOf(err) == apperr.Internal {
		return err.Error()
	}
	var ps apperr.Problems
	if errors.As(err, &ps) {
		return ps.Error()
	}
	return apperr.MessageOf(err).String()
}

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// subcommand is one word of a two-word command, such as "user create".
type subcommand struct {
	name string
	run  func(ctx context.Context, e *env, args []string) error
}

// dispatch runs the subcommand named by args[0]. With no arguments, or
// --help, it prints usage; an unknown word is refused with the known ones.
func dispatch(ctx context.Context, e *env, cmd, usage string, args []string, subs ...subcommand) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(e.stdout, usage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	names := make([]string, len(subs))
	for i, sc := range subs {
		if sc.name == args[0] {
			return sc.run(ctx, e, args[1:])
		}
		names[i] = sc.name
	}
	known := strings.Join(names, ", ")
	return apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักคำสั่ง %s %s (มี %s)", "unknown command %s %s (known: %s)", cmd, args[0], known))
}
