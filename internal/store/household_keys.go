package store

import (
	"context"
	"database/sql"
	"fmt"
)

// binaryHouseholds is migration 0029's step on PostgreSQL: households.data
// becomes BYTEA, holding the binary form (household_codec.go). The JSON of
// the rows already stored is kept byte for byte: it reads as before.
func binaryHouseholds(ctx context.Context, tx *sql.Tx) error {
	var typ string
	if err := tx.QueryRowContext(ctx, `SELECT data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'households' AND column_name = 'data'`).Scan(&typ); err != nil {
		return mapErr(err)
	}
	if typ == "bytea" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "ALTER TABLE households ALTER COLUMN data TYPE BYTEA USING convert_to(data, 'UTF8')"); err != nil {
		return mapErr(err)
	}
	// A new type forgets the column's compression (migration 0022): a
	// large household still compresses with lz4.
	return compressWithLZ4(ctx, tx)
}

// householdParents are the tables households named by foreign keys on
// PostgreSQL before migration 0030, and by statement triggers since: a
// backup restores them before households.
var householdParents = []string{"rounds", "areas"}

// householdKeysPerStatement is migration 0030's step on PostgreSQL: the
// foreign keys of households to rounds(id) and areas(code) become
// statement triggers with the same rules.
//
// A foreign key checks every inserted row with a query of its own (a fifth
// of the server's work in a COPY import). The triggers check the distinct
// rounds and villages of a whole statement at once; an update checks only
// rows whose round or village changed, as a key does. On the other side,
// deleting, renaming or truncating a round or area that a household still
// names fails with foreign_key_violation, as NO ACTION did: checked at the
// end of the statement, so a transaction may delete the households first.
// The functions are householdKeyFunctions (see there for the locking).
func householdKeysPerStatement(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT conname, confrelid::regclass::text FROM pg_constraint
		WHERE conrelid = 'households'::regclass AND contype = 'f' AND conparentid = 0 ORDER BY conname`)
	if err != nil {
		return mapErr(err)
	}
	var drop []string
	for rows.Next() {
		var name, parent string
		if err := rows.Scan(&name, &parent); err != nil {
			rows.Close()
			return mapErr(err)
		}
		if parent != "rounds" && parent != "areas" {
			rows.Close()
			return fmt.Errorf("households has a foreign key %s to %s, which the triggers would not check", name, parent)
		}
		drop = append(drop, "ALTER TABLE households DROP CONSTRAINT "+quoteIdent(name))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	return execAll(ctx, tx, append(append(drop, householdKeyFunctions...), householdKeyTriggers...))
}

// householdKeyTriggers are the triggers of householdKeysPerStatement, and
// the function that refuses a TRUNCATE; the other two functions are
// householdKeyFunctions.
var householdKeyTriggers = []string{
	`CREATE TRIGGER households_parents_insert AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows
		FOR EACH STATEMENT EXECUTE FUNCTION households_parents_exist()`,
	`CREATE TRIGGER households_parents_update AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
		FOR EACH STATEMENT EXECUTE FUNCTION households_parents_exist()`,
	`CREATE OR REPLACE FUNCTION households_parent_truncate() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
	BEGIN
		IF EXISTS (SELECT 1 FROM households) THEN
			RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
				MESSAGE = format('cannot truncate table "%s": households name its rows', TG_TABLE_NAME);
		END IF;
		RETURN NULL;
	END $$`,
	`CREATE TRIGGER rounds_households_delete AFTER DELETE ON rounds REFERENCING OLD TABLE AS old_rows
		FOR EACH STATEMENT EXECUTE FUNCTION households_parent_unnamed()`,
	`CREATE TRIGGER rounds_households_update AFTER UPDATE ON rounds REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
		FOR EACH STATEMENT EXECUTE FUNCTION households_parent_unnamed()`,
	`CREATE TRIGGER rounds_households_truncate BEFORE TRUNCATE ON rounds
		FOR EACH STATEMENT EXECUTE FUNCTION households_parent_truncate()`,
	`CREATE TRIGGER areas_households_delete AFTER DELETE ON areas REFERENCING OLD TABLE AS old_rows
		FOR EACH STATEMENT EXECUTE FUNCTION households_parent_unnamed()`,
	`CREATE TRIGGER areas_households_update AFTER UPDATE ON areas REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
		FOR EACH STATEMENT EXECUTE FUNCTION households_parent_unnamed()`,
	`CREATE TRIGGER areas_households_truncate BEFORE TRUNCATE ON areas
		FOR EACH STATEMENT EXECUTE FUNCTION households_parent_truncate()`,
}

// householdKeysWithoutLocks is migration 0031's step on PostgreSQL: it
// makes the two functions of the triggers what householdKeyFunctions says,
// in a database whose migration 0030 made them lock the rows a write names
// (0030 makes them so itself since).
//
// Measured on one-household inserts (3,000 transactions, the server
// session's CPU): the first functions' five queries and two row locks cost
// about 0.2 ms a statement, these 0.01–0.03 ms, near a trigger that does
// nothing.
func householdKeysWithoutLocks(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx, householdKeyFunctions)
}

// householdKeyFunctions are the functions of householdKeyTriggers since
// migration 0031.
//
// A write names rounds and areas; one query finds any that does not exist
// (the distinct ones of the statement, each looked up by its key). The
// rows are not locked: under READ COMMITTED, tambon's level, a round or
// area named by an uncommitted write cannot be deleted, because deleting
// one locks households in SHARE mode first (households_parent_unnamed),
// which waits for every write in flight and then sees what they wrote; a
// write that starts after waits for the delete and then finds the row
// gone. At a higher isolation level the write's snapshot may be older than
// a delete that committed, so it locks the rows FOR KEY SHARE as a foreign
// key does, which fails such a write.
var householdKeyFunctions = []string{
	`CREATE OR REPLACE FUNCTION households_parents_exist() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
	DECLARE
		missing text;
	BEGIN
		IF TG_OP = 'INSERT' THEN
			SELECT coalesce(
				(SELECT format('round %s', x) FROM unnest(s.round_ids) x WHERE NOT EXISTS (SELECT 1 FROM rounds r WHERE r.id = x) LIMIT 1),
				(SELECT format('area %s', x) FROM unnest(s.village_codes) x WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = x) LIMIT 1))
				INTO missing
				FROM (SELECT array_agg(DISTINCT round_id) round_ids, array_agg(DISTINCT village_code) village_codes FROM new_rows) s;
		ELSE
			-- An update checks only the rows whose round or village changed.
			SELECT coalesce(
				(SELECT format('round %s', x) FROM unnest(s.round_ids) x WHERE NOT EXISTS (SELECT 1 FROM rounds r WHERE r.id = x) LIMIT 1),
				(SELECT format('area %s', x) FROM unnest(s.village_codes) x WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = x) LIMIT 1))
				INTO missing
				FROM (SELECT array_agg(DISTINCT n.round_id) FILTER (WHERE n.round_id <> o.round_id) round_ids,
					array_agg(DISTINCT n.village_code) FILTER (WHERE n.village_code <> o.village_code) village_codes
					FROM new_rows n JOIN old_rows o ON o.id = n.id) s;
		END IF;
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
				MESSAGE = format('insert or update on table "households" violates foreign key: %s does not exist', missing);
		END IF;
		IF current_setting('transaction_isolation') <> 'read committed' THEN
			PERFORM 1 FROM rounds WHERE id IN (SELECT round_id FROM new_rows) FOR KEY SHARE;
			PERFORM 1 FROM areas WHERE code IN (SELECT village_code FROM new_rows) FOR KEY SHARE;
		END IF;
		RETURN NULL;
	END $$`,
	// A round or area gone (deleted, or its key changed) that a household
	// still names. Households are locked first (SHARE: writes wait, reads
	// go on), so the check sees every write that was in flight; an update
	// of rounds or areas that changes no key locks nothing.
	`CREATE OR REPLACE FUNCTION households_parent_unnamed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
	DECLARE
		gone text[];
		named text;
	BEGIN
		IF TG_TABLE_NAME = 'rounds' THEN
			IF TG_OP = 'UPDATE' THEN
				SELECT array_agg(o.id) INTO gone FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
			ELSE
				SELECT array_agg(o.id) INTO gone FROM old_rows o;
			END IF;
		ELSIF TG_OP = 'UPDATE' THEN
			SELECT array_agg(o.code) INTO gone FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.code = o.code);
		ELSE
			SELECT array_agg(o.code) INTO gone FROM old_rows o;
		END IF;
		IF gone IS NULL THEN
			RETURN NULL;
		END IF;
		LOCK TABLE households IN SHARE MODE;
		IF TG_TABLE_NAME = 'rounds' THEN
			SELECT x INTO named FROM unnest(gone) x WHERE EXISTS (SELECT 1 FROM households h WHERE h.round_id = x) LIMIT 1;
		ELSE
			SELECT x INTO named FROM unnest(gone) x WHERE EXISTS (SELECT 1 FROM households h WHERE h.village_code = x) LIMIT 1;
		END IF;
		IF named IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
				MESSAGE = format('%s on table "%s" violates foreign key: %s is still named by households', lower(TG_OP), TG_TABLE_NAME, named);
		END IF;
		RETURN NULL;
	END $$`,
}
