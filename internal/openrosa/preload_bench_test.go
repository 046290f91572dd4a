package openrosa_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tambon/internal/area"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// tambonOfLastRound stores round bmn-2563 with n households spread over
// the villages of the fixture's tambon (ตำบลเขาขลุง), as a tambon's whole
// panel, and returns them.
func tambonOfLastRound(tb testing.TB, f *fixture, n int) []*survey.Household {
	tb.Helper()
	ctx := context.Background()
	if err := f.store.CreateRound(ctx, survey.Round{ID: prevRound, Kind: survey.KindBMN, SurveyYear: 2563, SetID: "bmn-2560-2564"}); err != nil {
		tb.Fatal(err)
	}
	var villages []string
	for _, a := range mustTree(tb).All() {
		if a.Level == area.Village && strings.HasPrefix(a.Code, tambon) {
			villages = append(villages, a.Code)
		}
	}
	var all []*survey.Household
	for i, v := range villages {
		k := n / len(villages)
		if i < n%len(villages) {
			k++
		}
		hs := surveyfile.Example(f.eng.Set(), v, k, 2563)
		for _, h := range hs {
			h.RoundID = prevRound
		}
		if _, err := f.store.WriteHouseholds(ctx, f.eng, prevRound, hs, "seed", nil); err != nil {
			tb.Fatal(err)
		}
		all = append(all, hs...)
	}
	return all
}

// BenchmarkPreloadMedia measures what an enumerator of a whole tambon of
// 2,000 households of last round downloads for the update form, and how
// long the server takes to make it: prev_households.csv and
// prev_members.csv, raw and gzipped (ODK Collect asks for gzip).
//
//	go test ./internal/openrosa -run XXX -bench PreloadMedia -benchtime 20x
func BenchmarkPreloadMedia(b *testing.B) {
	f := newFixture(b, 0)
	tambonOfLastRound(b, f, 2000)
	for _, name := range []string{xform.PrevHouseholdsCSV, xform.PrevMembersCSV} {
		b.Run(name, func(b *testing.B) {
			var body string
			for b.Loop() {
				resp, s := do(b, collectRequest("GET", f.keyURL()+"/forms/"+f.form.ID+"/media/"+name, nil))
				if resp.StatusCode != http.StatusOK {
					b.Fatal(resp.Status)
				}
				body = s
			}
			var gz bytes.Buffer
			w, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
			w.Write([]byte(body))
			w.Close()
			b.ReportMetric(float64(len(body)), "bytes")
			b.ReportMetric(float64(gz.Len()), "gzip-bytes")
			b.ReportMetric(float64(strings.Count(body, "\n")-1), "rows")
		})
	}
}

// BenchmarkResurveySubmissions is BenchmarkSubmissions with the update
// form: each submission re-surveys one of last round's households (found
// by key, its members linked, one moved out, one joined), so the server
// also reads last round's record and writes the history of what changed.
//
//	go test ./internal/openrosa -run XXX -bench ResurveySubmissions -benchtime 2000x
func BenchmarkResurveySubmissions(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchResurvey(b, newFixture(b, 0)) })
	b.Run("postgres", func(b *testing.B) {
		benchResurvey(b, newFixtureOn(b, storetest.MustOpenDSN(b, storetest.PostgresDSN(b)), 0))
	})
}

func benchResurvey(b *testing.B, f *fixture) {
	prev := tambonOfLastRound(b, f, b.N)
	bodies := make([][]byte, b.N)
	types := make([]string, b.N)
	for i, p := range prev {
		h := *p
		h.RoundID = roundID
		h.Members = append([]survey.Member(nil), p.Members...)
		rs := &xform.Resurvey{PrevKey: p.Key(), Visit: xform.VisitInterviewed}
		if len(h.Members) > 2 { // the last one moved out (two or more stay: the same questions apply)
			h.Members = h.Members[:len(h.Members)-1]
			rs.Departed = []xform.Departed{{PrevNo: len(p.Members), Presence: xform.PresenceMovedOut}}
		}
		for j := range h.Members {
			rs.Links = append(rs.Links, j+1)
		}
		h.Members[0].Occupation = "trade"
		body, ct := collectBody(xform.EncodeResurvey(f.form, f.eng.Set(), &h, rs, fmt.Sprintf("uuid:rs-bench-%d", i), ""), nil)
		bodies[i], types[i] = body.Bytes(), ct
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next, failed atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			req := collectRequest("POST", f.keyURL()+"/submission", bytesReader(bodies[i]))
			req.Header.Set("Content-Type", types[i])
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			var out bytes.Buffer
			out.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated || strings.Contains(out.String(), "not yet") {
				if failed.Add(1) == 1 {
					b.Log(out.String())
				}
			}
		}
	})
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d re-surveys were not saved", n, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "submissions/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/submission")
}
