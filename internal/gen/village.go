package gen

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"tambon/internal/area"
)

// Villages returns the codes of the villages under an area code of any level
// (the code itself for a village), sorted by code; nil for an unknown code.
func Villages(tree *area.Tree, code string) []string {
	a, ok := tree.Get(code)
	if !ok {
		return nil
	}
	if a.Level == area.Village {
		return []string{code}
	}
	var out []string
	var walk func(string)
	walk = func(c string) {
		for _, ch := range tree.Children(c) {
			if ch.Level == area.Village {
				out = append(out, ch.Code)
			} else {
				walk(ch.Code)
			}
		}
	}
	walk(code)
	slices.Sort(out)
	return out
}

// Age bands of the population urn.
const (
	bandChild = iota // 0-14
	bandAdult        // 15-59
	bandElder        // 60+
	nBands
)

// calib steers one indicator's failures in a village towards its target.
type calib struct {
	all, fail         int64 // TPMAP's target: people applicable, people failing
	seenAll, seenFail int64 // generated so far
	rate              float64
	targeted          bool
}

// village is the state of one village's generation. Everything random comes
// from its own stream, so the village does not depend on its neighbours.
type village struct {
	code     string
	pcg      rand.PCG
	rng      *rand.Rand
	hhLeft   int64
	memLeft  int64
	band     [nBands]int64 // people of each band still to place
	disLeft  int64
	chrLeft  int64
	ind      [NumIndicators]calib
	incomeMu float64 // log-mean of income per person
	lat, lon float64 // village centre; 0 when the province is unknown
	hasGPS   bool
	day0     int // first survey day (0 = 1 January)
	houseNo  int
	houseSub int
	hhSeq    int
	serial   [2]int // citizen-ID serials: born 1984 or later, before
}

// start resets v for one village.
func (v *village) start(code string, seed uint64, t Target, hasTarget bool) {
	*v = village{code: code}
	h := fnv.New64a()
	h.Write([]byte(code))
	v.pcg.Seed(seed, h.Sum64())
	v.rng = rand.New(&v.pcg)
	r := v.rng

	var hh, mem int64
	if hasTarget && t.Households > 0 {
		hh, mem = t.Households, max(t.Members, t.Households)
	} else {
		hh = int64(math.Round(nationalVillageSize * math.Exp(0.45*r.NormFloat64()-0.1)))
		hh = min(max(hh, 20), 1500)
		mem = int64(math.Round(float64(hh) * nationalHouseholdSize * math.Exp(0.08*r.NormFloat64())))
		mem = max(mem, hh)
	}
	v.hhLeft, v.memLeft = hh, mem

	if hasTarget && t.People {
		v.band[bandElder] = min(t.Elderly, mem)
		v.disLeft, v.chrLeft = min(t.Disabled, mem), min(t.Chronic, mem)
	} else {
		v.band[bandElder] = int64(math.Round(float64(mem) * shareElderly))
		v.disLeft = int64(math.Round(float64(mem) * shareDisabled))
		v.chrLeft = int64(math.Round(float64(mem) * shareChronic))
	}
	rest := mem - v.band[bandElder]
	v.band[bandChild] = int64(math.Round(float64(rest) * shareChildren / (1 - shareElderly)))
	v.band[bandAdult] = rest - v.band[bandChild]

	// A target with indicator figures steers every indicator: one whose All
	// is 0 had nobody applicable in TPMAP, so nobody here fails it either.
	figures := false
	for i := range t.Fail {
		figures = figures || hasTarget && t.Fail[i].All > 0
	}
	for i := range v.ind {
		c := &v.ind[i]
		c.rate = nationalFail[i]
		if figures {
			c.targeted = true
			c.all, c.fail = t.Fail[i].All, min(t.Fail[i].Fail, t.Fail[i].All)
			c.rate = float64(c.fail) / float64(max(c.all, 1))
		}
	}

	const sigma = 0.65
	v.incomeMu = math.Log(incomeMean) - sigma*sigma/2 + 0.2*r.NormFloat64()
	lat, lon, spread, ok := centroid(code)
	v.lat = lat + spread*(r.Float64()-0.5)
	v.lon = lon + spread*(r.Float64()-0.5)
	v.hasGPS = ok
	v.day0 = r.IntN(100)
}

