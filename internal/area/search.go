package area

import (
	"slices"
	"sort"
	"strings"
)

// Match is one search result.
type Match struct {
	Area   Area
	Path   string // the area and what contains it, as in a Thai address: "ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี"
	PathEN string // the same in English: "Khao Khlung, Ban Pong, Ratchaburi"
	// Score says how well the query matched; higher is better. The place the
	// query names scores 300 for an exact name or code, 200 for a prefix, 100
	// for a substring; each other place in the query ("เขาขลุง บ้านโป่ง")
	// adds 3, 2 or 1 for how well it matched a containing area.
	Score int
}

// Search finds areas the way Thai users type them:
//
//   - by code, exact or a prefix ("700513", "7005");
//   - by Thai or English name, whole, prefix or substring, with spaces,
//     punctuation and English case ignored ("เขาขลุง", "khao khlung", "ขลุง");
//   - with level words, which restrict the name they go with: ต./ตำบล/แขวง,
//     อ./อำเภอ/เขต, จ./จังหวัด, บ้าน (a village), Tambon, Amphoe, Province,
//     District ("ต.เขาขลุง" finds tambons only);
//   - with a village number: หมู่ 4, หมู่ที่ 4, ม.4, Moo 4;
//   - naming several places, which narrow each other: "เขาขลุง บ้านโป่ง",
//     "ต.เขาขลุง อ.บ้านโป่ง" and "หมู่ 4 เขาขลุง" each name one area. In
//     English, separate places with a comma or a level word ("Khao Khlung,
//     Ban Pong").
//
// Results are ranked by Score (exact over prefix over substring), then
// wider levels first, then Thai dictionary order, then code. A name shared by
// many places (หนองบัว) lists every one, each with its Path to tell them
// apart. limit caps the number of results; limit <= 0 returns all.
func (t *Tree) Search(q string, limit int) []Match {
	pq := parseQuery(q)
	var hits []hit
	switch {
	case len(pq.terms) == 0 && pq.moo == 0:
		return nil
	case len(pq.codes) == len(pq.terms) && pq.moo == 0:
		hits = t.searchCodes(pq.codes)
	default:
		hits = t.searchTerms(pq)
		if len(hits) == 0 {
			hits = t.searchVariants(pq)
		}
		if strings.TrimSpace(q) == CountryCode {
			hits = append(hits, hit{0, 100 * int(kindExact)}) // the country's code
		}
	}
	return t.matches(t.top(hits, limit))
}

// hit is a candidate result.
type hit struct {
	idx   int32
	score int
}

// searchCodes finds areas whose code equals or starts with each code.
func (t *Tree) searchCodes(codes []string) []hit {
	var hits []hit
	rest := t.areas[1:] // sorted by code; the country is first and has no digits
	for _, c := range codes {
		i := sort.Search(len(rest), func(j int) bool { return rest[j].Code >= c })
		for ; i < len(rest) && strings.HasPrefix(rest[i].Code, c); i++ {
			kind := kindPrefix
			if rest[i].Code == c {
				kind = kindExact
			}
			hits = append(hits, hit{int32(i + 1), 100 * int(kind)})
		}
	}
	return hits
}

// termHits are the areas one term matched, with how well.
type termHits struct {
	kind []uint8 // by area index; kindNone if not matched
	list []int32 // the matched area indexes
}

// matchTerm finds the areas a term names, at the levels it allows.
func (t *Tree) matchTerm(tm term) termHits {
	th := termHits{kind: make([]uint8, len(t.areas))}
	for _, a := range tm.alts {
		t.index.find(a.key, func(kind uint8, areas []int32) {
			for _, i := range areas {
				if !a.mask.has(t.areas[i].Level) || th.kind[i] >= kind {
					continue
				}
				if th.kind[i] == kindNone {
					th.list = append(th.list, i)
				}
				th.kind[i] = kind
			}
		})
	}
	return th
}

// bestAbove returns how well a term matched any area containing i (and i
// itself when self is true).
func (t *Tree) bestAbove(th termHits, i int32, self bool) uint8 {
	best := kindNone
	if !self {
		i = t.parent[i]
	}
	for ; i >= 0; i = t.parent[i] {
		best = max(best, th.kind[i])
	}
	return best
}

// searchTerms runs a parsed query. Without a village number, one term names
// the result and every other term must name an area containing it; each term
// is tried as the named one. With a village number, the result is a village
// with that number, and every term must name it or an area containing it.
func (t *Tree) searchTerms(q query) []hit {
	terms := make([]termHits, len(q.terms))
	for i, tm := range q.terms {
		terms[i] = t.matchTerm(tm)
		if len(terms[i].list) == 0 {
			return nil
		}
	}
	if q.moo == 0 && len(terms) == 1 {
		hits := make([]hit, len(terms[0].list))
		for k, a := range terms[0].list {
			hits[k] = hit{a, 100 * int(terms[0].kind[a])}
		}
		return hits
	}
	var hits []hit
	if q.moo > 0 {
		for _, v := range t.mooCandidates(q.moo, terms) {
			s := 100 * int(kindExact)
			for _, th := range terms {
				k := t.bestAbove(th, v, true)
				if k == kindNone {
					s = -1
					break
				}
				s += int(k)
			}
			if s >= 0 {
				hits = append(hits, hit{v, s})
			}
		}
		return hits
	}
	// An area may be named by more than one term; top keeps its best score.
	for i, named := range terms {
		for _, a := range named.list {
			s := 100 * int(named.kind[a])
			for j, th := range terms {
				if j == i {
					continue
				}
				k := t.bestAbove(th, a, false)
				if k == kindNone {
					s = -1
					break
				}
				s += int(k)
			}
			if s >= 0 {
				hits = append(hits, hit{a, s})
			}
		}
	}
	return hits
}

