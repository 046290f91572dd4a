package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/village"
	"tambon/internal/xform"
)

// builtinFile returns the file of a set built into tambon.
func builtinFile(t *testing.T, id string) []byte {
	t.Helper()
	set, err := indicator.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	return set.File()
}

// Migration 0013 stores every built-in set, byte for byte, as version 1.
func TestBuiltinSetsAreVersionOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		vs, err := s.SetVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]byte{}
		for _, set := range indicator.Sets() {
			want[set.ID] = set.File()
		}
		for _, set := range village.Sets() {
			want[set.ID] = set.File()
		}
		if len(vs) != len(want) {
			t.Fatalf("%d stored versions, want %d: %+v", len(vs), len(want), vs)
		}
		for _, v := range vs {
			_, body, err := s.SetVersion(ctx, v.ID, 1)
			if err != nil {
				t.Fatal(err)
			}
			if v.Version != 1 || !bytes.Equal(body, want[v.ID]) {
				t.Errorf("%s: version %d, file equal to the built-in one: %v", v.ID, v.Version, bytes.Equal(body, want[v.ID]))
			}
		}
	})
}

// brokenSets are set files that must be refused whole, each with the place in
// the file the refusal must name.
var brokenSets = []struct{ name, from, to, where string }{
	{"not JSON", `"id": "bmn-2566-2570"`, `"id": "bmn-2566-2570",,`, "line"},
	{"unknown field", `"provisional": true`, `"provisional": true, "colour": "red"`, "colour"},
	{"wrong rule", `"gte": 2500`, `"gte": "heavy"`, "indicators[1] (H02).pass.gte"},
	{"unknown question in a rule", `"pass": {"q": "h03", "eq": true}`, `"pass": {"q": "h99", "eq": true}`, "indicators["},
	{"bad threshold year", `"2566": 100000`, `"1999": 100000`, "thresholds.welfare_income_cap.by_year"},
	{"bad question type", `"type": "number"`, `"type": "text"`, "questions["},
	{"bad set id", `"id": "bmn-2566-2570"`, `"id": "BMN 2566"`, "id"},
	{"bad period", `"period": [2566, 2570]`, `"period": [2570, 2566]`, "period"},
}

// A broken file is refused with where and why, in Thai and English, and
// nothing is stored.
func TestImportSetRefusesBrokenFiles(t *testing.T) {
	good := string(builtinFile(t, "bmn-2566-2570"))
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		before, _ := s.SetVersions(ctx)
		for _, tc := range brokenSets {
			t.Run(tc.name, func(t *testing.T) {
				if !strings.Contains(good, tc.from) {
					t.Fatalf("the built-in file has no %q", tc.from)
				}
				bad := strings.Replace(good, tc.from, tc.to, 1)
				_, _, err := s.ImportSet(ctx, []byte(bad), "test", "")
				if !apperr.Is(err, apperr.Invalid) {
					t.Fatalf("err = %v, want invalid", err)
				}
				msg := apperr.MessageOf(err)
				if !strings.Contains(msg.EN, tc.where) || !strings.Contains(msg.TH, tc.where) || msg.TH == msg.EN {
					t.Errorf("the refusal does not say where (%q) in both languages:\nTH %s\nEN %s", tc.where, msg.TH, msg.EN)
				}
			})
		}
		badVillage := strings.Replace(string(village.Sets()[0].File()), `"better": "higher"`, `"better": "sideways"`, 1)
		if _, _, err := s.ImportSet(ctx, []byte(badVillage), "test", ""); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(apperr.MessageOf(err).EN, "indicators[") {
			t.Errorf("a broken กชช. 2ค set: %v", err)
		}
		after, _ := s.SetVersions(ctx)
		if len(after) != len(before) {
			t.Errorf("refused files stored versions: %d before, %d after", len(before), len(after))
		}
	})
}