// decide says whether a household of res residents, where indicator i
// applies, fails it. With a target it samples without replacement: the
// chance is the people still to fail over the people still to count, so the
// village's failing people land within about one household of the target.
func (v *village) decide(i int, res int64) bool {
	c := &v.ind[i]
	p := c.rate
	if c.targeted {
		remA, remF := c.all-c.seenAll, c.fail-c.seenFail
		if remF <= 0 {
			p = 0
		} else {
			p = float64(remF) / float64(max(remA, res))
		}
	}
	fail := v.rng.Float64() < p
	c.seenAll += res
	if fail {
		c.seenFail += res
	}
	return fail
}

// size draws the next household's size so that the village's members come
// out exactly: 1 + Poisson(mean-1) around the mean still to place, clamped
// so that every remaining household can have between 1 and maxSize people.
func (v *village) size() int {
	const maxSize = 15
	if v.hhLeft == 1 {
		return int(v.memLeft)
	}
	mean := float64(v.memLeft) / float64(v.hhLeft)
	s := int64(1 + poisson(v.rng, mean-1))
	lo := max(1, v.memLeft-(v.hhLeft-1)*maxSize)
	hi := v.memLeft - (v.hhLeft - 1)
	return int(min(max(s, lo), hi))
}

// poisson draws from a Poisson distribution by multiplying uniforms (fine
// for the small means of household sizes).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l || k > 40 {
			return k
		}
		k++
	}
}

// draw takes one person from the urn, from the bands allowed by mask (bit
// per band), in proportion to what remains; when the allowed bands are
// empty it takes from any. It returns the band and the urn as it was before
// the draw, for weighted sampling of flags.
func (v *village) draw(mask int) (int, [nBands]int64) {
	before := v.band
	var tot int64
	for b := range nBands {
		if mask&(1<<b) != 0 {
			tot += v.band[b]
		}
	}
	if tot == 0 {
		mask = 1<<nBands - 1
		for b := range nBands {
			tot += v.band[b]
		}
	}
	if tot == 0 {
		return bandAdult, before // more people than the urn: cannot happen
	}
	x := v.rng.Int64N(tot)
	for b := range nBands {
		if mask&(1<<b) == 0 {
			continue
		}
		if x < v.band[b] {
			v.band[b]--
			return b, before
		}
		x -= v.band[b]
	}
	return bandAdult, before
}

// drawOther draws a member who is neither head nor spouse, keeping enough
// adults in the urn for the heads and most spouses of the households still
// to come: without that reserve the last households of a village would be
// headed by children.
//
// pref (or -1) is a band to favour: an adult child living with old parents,
// an old parent living with a working-age head. It makes households mix
// generations as often as TPMAP's counts of people living with an older or
// a working-age person say they do.
func (v *village) drawOther(pref int) (int, [nBands]int64) {
	before := v.band
	reserve := int64(math.Ceil(1.8 * float64(v.hhLeft)))
	free := v.band[bandAdult] + v.band[bandElder] - reserve
	if free <= 0 {
		if v.band[bandChild] > 0 {
			v.band[bandChild]--
			return bandChild, before
		}
		return v.draw(1<<nBands - 1)
	}
	if pref >= 0 && v.band[pref] > 0 && v.rng.IntN(10) < 6 {
		v.band[pref]--
		return pref, before
	}
	tot := v.band[bandChild] + free
	x := v.rng.Int64N(tot)
	if x < v.band[bandChild] {
		v.band[bandChild]--
		return bandChild, before
	}
	b, _ := v.draw(1<<bandAdult | 1<<bandElder)
	return b, before
}

// pick says whether the person just drawn (of band b, urn before) is one of
// the left people still to flag, with band weights w: weighted sampling
// without replacement, so the village's count lands on left's start.
func (v *village) pick(left *int64, b int, before [nBands]int64, w [nBands]float64) bool {
	if *left <= 0 {
		return false
	}
	var tot float64
	for k := range nBands {
		tot += float64(before[k]) * w[k]
	}
	if tot <= 0 {
		return false
	}
	if v.rng.Float64() < float64(*left)*w[b]/tot {
		*left--
		return true
	}
	return false
}