// mooCandidates lists the villages numbered moo that lie in (or are) an area
// matched by the term with the fewest matches, or all villages numbered moo
// when there is no term.
func (t *Tree) mooCandidates(moo int, terms []termHits) []int32 {
	if len(terms) == 0 {
		return t.byMoo[moo]
	}
	gen := terms[0]
	for _, th := range terms[1:] {
		if len(th.list) < len(gen.list) {
			gen = th
		}
	}
	seen := map[int32]bool{}
	var out []int32
	var walk func(i int32)
	walk = func(i int32) {
		switch t.areas[i].Level {
		case Country:
			for _, v := range t.byMoo[moo] {
				if !seen[v] {
					seen[v] = true
					out = append(out, v)
				}
			}
		case Village:
			if t.areas[i].Moo == moo && !seen[i] {
				seen[i] = true
				out = append(out, i)
			}
		case Subdistrict:
			// Villages are in code order, which is หมู่ order.
			kids := t.children[i]
			k, ok := slices.BinarySearchFunc(kids, moo, func(v int32, m int) int { return t.areas[v].Moo - m })
			if ok {
				walk(kids[k])
			}
		default:
			for _, c := range t.children[i] {
				walk(c)
			}
		}
	}
	for _, i := range gen.list {
		walk(i)
	}
	return out
}

// searchVariants retries a query that found nothing in other readings:
// an English place split in two ("Khao Khlung Ban Pong" as "Khao Khlung" and
// "Ban Pong"), or, when no level words were given, all words joined into one
// name ("เขา ขลุง" as "เขาขลุง").
func (t *Tree) searchVariants(q query) []hit {
	var hits []hit
	for ti, tm := range q.terms {
		if len(tm.words) < 2 || len(tm.alts) != 1 {
			continue
		}
		for cut := 1; cut < len(tm.words); cut++ {
			v := q
			v.terms = slices.Clone(q.terms)
			a, b := tm, tm
			a.alts = []alt{{foldKey(strings.Join(tm.words[:cut], "")), tm.alts[0].mask}}
			b.alts = []alt{{foldKey(strings.Join(tm.words[cut:], "")), anyLevel}}
			a.words, b.words = nil, nil
			v.terms = slices.Insert(slices.Delete(v.terms, ti, ti+1), ti, a, b)
			hits = append(hits, t.searchTerms(v)...)
		}
	}
	if len(hits) > 0 || len(q.terms) < 2 {
		return hits
	}
	joined := term{}
	var key strings.Builder
	for _, tm := range q.terms {
		if tm.explicit {
			return nil
		}
		key.WriteString(tm.alts[0].key)
	}
	joined.alts = []alt{{key.String(), anyLevel}}
	return t.searchTerms(query{terms: []term{joined}, moo: q.moo})
}

// top sorts hits best first and keeps at most limit (all if limit <= 0).
// An area found more than once keeps its best score. Each hit is packed into
// one integer whose order is the ranking order (score, level, Thai order,
// code), so ranking tens of thousands of substring hits is a sort of
// integers, with no map until the results are picked.
func (t *Tree) top(hits []hit, limit int) []hit {
	packed := make([]uint64, len(hits))
	for k, h := range hits {
		packed[k] = uint64(0xffff-h.score)<<48 | uint64(t.areas[h.idx].Level)<<44 | uint64(t.rank[h.idx])<<24 | uint64(h.idx)
	}
	slices.Sort(packed)
	var out []hit
	seen := map[int32]bool{} // an area found twice comes first with its best score
	for _, p := range packed {
		h := hit{idx: int32(p & (1<<24 - 1)), score: 0xffff - int(p>>48)}
		if seen[h.idx] {
			continue
		}
		seen[h.idx] = true
		out = append(out, h)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}

// matches turns ranked hits into results with their paths.
func (t *Tree) matches(hits []hit) []Match {
	if len(hits) == 0 {
		return nil
	}
	out := make([]Match, len(hits))
	for k, h := range hits {
		out[k] = Match{Area: t.areas[h.idx], Score: h.score}
		out[k].Path, out[k].PathEN = t.paths(h.idx)
	}
	return out
}

// Paths returns the address of the area code in Thai and English, as Search
// writes it in a Match; ok is false for an unknown code.
func (t *Tree) Paths(code string) (th, en string, ok bool) {
	i, ok := t.byCode[code]
	if !ok {
		return "", "", false
	}
	th, en = t.paths(i)
	return th, en, true
}

// paths returns an area's address in Thai and English, narrowest first and
// without the country: "ม.4 บ้านหนองไม้เฝ้า ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี" and
// "Moo 4 (หนองไม้เฝ้า), Khao Khlung, Ban Pong, Ratchaburi". The country's
// path is its own name.
func (t *Tree) paths(i int32) (th, en string) {
	if i == 0 {
		return t.areas[0].TitleTH(), t.areas[0].TitleEN()
	}
	var bth, ben strings.Builder
	for ; i > 0; i = t.parent[i] {
		a := t.areas[i]
		if bth.Len() > 0 {
			bth.WriteByte(' ')
			ben.WriteString(", ")
		}
		bth.WriteString(a.shortTH())
		ben.WriteString(a.shortEN())
	}
	return bth.String(), ben.String()
}
