package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"

	"tambon/internal/photo"
)

// goSteps are migrations done in Go after their SQL file's statements, in
// the same transaction, by the migration's name (so renumbering a file
// keeps its step).
var goSteps = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"strip_photo_metadata": stripPhotoMetadata,
}

// storedPictures are the columns holding pictures, with the size column
// to keep in step and which rows are pictures.
var storedPictures = []struct{ table, column, size, where string }{
	{"plan_evidence", "data", "size", "content_type LIKE 'image/%'"},
	{"programme_files", "data", "size", "content_type LIKE 'image/%'"},
	{"activity_photos", "image", "", "1 = 1"},
	{"activity_photos", "thumb", "", "1 = 1"},
}

// stripPhotoMetadata rewrites every stored picture without its EXIF (GPS,
// camera, thumbnail), XMP, IPTC and text chunks, as photo.Strip does on
// upload now. A picture photo.Strip cannot read is left as it is: the
// migration must not lose a file it does not understand. One picture is in
// memory at a time.
func stripPhotoMetadata(ctx context.Context, tx *sql.Tx) error {
	for _, p := range storedPictures {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT id FROM %s WHERE %s ORDER BY id", p.table, p.where))
		if err != nil {
			return fmt.Errorf("strip photo metadata: %s: %w", p.table, mapErr(err))
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			var data []byte
			if err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE id = $1", p.column, p.table), id).Scan(&data); err != nil {
				return fmt.Errorf("strip photo metadata: %s %d: %w", p.table, id, mapErr(err))
			}
			out, err := photo.Strip(data)
			if err != nil || bytes.Equal(out, data) {
				continue
			}
			q, args := fmt.Sprintf("UPDATE %s SET %s = $1 WHERE id = $2", p.table, p.column), []any{out, id}
			if p.size != "" {
				q, args = fmt.Sprintf("UPDATE %s SET %s = $1, %s = $2 WHERE id = $3", p.table, p.column, p.size), []any{out, len(out), id}
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("strip photo metadata: %s %d: %w", p.table, id, mapErr(err))
			}
		}
	}
	return nil
}
