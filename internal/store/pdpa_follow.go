package store

import (
	"context"
	"database/sql"
	"encoding/hex"

	"tambon/internal/survey"
)

// FollowIDs returns, for a round, how to name a household's members when
// following households across rounds (engine.Match's CitizenIDs): once any
// round has been pseudonymised, every member is named by the keyed
// pseudonym of their citizen ID (PersonLink) — computed from the ID where
// the record still has it, read from person_links where retention replaced
// it — so that a pseudonymised round and a later one still meet by members
// in common. Before any retention, members are named by their IDs, as
// before. The function it returns does no I/O.
func (s *Store) FollowIDs(ctx context.Context, round string) (func(rec survey.Record) []string, error) {
	var v string
	err := s.read.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = $1", linkKeyMeta).Scan(&v)
	if err == sql.ErrNoRows {
		return rawIDs, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	key, err := hex.DecodeString(v)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, "SELECT hh_key, link FROM person_links WHERE round_id = $1", round)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	kept := map[string][]string{}
	for rows.Next() {
		var k, link string
		if err := rows.Scan(&k, &link); err != nil {
			return nil, err
		}
		kept[k] = append(kept[k], link)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return func(rec survey.Record) []string {
		out := append([]string(nil), kept[rec.Key]...)
		for _, m := range rec.Household.Members {
			if m.CitizenID != "" {
				out = append(out, PersonLink(key, m.CitizenID))
			}
		}
		return out
	}, nil
}

func rawIDs(rec survey.Record) []string {
	var out []string
	for _, m := range rec.Household.Members {
		if m.CitizenID != "" {
			out = append(out, m.CitizenID)
		}
	}
	return out
}
