package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/village"
)

func init() { goSteps["indicator_sets"] = loadBuiltinSets }

// SetVersion is one stored version of an indicator set.
type SetVersion struct {
	Kind        string // SetKindHousehold or SetKindVillage
	ID          string
	Version     int
	Digest      string // SHA-256 of the file
	Name        apperr.Text
	PeriodFrom  int
	PeriodTo    int
	Provisional bool
	Note        string // why this version was made
	CreatedBy   string
	CreatedAt   time.Time
	Rounds      []string // the rounds pinned to this version
}

// loadBuiltinSets is migration 0013's Go step: the sets built into the
// binary become version 1 of each set, so the rounds that existed before
// (pinned to version 1) are judged by the same files as before.
func loadBuiltinSets(ctx context.Context, tx *sql.Tx) error {
	var files [][]byte
	for _, s := range indicator.Sets() {
		files = append(files, s.File())
	}
	for _, s := range village.Sets() {
		files = append(files, s.File())
	}
	now := formatTime(time.Now())
	for _, b := range files {
		f, err := ParseSetFile(b)
		if err != nil {
			return err
		}
		if err := insertSetVersion(ctx, tx, f, 1, "built into tambon", "tambon", now); err != nil {
			return err
		}
	}
	return nil
}

func insertSetVersion(ctx context.Context, tx querier, f SetFile, version int, note, by, at string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO indicator_sets
		(kind, id, version, digest, body, period_from, period_to, provisional, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		f.Kind, f.ID, version, f.Digest, string(f.Body), f.PeriodFrom, f.PeriodTo, f.Provisional, note, by, at)
	if err != nil {
		return fmt.Errorf("store set %s version %d: %w", f.ID, version, mapErr(err))
	}
	return nil
}

const setVersionColumns = "kind, id, version, digest, period_from, period_to, provisional, note, created_by, created_at"

func scanSetVersion(row interface{ Scan(...any) error }) (SetVersion, error) {
	var v SetVersion
	var at string
	err := row.Scan(&v.Kind, &v.ID, &v.Version, &v.Digest, &v.PeriodFrom, &v.PeriodTo, &v.Provisional, &v.Note, &v.CreatedBy, &at)
	v.CreatedAt = parseTime(at)
	return v, err
}

// SetVersions lists every stored version of every set, by kind, id and
// version, each with the rounds pinned to it.
func (s *Store) SetVersions(ctx context.Context) ([]SetVersion, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+setVersionColumns+" FROM indicator_sets ORDER BY kind, id, version")
	if err != nil {
		return nil, fmt.Errorf("list sets: %w", mapErr(err))
	}
	var out []SetVersion
	for rows.Next() {
		v, err := scanSetVersion(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list sets: %w", mapErr(err))
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sets: %w", mapErr(err))
	}
	uses, err := s.setUses(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Rounds = uses[setKey(out[i].Kind, out[i].ID, out[i].Version)]
		name, err := s.setName(ctx, out[i])
		if err != nil {
			return nil, err
		}
		out[i].Name = name
	}
	return out, nil
}

func setKey(kind, id string, version int) string { return fmt.Sprintf("%s/%s/%d", kind, id, version) }