// A round keeps the set version it was opened with when a new version is
// imported; rounds opened afterwards get the new one; the same file again
// stores nothing.
func TestRoundKeepsItsSetVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2566", Kind: survey.KindBMN, SurveyYear: 2566, SetID: "bmn-2566-2570"}); err != nil {
			t.Fatal(err)
		}
		v1 := builtinFile(t, "bmn-2566-2570")
		if _, created, err := s.ImportSet(ctx, v1, "test", ""); err != nil || created {
			t.Fatalf("the same file again: created %v, %v", created, err)
		}
		changed := bytes.Replace(v1, []byte(`"2566": 100000`), []byte(`"2566": 90000`), 1)
		v, created, err := s.ImportSet(ctx, changed, "official", "welfare cap corrected")
		if err != nil || !created || v.Version != 2 || v.CreatedBy != "official" {
			t.Fatalf("import: %+v created %v, %v", v, created, err)
		}
		if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2567", Kind: survey.KindBMN, SurveyYear: 2567, SetID: "bmn-2566-2570"}); err != nil {
			t.Fatal(err)
		}
		old, err := s.Round(ctx, "bmn-2566")
		if err != nil {
			t.Fatal(err)
		}
		if old.SetVersion != 1 || old.SetDigest != indicator.Digest(v1) {
			t.Errorf("the old round moved to version %d", old.SetVersion)
		}
		eng, err := engine.ForRound(old)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := eng.Set().Threshold("welfare_income_cap", 2566); got != 100000 {
			t.Errorf("the old round is judged with a cap of %v, want its version's 100000", got)
		}
		nw, err := s.Round(ctx, "bmn-2567")
		if err != nil || nw.SetVersion != 2 {
			t.Fatalf("the new round: version %d, %v", nw.SetVersion, err)
		}
		e2, err := engine.ForRound(survey.Round{ID: "x", SurveyYear: 2566, SetID: nw.SetID, SetVersion: 2, SetDigest: nw.SetDigest})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := e2.Set().Threshold("welfare_income_cap", 2566); got != 90000 {
			t.Errorf("version 2 has a cap of %v, want 90000", got)
		}
		vs, _ := s.SetVersions(ctx)
		uses := map[int][]string{}
		for _, v := range vs {
			if v.ID == "bmn-2566-2570" {
				uses[v.Version] = v.Rounds
			}
		}
		if strings.Join(uses[1], ",") != "bmn-2566" || strings.Join(uses[2], ",") != "bmn-2567" {
			t.Errorf("rounds by version: %v", uses)
		}
		// A set id of the other kind is a conflict.
		vfile := bytes.Replace(village.Sets()[0].File(), []byte(`"id": "kcc2k-2560-2564"`), []byte(`"id": "bmn-2566-2570"`), 1)
		if _, _, err := s.ImportSet(ctx, vfile, "test", ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a village set under a household set's id: %v", err)
		}
	})
}

// The figures of a round judged by its stored set (version 1) are those of
// the set built into tambon, as they were before sets lived in the database.
func TestStoredSetJudgesAsBuiltIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		before := mustEngine(t) // the built-in set, as before migration 0013
		mustRound(t, s, "bmn-2564", false)
		hs := surveyfile.Example(before.Set(), "70051304", 40, 3)
		if _, err := s.WriteHouseholds(ctx, before, "bmn-2564", hs, "test", nil); err != nil {
			t.Fatal(err)
		}
		rd, err := s.Round(ctx, "bmn-2564")
		if err != nil {
			t.Fatal(err)
		}
		after, err := engine.ForRound(rd)
		if err != nil {
			t.Fatal(err)
		}
		if after.Set() == before.Set() {
			t.Fatal("the stored round is judged by the built-in set itself, not by the stored file")
		}
		assertStatsMatch(t, s, after, "bmn-2564")
	})
}

