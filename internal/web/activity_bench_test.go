package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"tambon/internal/activity"
	"tambon/internal/store/storetest"
	"tambon/internal/web"
)

// BenchmarkNewsVisit is one public view of a news post on SQLite, counter
// included: go test -run x -bench NewsVisit ./internal/web
func BenchmarkNewsVisit(b *testing.B) {
	s := storetest.MustOpenSQLite(b)
	ctx := context.Background()
	a, err := s.CreateActivity(ctx, activity.Activity{Kind: activity.Meeting, TitleTH: "ประชุม", AreaCode: "700513",
		Start: time.Date(2021, 1, 18, 8, 0, 0, 0, time.UTC)}, "bench")
	if err != nil {
		b.Fatal(err)
	}
	n, err := s.PublishNews(ctx, activity.News{ActivityID: a.ID, TitleTH: "ข่าว", BodyTH: "เนื้อข่าว"})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(b), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	path := fmt.Sprintf("/news/%d", n.ID)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
