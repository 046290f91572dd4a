package store_test

import (
	"context"
	"maps"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/village"
)

func mustVillageRound(t *testing.T, s *store.Store, year int) village.Round {
	t.Helper()
	r := village.Round{ID: "kcc2k-" + itoa(year), SurveyYear: year, SetID: "kcc2k-2560-2564"}
	if err := s.CreateVillageRound(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r
}

func itoa(n int) string { return strconv.Itoa(n) }

// villagesUnder returns the village codes under a prefix in Ratchaburi.
func villagesUnder(t *testing.T, prefix string) []string {
	var out []string
	for _, a := range storetest.Ratchaburi(t) {
		if a.Level == area.Village && strings.HasPrefix(a.Code, prefix) {
			out = append(out, a.Code)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no villages under %s", prefix)
	}
	return out
}

func synthRecords(t *testing.T, codes []string, seed uint64) []village.Record {
	set, err := village.Lookup("kcc2k-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	recs := make([]village.Record, len(codes))
	for i, c := range codes {
		recs[i] = village.Record{Village: c, Answers: set.Synthetic(r, r.Float64())}
	}
	return recs
}

func TestVillageWriteRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rd := mustVillageRound(t, s, 2562)
		codes := villagesUnder(t, "700513")
		recs := synthRecords(t, codes, 1)
		sum, err := s.WriteVillages(ctx, rd.ID, recs, "tester")
		if err != nil {
			t.Fatal(err)
		}
		if sum.Inserted != len(recs) {
			t.Fatalf("summary %+v", sum)
		}
		got, err := s.VillageRecord(ctx, rd.ID, codes[0])
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got.Answers, recs[0].Answers) || got.Version != 1 || got.UpdatedBy != "tester" {
			t.Fatalf("read back %+v, want %+v", got, recs[0])
		}
		// Writing the same again changes nothing; a changed answer is an update.
		recs[1].Answers["k02"] = 12.5
		sum, err = s.WriteVillages(ctx, rd.ID, recs, "tester")
		if err != nil || sum.Updated != 1 || sum.Unchanged != len(recs)-1 {
			t.Fatalf("second write %+v %v", sum, err)
		}
		probs, err := s.VillageProblems(ctx, rd.ID, codes[1])
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range probs {
			if p.Code == "k02" {
				found = len(p.Villages) == 1 && p.Villages[0] == village.VillageScore{Village: codes[1], Score: 1, Value: 12.5} && p.Uncertain && p.Name.TH != ""
			}
		}
		if !found {
			t.Errorf("k02 at 12.5%% is not a serious problem of %s: %+v", codes[1], probs)
		}
		if _, err := s.VillageRecord(ctx, rd.ID, "70051399"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing village: %v", err)
		}
		if err := s.CreateVillageRound(ctx, rd); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("repeated round: %v", err)
		}
	})
}

func TestVillageWriteIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rd := mustVillageRound(t, s, 2562)
		codes := villagesUnder(t, "700513")
		tests := []struct {
			name string
			bad  func([]village.Record) []village.Record
			want string
		}{
			{"unknown village", func(r []village.Record) []village.Record { r[2].Village = "70051399"; return r }, "70051399"},
			{"a tambon, not a village", func(r []village.Record) []village.Record { r[2].Village = "700513"; return r }, "700513"},
			{"duplicate village", func(r []village.Record) []village.Record { r[2].Village = r[0].Village; return r }, codes[0]},
			{"bad answer", func(r []village.Record) []village.Record { r[2].Answers["k33"] = 9; return r }, "k33"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.WriteVillages(ctx, rd.ID, tc.bad(synthRecords(t, codes, 2)), "x")
				if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want invalid naming %s", err, tc.want)
				}
				c, err := s.VillageCounts(ctx, rd.ID, area.CountryCode)
				if err != nil || c.Villages != 0 {
					t.Fatalf("something was written: %d villages, %v", c.Villages, err)
				}
			})
		}
	})
}