// FuzzParseSetFile feeds the set-file reader mangled files of both kinds: it
// refuses them with an Invalid error and never panics, and a file it accepts
// has an id, a kind and a period.
func FuzzParseSetFile(f *testing.F) {
	for _, set := range indicator.Sets() {
		f.Add(set.File())
	}
	for _, set := range village.Sets() {
		f.Add(set.File())
	}
	f.Add([]byte(`{"id": "x", "levels": {}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		sf, err := store.ParseSetFile(b)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("code %s for %v", apperr.CodeOf(err), err)
			}
			return
		}
		if sf.ID == "" || (sf.Kind != store.SetKindHousehold && sf.Kind != store.SetKindVillage) || sf.PeriodFrom > sf.PeriodTo {
			t.Fatalf("accepted %+v", sf)
		}
	})
}

// Setting a threshold makes a new version that differs only in that value,
// and a round that used the set, recomputed from its stored households under
// the new version, equals a recompute from scratch (what tambon check proves);
// a stale recompute is refused.
func TestThresholdRecomputesRound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2570", Kind: survey.KindBMN, SurveyYear: 2570, SetID: "bmn-2566-2570"}); err != nil {
			t.Fatal(err)
		}
		rd, _ := s.Round(ctx, "bmn-2570")
		before, err := engine.ForRound(rd)
		if err != nil {
			t.Fatal(err)
		}
		hs := surveyfile.Example(before.Set(), "70051304", 60, 7)
		if _, err := s.WriteHouseholds(ctx, before, "bmn-2570", hs, "test", nil); err != nil {
			t.Fatal(err)
		}
		old, err := s.AllTotals(ctx, before, "bmn-2570")
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.SetThreshold(ctx, "bmn-2566-2570", "income_threshold", 2570, 38000, "official")
		if err != nil {
			t.Fatal(err)
		}
		if !c.Created || c.Version != 2 || c.HadOld || c.Rounds["bmn-2570"] != 1 {
			t.Fatalf("change: %+v", c)
		}
		v1, body1, _ := s.SetVersion(ctx, "bmn-2566-2570", 1)
		if !bytes.Equal(body1, builtinFile(t, "bmn-2566-2570")) {
			t.Error("setting a threshold rewrote version 1")
		}
		v2, body2, _ := s.SetVersion(ctx, "bmn-2566-2570", 2)
		if len(body2) <= len(body1) || v2.Digest == v1.Digest || !strings.Contains(v2.Note, "none → 38000") {
			t.Errorf("version 2: %+v", v2)
		}
		// Until the round is moved it keeps version 1 and its figures.
		if rd, _ = s.Round(ctx, "bmn-2570"); rd.SetVersion != 1 {
			t.Fatalf("the round moved before its recompute: %d", rd.SetVersion)
		}
		moved := rd
		moved.SetVersion, moved.SetDigest = 2, v2.Digest
		after, err := engine.ForRound(moved)
		if err != nil {
			t.Fatal(err)
		}
		if th, ok := after.Set().Threshold("income_threshold", 2570); !ok || th != 38000 {
			t.Fatalf("version 2's threshold: %v %v", th, ok)
		}
		gen, _ := s.StatsGeneration(ctx)
		fresh := recompute(t, s, after, "bmn-2570")
		if err := s.RepinRound(ctx, "bmn-2570", 1, 2, gen-1, fresh); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a recompute older than the last write: %v", err)
		}
		if err := s.RepinRound(ctx, "bmn-2570", 1, 2, gen, fresh); err != nil {
			t.Fatal(err)
		}
		rd, _ = s.Round(ctx, "bmn-2570")
		if rd.SetVersion != 2 || rd.SetDigest != v2.Digest {
			t.Fatalf("the round is on version %d", rd.SetVersion)
		}
		assertStatsMatch(t, s, after, "bmn-2570")
		now, _ := s.AllTotals(ctx, after, "bmn-2570")
		if now["70051304"].Equal(old["70051304"]) {
			t.Error("an income line for the year changed no figure")
		}
		// The same command again stores nothing and moves nothing more.
		c, err = s.SetThreshold(ctx, "bmn-2566-2570", "income_threshold", 2570, 38000, "official")
		if err != nil || c.Created || len(c.Rounds) != 0 {
			t.Errorf("again: %+v, %v", c, err)
		}
		for _, bad := range []struct {
			name string
			year int
		}{{"no_such_threshold", 2570}, {"income_threshold", 2565}} {
			if _, err := s.SetThreshold(ctx, "bmn-2566-2570", bad.name, bad.year, 1, "official"); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%s %d: %v", bad.name, bad.year, err)
			}
		}
	})
}

// A local indicator (the worked example of docs/indicators.md) imported as
// a new version is judged, and its question asked by the phone form (XForm),
// in the rounds opened after it, and in no round opened before.
func TestLocalIndicatorReachesNewRoundsOnly(t *testing.T) {
	local, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", "bmn-2566-2570-local.json"))
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2566", Kind: survey.KindBMN, SurveyYear: 2566, SetID: "bmn-2566-2570"}); err != nil {
			t.Fatal(err)
		}
		if _, created, err := s.ImportSet(ctx, local, "province", "local indicator"); err != nil || !created {
			t.Fatalf("import: %v %v", created, err)
		}
		if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2567", Kind: survey.KindBMN, SurveyYear: 2567, SetID: "bmn-2566-2570"}); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]bool{"bmn-2566": false, "bmn-2567": true} {
			rd, err := s.Round(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			eng, err := engine.ForRound(rd)
			if err != nil {
				t.Fatal(err)
			}
			judged := false
			for _, ind := range eng.Set().Indicators {
				judged = judged || ind.Code == "LOC01"
			}
			form, err := xform.Build(rd, eng.Set())
			if err != nil {
				t.Fatal(err)
			}
			asked := bytes.Contains(form.XML, []byte("loc01_sorts_waste"))
			if judged != want || asked != want {
				t.Errorf("%s (version %d): LOC01 judged %v, asked by the XForm %v; want %v", id, rd.SetVersion, judged, asked, want)
			}
		}
	})
}
