package gen_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"tambon/internal/gen"
	"tambon/internal/survey"
	"tambon/internal/thai"
)

// TestHouseholdsValidate checks every generated household is a complete
// record the survey accepts, in a calibrated tambon and in villages of other
// provinces with no target.
func TestHouseholdsValidate(t *testing.T) {
	tr := MustTree(t)
	targets := MustTargets(t)
	tests := []struct {
		name     string
		villages []string
		targets  map[string]gen.Target
	}{
		{"Khao Khlung with TPMAP targets", sortedKeys(targets, "700513"), targets},
		{"a Chiang Rai tambon, national rates", gen.Villages(tr, tr.Children(tr.Children("57")[0].Code)[0].Code), nil},
		{"Chiang Mai villages, national rates", firstVillages(t, "50", 5), nil},
		{"a Narathiwat amphoe, national rates", firstVillages(t, "96", 10), nil},
	}
	ref := survey.ReferenceDate(2561)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.villages) == 0 {
				t.Fatal("no villages")
			}
			n, bad := 0, 0
			MustGenerate(t, Options(t, 7, tt.targets), tt.villages, func(h *survey.Household) bool {
				n++
				if h.Status != survey.Complete {
					t.Fatalf("status %q", h.Status)
				}
				if ps := survey.Validate(h, MustSet(t), ref); ps != nil {
					bad++
					if bad <= 3 {
						b, _ := json.Marshal(h)
						t.Errorf("household %s: %v\n%s", h.Key(), ps, b)
					}
				}
				return true
			})
			if bad > 0 {
				t.Errorf("%d of %d households fail validation", bad, n)
			}
		})
	}
}

// firstVillages returns up to n villages under a province code that exist in
// the tree.
func firstVillages(t *testing.T, province string, n int) []string {
	vs := gen.Villages(MustTree(t), province)
	return vs[:min(n, len(vs))]
}

// digest hashes the JSON of every household Generate yields.
func digest(t *testing.T, seed uint64, villages []string, only string) (string, int) {
	h := sha256.New()
	n := 0
	MustGenerate(t, Options(t, seed, MustTargets(t)), villages, func(hh *survey.Household) bool {
		if only != "" && hh.VillageCode != only {
			return true
		}
		b, err := json.Marshal(hh)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
		n++
		return true
	})
	return fmt.Sprintf("%x", h.Sum(nil)), n
}

func TestDeterministic(t *testing.T) {
	a := "70051304"
	tambon := sortedKeys(MustTargets(t), "700513")
	base, n := digest(t, 1, []string{a}, "")
	if n == 0 {
		t.Fatal("no households")
	}
	tests := []struct {
		name     string
		seed     uint64
		villages []string
		same     bool
	}{
		{"same seed again", 1, []string{a}, true},
		{"village alone equals it inside its tambon", 1, tambon, true},
		{"village alone equals it after an untargeted village", 1, []string{"57010101", a}, true},
		{"another seed differs", 2, []string{a}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, m := digest(t, tt.seed, tt.villages, a)
			if (got == base) != tt.same || m == 0 {
				t.Errorf("digest %s (%d households), base %s (%d), want same=%v", got, m, base, n, tt.same)
			}
		})
	}
}