// TestVillageRollUp proves every area's counts are the sum of its children's.
func TestVillageRollUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rd := mustVillageRound(t, s, 2562)
		codes := append(villagesUnder(t, "7005"), villagesUnder(t, "7001")...)
		if _, err := s.WriteVillages(ctx, rd.ID, synthRecords(t, codes, 3), "x"); err != nil {
			t.Fatal(err)
		}
		tree, err := area.Embedded()
		if err != nil {
			t.Fatal(err)
		}
		var check func(code string) village.Counts
		checked := 0
		check = func(code string) village.Counts {
			got, err := s.VillageCounts(ctx, rd.ID, code)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := tree.Get(code)
			if a.Level == area.Village {
				return got
			}
			sum := village.NewCounts()
			for _, ch := range tree.Children(code) {
				if ch.Code == "70" || strings.HasPrefix(ch.Code, "70") {
					sum.Add(check(ch.Code))
				}
			}
			if !sum.Equal(got) {
				t.Errorf("%s: counts %v/%v differ from the sum of its children %v/%v", code, got.Villages, got.ByLevel, sum.Villages, sum.ByLevel)
			}
			checked++
			return got
		}
		top := check(area.CountryCode)
		if top.Villages != len(codes) || top.ByLevel[1]+top.ByLevel[2]+top.ByLevel[3] != len(codes) {
			t.Fatalf("country counts %d villages %v, want %d", top.Villages, top.ByLevel, len(codes))
		}
		for code, n := range top.ByScore {
			if n[1]+n[2]+n[3] != len(codes) {
				t.Errorf("indicator %s scores %v do not cover %d villages", code, n, len(codes))
			}
		}
		if checked < 10 {
			t.Errorf("only %d parents checked", checked)
		}
		probs, err := s.VillageProblems(ctx, rd.ID, "7005")
		if err != nil {
			t.Fatal(err)
		}
		c7005, _ := s.VillageCounts(ctx, rd.ID, "7005")
		for _, p := range probs {
			if n := c7005.ByScore[p.Code]; p.Serious() != n[1] || p.Moderate() != n[2] {
				t.Errorf("problem %s lists %d/%d villages, counts say %v", p.Code, p.Serious(), p.Moderate(), n)
			}
		}
	})
}

func mustVillageRoundB(b *testing.B, s *store.Store, year int) string {
	b.Helper()
	id := "kcc2k-" + strconv.Itoa(year)
	if err := s.CreateVillageRound(context.Background(), village.Round{ID: id, SurveyYear: year, SetID: "kcc2k-2560-2564"}); err != nil {
		b.Fatal(err)
	}
	return id
}

// TestVillageCountsFollowEdits rewrites villages again and again (new
// answers, the same answers, a refused write) and requires every area's
// counts to equal a count made afresh from the stored records.
func TestVillageCountsFollowEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rd := mustVillageRound(t, s, 2562)
		set, err := village.Lookup(rd.SetID)
		if err != nil {
			t.Fatal(err)
		}
		codes := append(villagesUnder(t, "700513"), villagesUnder(t, "7001")...)
		if _, err := s.WriteVillages(ctx, rd.ID, synthRecords(t, codes, 1), "x"); err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(9, 9))
		for step := range 4 {
			var part []string
			for _, c := range codes {
				if r.IntN(3) == 0 {
					part = append(part, c)
				}
			}
			sum, err := s.WriteVillages(ctx, rd.ID, synthRecords(t, part, uint64(10+step)), "x")
			if err != nil {
				t.Fatal(err)
			}
			if sum.Updated == 0 {
				t.Fatalf("step %d updated nothing: %+v", step, sum)
			}
		}
		// A refused write (one unknown village) changes nothing.
		bad := append(synthRecords(t, codes[:5], 99), village.Record{Village: "70051399", Answers: synthRecords(t, codes[:1], 1)[0].Answers})
		if _, err := s.WriteVillages(ctx, rd.ID, bad, "x"); err == nil {
			t.Fatal("a write with an unknown village was taken")
		}
		check := func(when string) {
			t.Helper()
			for _, code := range []string{area.CountryCode, "70", "7005", "7001", "700513", codes[len(codes)-1][:6]} {
				want := village.NewCounts()
				err := s.EachVillageRecord(ctx, rd.ID, code, func(rec village.Record) error {
					res, err := set.Evaluate(rec.Answers)
					if err != nil {
						return err
					}
					want.AddResult(res)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.VillageCounts(ctx, rd.ID, code)
				if err != nil {
					t.Fatal(err)
				}
				if want.Villages == 0 || !got.Equal(want) {
					t.Errorf("%s, %s: counts %d %v, a fresh count of the records gives %d %v", when, code, got.Villages, got.ByLevel, want.Villages, want.ByLevel)
				}
			}
		}
		check("after the edits")
		// A database upgraded to the schema with village_stats gets the same counts.
		if err := s.RebuildVillageStatsForTest(ctx); err != nil {
			t.Fatal(err)
		}
		check("built by the migration")
	})
}
