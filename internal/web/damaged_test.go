package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/web"
)

// A damaged database file: pages and the API tell the visitor, in Thai and
// English, that the database is damaged and must be restored from a backup;
// SQLite's own words, and no file path, go to the log only.
func TestDamagedDatabaseSaysRestore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tambon.db")
	s := storetest.MustOpenDSN(t, path)
	if err := s.CreateRound(ctx, survey.Round{ID: round2561, Kind: survey.KindBMN, SurveyYear: 2561, SetID: "bmn-2560-2564"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	storetest.Corrupt(t, path, "rounds")
	s, err := store.Open(ctx, path, store.Options{Now: storetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var log bytes.Buffer
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(t), Log: slog.New(slog.NewTextHandler(&log, nil)),
		Now: storetest.Now, ExplainError: store.Explain})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	for _, tc := range []struct{ path, lang, want string }{
		{"/api/v1/rounds", "", "the database file is damaged"},
		{"/api/v1/rounds", "", "ไฟล์ฐานข้อมูลเสียหาย"},
		{"/areas/70?lang=en", "en", "the database file is damaged"},
	} {
		status, body, _ := get(t, ts, tc.path, "Accept-Language", tc.lang)
		if status != http.StatusServiceUnavailable {
			t.Errorf("%s: status %d, want 503", tc.path, status)
		}
		if !strings.Contains(body, tc.want) || !strings.Contains(body, "tambon restore") {
			t.Errorf("%s does not say %q:\n%.600s", tc.path, tc.want, body)
		}
		if strings.Contains(body, "malformed") || strings.Contains(body, path) {
			t.Errorf("%s shows the driver's error or the file's path:\n%.600s", tc.path, body)
		}
	}
	if !strings.Contains(log.String(), "malformed") {
		t.Errorf("the log lacks the driver's error:\n%s", log.String())
	}
}
