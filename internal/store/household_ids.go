package store

import (
	"context"
	"database/sql"
	"fmt"
)

// On PostgreSQL a lookup of a household by id alone cannot be pruned to
// one partition of the partitioned households table (partitions.go): the
// id is neither partition column, so PostgreSQL plans every partition of
// every round. household_ids (migration 0028) is a small unpartitioned
// table of each household's id, round and key, kept equal to households
// by statement triggers; a lookup by id reads it first and then looks in
// households by round and key, which plans one partition.

// householdIDs is migration 0028's step on PostgreSQL: it makes the
// registry, fills it from households and adds the triggers that keep it.
func householdIDs(ctx context.Context, tx *sql.Tx) error {
	if err := execAll(ctx, tx, []string{
		`CREATE TABLE household_ids (id BIGINT PRIMARY KEY, round_id TEXT NOT NULL, hh_key TEXT NOT NULL)`,
		// Statement triggers with transition tables: one INSERT … SELECT a
		// statement, so a COPY of a round's households costs one bulk
		// insert, not a trigger call a row. On a partitioned table they
		// see the rows of every partition, those made later included;
		// households is written only through its parent.
		`CREATE OR REPLACE FUNCTION household_ids_insert() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
		BEGIN
			INSERT INTO household_ids (id, round_id, hh_key) SELECT id, round_id, hh_key FROM new_rows;
			RETURN NULL;
		END $$`,
		`CREATE OR REPLACE FUNCTION household_ids_delete() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
		BEGIN
			DELETE FROM household_ids r USING old_rows o WHERE r.id = o.id;
			RETURN NULL;
		END $$`,
		// An update may change a row's id, round or key (none of tambon's
		// do; a move between villages changes neither): the registry
		// follows, and an update that changes none of them writes nothing.
		`CREATE OR REPLACE FUNCTION household_ids_update() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
		BEGIN
			IF NOT EXISTS (SELECT 1 FROM old_rows o FULL JOIN new_rows n ON n.id = o.id
				WHERE o.id IS NULL OR n.id IS NULL OR o.round_id <> n.round_id OR o.hh_key <> n.hh_key) THEN
				RETURN NULL;
			END IF;
			DELETE FROM household_ids r USING old_rows o WHERE r.id = o.id;
			INSERT INTO household_ids (id, round_id, hh_key) SELECT id, round_id, hh_key FROM new_rows;
			RETURN NULL;
		END $$`,
		`CREATE OR REPLACE FUNCTION household_ids_truncate() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
		BEGIN
			TRUNCATE household_ids;
			RETURN NULL;
		END $$`,
		`CREATE TRIGGER household_ids_insert AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE FUNCTION household_ids_insert()`,
		`CREATE TRIGGER household_ids_delete AFTER DELETE ON households REFERENCING OLD TABLE AS old_rows
			FOR EACH STATEMENT EXECUTE FUNCTION household_ids_delete()`,
		`CREATE TRIGGER household_ids_update AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE FUNCTION household_ids_update()`,
		`CREATE TRIGGER household_ids_truncate AFTER TRUNCATE ON households
			FOR EACH STATEMENT EXECUTE FUNCTION household_ids_truncate()`,
		"INSERT INTO household_ids (id, round_id, hh_key) SELECT id, round_id, hh_key FROM households",
		"ANALYZE household_ids",
	}); err != nil {
		return err
	}
	return execAll(ctx, tx, householdRefsByRegistry)
}

// householdRefsByRegistry are the functions of householdRefTriggers
// (partitions.go) as migration 0028 makes them: the same rules, with the
// household found through household_ids in one partition. A household
// being deleted is looked for by id alone only when something still names
// it (an error, or a row moved between partitions, which no write of
// tambon's does): the registry's statement triggers run after the row
// triggers, so it cannot say yet where a moved row went.
var householdRefsByRegistry = []string{
	`CREATE OR REPLACE FUNCTION household_exists() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
	DECLARE
		r text;
		k text;
	BEGIN
		IF NEW.household_id IS NOT NULL THEN
			SELECT round_id, hh_key INTO r, k FROM household_ids WHERE id = NEW.household_id;
			PERFORM 1 FROM households WHERE round_id = r AND hh_key = k AND id = NEW.household_id FOR KEY SHARE;
			IF NOT FOUND THEN
				RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
					MESSAGE = format('insert or update on table "%s" violates foreign key: household %s does not exist', TG_TABLE_NAME, NEW.household_id);
			END IF;
		END IF;
		RETURN NULL;
	END $$`,
	`CREATE OR REPLACE FUNCTION household_unreferenced() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
	BEGIN
		IF NOT (EXISTS (SELECT 1 FROM plan_targets WHERE household_id = OLD.id)
			OR EXISTS (SELECT 1 FROM assistance WHERE household_id = OLD.id)
			OR EXISTS (SELECT 1 FROM programme_participants WHERE household_id = OLD.id)) THEN
			RETURN NULL;
		END IF;
		IF EXISTS (SELECT 1 FROM households WHERE id = OLD.id) THEN
			RETURN NULL; -- moved between partitions, not gone
		END IF;
		RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
			MESSAGE = format('delete on table "households" violates foreign key: household %s is still referenced', OLD.id);
	END $$`,
}

// householdByID is the condition, from placeholder $n on, and its
// arguments that find household id in households. On PostgreSQL it names
// the household's round and key, read from household_ids, so the query
// plans one partition; it keeps id = too, and a query that locks the row
// finds it only if it is still that household when locked. An id the
// registry lacks gives the round "", which no partition holds: the query
// finds no row, as it did by id. On SQLite it is the id.
func householdByID(ctx context.Context, q querier, d dialect, id int64, n int) (string, []any, error) {
	if d != dialectPostgres {
		return fmt.Sprintf("id = $%d", n), []any{id}, nil
	}
	var round, key string
	err := q.QueryRowContext(ctx, "SELECT round_id, hh_key FROM household_ids WHERE id = $1", id).Scan(&round, &key)
	if err != nil && err != sql.ErrNoRows {
		return "", nil, mapErr(err)
	}
	return fmt.Sprintf("round_id = $%d AND hh_key = $%d AND id = $%d", n, n+1, n+2), []any{round, key, id}, nil
}
