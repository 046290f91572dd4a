package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tambon/internal/photo"
)

// goSteps are migrations done in Go after their SQL file's statements, in
// the same transaction, by the migration's name (so renumbering a file
// keeps its step).
var goSteps = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"strip_photo_metadata": stripPhotoMetadata,
}

// storedPictures are the columns holding pictures: the table, its key,
// the column, the size column to keep in step, and which rows are
// pictures (submission media are any file: Strip tells).
var storedPictures = []struct{ table, key, column, size, where string }{
	{"plan_evidence", "id", "data", "size", "content_type LIKE 'image/%'"},
	{"programme_files", "id", "data", "size", "content_type LIKE 'image/%'"},
	{"activity_photos", "id", "image", "", "1 = 1"},
	{"activity_photos", "id", "thumb", "", "1 = 1"},
	{"submission_media", "submission_id, name", "data", "", "1 = 1"},
}

// stripPhotoMetadata rewrites every stored picture without its EXIF (GPS,
// camera, thumbnail), XMP, IPTC and text chunks, as photo.Strip does on
// upload now. A file photo.Strip cannot read is left as it is: the
// migration must not lose a file it does not understand. One picture is in
// memory at a time.
func stripPhotoMetadata(ctx context.Context, tx *sql.Tx) error {
	for _, p := range storedPictures {
		keys := strings.Split(p.key, ", ")
		var match []string
		for i, k := range keys {
			match = append(match, fmt.Sprintf("%s = $%d", k, i+1))
		}
		where := strings.Join(match, " AND ")
		rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s", p.key, p.table, p.where, p.key))
		if err != nil {
			return fmt.Errorf("strip photo metadata: %s: %w", p.table, mapErr(err))
		}
		var rowKeys [][]any
		for rows.Next() {
			k := make([]any, len(keys))
			ptrs := make([]any, len(keys))
			for i := range k {
				ptrs[i] = &k[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return err
			}
			rowKeys = append(rowKeys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range rowKeys {
			var data []byte
			if err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s", p.column, p.table, where), k...).Scan(&data); err != nil {
				return fmt.Errorf("strip photo metadata: %s %v: %w", p.table, k, mapErr(err))
			}
			out, err := photo.Strip(data)
			if err != nil || bytes.Equal(out, data) {
				continue
			}
			n := len(keys)
			set := fmt.Sprintf("%s = $%d", p.column, n+1)
			args := append(append([]any{}, k...), out)
			if p.size != "" {
				set += fmt.Sprintf(", %s = $%d", p.size, n+2)
				args = append(args, len(out))
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s WHERE %s", p.table, set, where), args...); err != nil {
				return fmt.Errorf("strip photo metadata: %s %v: %w", p.table, k, mapErr(err))
			}
		}
	}
	return nil
}