// setUses maps each set version to the rounds pinned to it.
func (s *Store) setUses(ctx context.Context) (map[string][]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT 'bmn', set_id, set_version, id FROM rounds
		UNION ALL SELECT 'kcc2k', set_id, set_version, id FROM village_rounds ORDER BY 4`)
	if err != nil {
		return nil, fmt.Errorf("set uses: %w", mapErr(err))
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var kind, id, round string
		var v int
		if err := rows.Scan(&kind, &id, &v, &round); err != nil {
			return nil, fmt.Errorf("set uses: %w", mapErr(err))
		}
		out[setKey(kind, id, v)] = append(out[setKey(kind, id, v)], round)
	}
	return out, rows.Err()
}

// setName reads a version's name from its compiled file.
func (s *Store) setName(ctx context.Context, v SetVersion) (apperr.Text, error) {
	switch v.Kind {
	case SetKindVillage:
		set, err := s.villageSetByDigest(ctx, v.Digest)
		if err != nil {
			return apperr.Text{}, err
		}
		return set.Name, nil
	default:
		set, err := s.householdSetByDigest(ctx, v.Digest)
		if err != nil {
			return apperr.Text{}, err
		}
		return set.Name, nil
	}
}

// SetVersion returns one version of a set by id (either kind); version 0 is
// the newest.
func (s *Store) SetVersion(ctx context.Context, id string, version int) (SetVersion, []byte, error) {
	q := "SELECT " + setVersionColumns + ", body FROM indicator_sets WHERE id = $1 AND ($2 = 0 OR version = $2) ORDER BY version DESC LIMIT 1"
	var body string
	var v SetVersion
	var at string
	err := s.read.QueryRowContext(ctx, q, id, version).Scan(&v.Kind, &v.ID, &v.Version, &v.Digest, &v.PeriodFrom, &v.PeriodTo,
		&v.Provisional, &v.Note, &v.CreatedBy, &at, &body)
	if err == sql.ErrNoRows {
		if version != 0 {
			return v, nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีชุดตัวชี้วัด %s รุ่น %d (ดูรายการด้วย tambon sets list)",
				"there is no indicator set %s version %d (list them with tambon sets list)", id, version))
		}
		return v, nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีชุดตัวชี้วัด %s (ดูรายการด้วย tambon sets list)",
			"there is no indicator set %s (list them with tambon sets list)", id))
	}
	if err != nil {
		return v, nil, fmt.Errorf("read set %s: %w", id, mapErr(err))
	}
	v.CreatedAt = parseTime(at)
	uses, err := s.setUses(ctx)
	if err != nil {
		return v, nil, err
	}
	v.Rounds = uses[setKey(v.Kind, v.ID, v.Version)]
	if v.Name, err = s.setName(ctx, v); err != nil {
		return v, nil, err
	}
	return v, []byte(body), nil
}

// ImportSet checks a whole set file and stores it as the next version of its
// set (version 1 of a new set). Nothing is stored unless the whole file is
// right. A file identical to the newest version stores nothing and returns
// that version with created false. Rounds keep the version they are pinned
// to: a new version judges only the rounds opened after it.
func (s *Store) ImportSet(ctx context.Context, b []byte, by, note string) (v SetVersion, created bool, err error) {
	f, err := ParseSetFile(b)
	if err != nil {
		return v, false, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		next, err := nextSetVersion(ctx, tx, f)
		if err != nil || next == 0 {
			return err
		}
		created = true
		return insertSetVersion(ctx, tx, f, next, note, by, formatTime(s.now()))
	})
	if err != nil {
		return v, false, err
	}
	v, _, err = s.SetVersion(ctx, f.ID, 0)
	return v, created, err
}

// nextSetVersion returns the version a file would get, 0 when it equals the
// newest version already; an id used by the other kind of set is a conflict.
func nextSetVersion(ctx context.Context, tx querier, f SetFile) (int, error) {
	var kind, digest string
	var last int
	err := tx.QueryRowContext(ctx, "SELECT kind, version, digest FROM indicator_sets WHERE id = $1 ORDER BY version DESC LIMIT 1", f.ID).
		Scan(&kind, &last, &digest)
	switch {
	case err == sql.ErrNoRows:
		return 1, nil
	case err != nil:
		return 0, mapErr(err)
	case kind != f.Kind:
		return 0, apperr.New(apperr.Conflict, apperr.Tf("รหัสชุด %s ใช้กับชุดตัวชี้วัดอีกประเภทอยู่แล้ว", "the set id %s is already used by the other kind of set", f.ID))
	case digest == f.Digest:
		return 0, nil
	}
	return last + 1, nil
}

// householdSetByDigest compiles (once per process) a stored จปฐ. set file.
func (s *Store) householdSetByDigest(ctx context.Context, digest string) (*indicator.Set, error) {
	if set, ok := indicator.ByDigest(digest); ok {
		return set, nil
	}
	body, err := s.setBody(ctx, digest)
	if err != nil {
		return nil, err
	}
	return indicator.Intern(body)
}

// villageSetByDigest loads (once per process) a stored กชช. 2ค set file.
func (s *Store) villageSetByDigest(ctx context.Context, digest string) (*village.Set, error) {
	if set, ok := village.ByDigest(digest); ok {
		return set, nil
	}
	body, err := s.setBody(ctx, digest)
	if err != nil {
		return nil, err
	}
	return village.Intern(body)
}

func (s *Store) setBody(ctx context.Context, digest string) ([]byte, error) {
	var body string
	err := s.read.QueryRowContext(ctx, "SELECT body FROM indicator_sets WHERE digest = $1 LIMIT 1", digest).Scan(&body)
	if err == sql.ErrNoRows {
		return nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีไฟล์ชุดตัวชี้วัด %s", "there is no stored set file %s", digest))
	}
	if err != nil {
		return nil, fmt.Errorf("read set file: %w", mapErr(err))
	}
	return []byte(body), nil
}

// HouseholdSets returns the newest version of every จปฐ. set, oldest plan
// period first: the sets a new round may be opened with.
func (s *Store) HouseholdSets(ctx context.Context) ([]*indicator.Set, error) {
	ds, err := s.latestDigests(ctx, SetKindHousehold)
	if err != nil {
		return nil, err
	}
	var out []*indicator.Set
	for _, d := range ds {
		set, err := s.householdSetByDigest(ctx, d)
		if err != nil {
			return nil, err
		}
		out = append(out, set)
	}
	return out, nil
}

// VillageSets returns the newest version of every กชช. 2ค set, oldest first.
func (s *Store) VillageSets(ctx context.Context) ([]*village.Set, error) {
	ds, err := s.latestDigests(ctx, SetKindVillage)
	if err != nil {
		return nil, err
	}
	var out []*village.Set
	for _, d := range ds {
		set, err := s.villageSetByDigest(ctx, d)
		if err != nil {
			return nil, err
		}
		out = append(out, set)
	}
	return out, nil
}

// HouseholdSet returns the newest version of a จปฐ. set.
func (s *Store) HouseholdSet(ctx context.Context, id string) (*indicator.Set, error) {
	v, _, err := s.SetVersion(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	if v.Kind != SetKindHousehold {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("%s เป็นชุดตัวชี้วัด กชช. 2ค ไม่ใช่ จปฐ.", "%s is a กชช. 2ค set, not a จปฐ. set", id))
	}
	return s.householdSetByDigest(ctx, v.Digest)
}

// VillageSet returns the newest version of a กชช. 2ค set.
func (s *Store) VillageSet(ctx context.Context, id string) (*village.Set, error) {
	v, _, err := s.SetVersion(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	if v.Kind != SetKindVillage {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("%s เป็นชุดตัวชี้วัด จปฐ. ไม่ใช่ กชช. 2ค", "%s is a จปฐ. set, not a กชช. 2ค set", id))
	}
	return s.villageSetByDigest(ctx, v.Digest)
}

func (s *Store) latestDigests(ctx context.Context, kind string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT digest FROM indicator_sets x WHERE kind = $1
		AND version = (SELECT max(version) FROM indicator_sets y WHERE y.kind = x.kind AND y.id = x.id)
		ORDER BY period_from, id`, kind)
	if err != nil {
		return nil, fmt.Errorf("list sets: %w", mapErr(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// latestVersion returns the newest version of a set of a kind, for pinning a
// new round; a set not stored is NotFound.
func latestVersion(ctx context.Context, q querier, kind, id string) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT max(version) FROM indicator_sets WHERE kind = $1 AND id = $2", kind, id).Scan(&v); err != nil {
		return 0, mapErr(err)
	}
	if !v.Valid {
		return 0, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีชุดตัวชี้วัด %s (ดูรายการด้วย tambon sets list)",
			"there is no indicator set %s (list them with tambon sets list)", id))
	}
	return int(v.Int64), nil
}

// The audit log's names for changes to the sets.
const (
	AuditSetImport    = "set.import"
	AuditSetThreshold = "set.threshold"
	AuditSetObject    = "set:"
)

// NextSetVersion returns the version importing a checked file would store,
// 0 when it equals the newest stored version.
func (s *Store) NextSetVersion(ctx context.Context, f SetFile) (int, error) {
	return nextSetVersion(ctx, s.read, f)
}