// TestRatchaburiCounts generates the whole province against TPMAP and
// checks households and members per village exactly, and identifiers unique.
func TestRatchaburiCounts(t *testing.T) {
	targets := MustTargets(t)
	villages := sortedKeys(targets, "")
	type got struct{ hh, mem, elderly, disabled, chronic int64 }
	counts := make(map[string]*got, len(villages))
	ids := make(map[string]bool, 520_000)
	houses := make(map[string]bool, 170_000)
	keys := make(map[string]bool, 170_000)
	dupID, dupHouse, dupKey, badID := 0, 0, 0, 0
	ref := survey.ReferenceDate(2561)
	MustGenerate(t, Options(t, 3, targets), villages, func(h *survey.Household) bool {
		c := counts[h.VillageCode]
		if c == nil {
			c = &got{}
			counts[h.VillageCode] = c
		}
		c.hh++
		c.mem += int64(len(h.Members))
		for i := range h.Members {
			m := &h.Members[i]
			if m.AgeAt(ref) >= 60 {
				c.elderly++
			}
			if m.Disabled {
				c.disabled++
			}
			if m.ChronicIll {
				c.chronic++
			}
			if ids[m.CitizenID] {
				dupID++
			}
			ids[m.CitizenID] = true
			if thai.ValidCitizenID(m.CitizenID) != nil || m.CitizenID[0] < '1' || m.CitizenID[0] > '8' {
				badID++
			}
		}
		if h.HouseCode != "" {
			if houses[h.HouseCode] || !strings.HasPrefix(h.HouseCode, h.VillageCode[:4]) {
				dupHouse++
			}
			houses[h.HouseCode] = true
		}
		if keys[h.Key()] {
			dupKey++
		}
		keys[h.Key()] = true
		return true
	})
	if dupID+dupHouse+dupKey+badID > 0 {
		t.Errorf("duplicate citizen IDs %d, bad IDs %d, duplicate or misplaced house codes %d, duplicate keys %d", dupID, badID, dupHouse, dupKey)
	}
	var off [3]int
	for _, code := range villages {
		tg, c := targets[code], counts[code]
		if c == nil || c.hh != tg.Households || c.mem != tg.Members {
			t.Errorf("village %s: got %+v, want %d households, %d members", code, c, tg.Households, tg.Members)
			continue
		}
		if c.elderly != tg.Elderly {
			off[0]++
		}
		if d := c.disabled - tg.Disabled; d < -2 || d > 2 {
			off[1]++
		}
		if d := c.chronic - tg.Chronic; d < -3 || d > 3 {
			off[2]++
		}
	}
	// Elderly come out of an exact urn; the disabled and the chronically ill
	// are sampled by age with weights, which lands within a person or two.
	if off[0] > 0 || off[1] > len(villages)/50 || off[2] > len(villages)/50 {
		t.Errorf("villages off target: elderly %d, disabled %d, chronic %d (of %d)", off[0], off[1], off[2], len(villages))
	}
}

func TestVillages(t *testing.T) {
	tr := MustTree(t)
	tests := []struct {
		name string
		code string
		want func([]string) bool
	}{
		{"a village is itself", "70051304", func(v []string) bool { return len(v) == 1 && v[0] == "70051304" }},
		{"a tambon's villages", "700513", func(v []string) bool { return len(v) == len(tr.Children("700513")) && len(v) > 0 }},
		{"a province, sorted and all under it", "70", func(v []string) bool {
			for i, c := range v {
				if !strings.HasPrefix(c, "70") || len(c) != 8 || i > 0 && v[i-1] >= c {
					return false
				}
			}
			return len(v) > 800
		}},
		{"unknown code", "99", func(v []string) bool { return v == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gen.Villages(tr, tt.code); !tt.want(got) {
				t.Errorf("Villages(%s) = %d codes %v…", tt.code, len(got), got[:min(3, len(got))])
			}
		})
	}
}

func TestGenerateRefuses(t *testing.T) {
	tests := []struct {
		name     string
		opts     func(gen.Options) gen.Options
		villages []string
	}{
		{"no set", func(o gen.Options) gen.Options { o.Set = nil; return o }, []string{"70051304"}},
		{"a Common Era year", func(o gen.Options) gen.Options { o.SurveyYear = 2018; return o }, []string{"70051304"}},
		{"a tambon code", func(o gen.Options) gen.Options { return o }, []string{"700513"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := gen.Generate(tt.opts(Options(t, 1, nil)), tt.villages, func(*survey.Household) bool { return true })
			if err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestYieldStops(t *testing.T) {
	n := 0
	MustGenerate(t, Options(t, 1, nil), []string{"70051304", "70051305"}, func(*survey.Household) bool {
		n++
		return n < 5
	})
	if n != 5 {
		t.Errorf("yield called %d times after returning false at 5", n)
	}
}
