package area

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
)

// Tree is the loaded national area tree with its search index. It is
// immutable after loading and safe for concurrent use; every method returns
// copies, so callers may change what they get.
type Tree struct {
	areas    []Area           // the country first, then by code: parents before children
	byCode   map[string]int32 // code → index in areas
	parent   []int32          // index of each area's parent; -1 for the country
	children [][]int32        // child indexes in display order
	rank     []int32          // Thai dictionary rank of each area's NameTH
	byMoo    map[int][]int32  // village indexes by หมู่ที่, for "หมู่ 4" searches
	counts   [Village + 1]int
	villages []int32 // villages at or under each area
	regions  []Region
	report   CleaningReport
	index    searchIndex
}

//go:embed data
var embedded embed.FS

var (
	embeddedOnce sync.Once
	embeddedTree *Tree
	embeddedErr  error
)

// Embedded returns the tree built from the data embedded in the binary. The
// first call loads and cleans it (see [Tree.Report]); later calls return the
// same tree, so every part of the program shares one copy.
func Embedded() (*Tree, error) {
	embeddedOnce.Do(func() {
		sub, err := fs.Sub(embedded, "data")
		if err != nil {
			embeddedErr = fmt.Errorf("area: embedded data: %w", err)
			return
		}
		embeddedTree, embeddedErr = Load(sub)
	})
	return embeddedTree, embeddedErr
}

// Load builds a tree from the source files in fsys: geographies.csv,
// provinces.csv, districts.csv, sub_districts.csv and bmn59.village_name.csv,
// each of which may instead be stored gzipped with a ".gz" suffix. It is the
// loader behind [Embedded], exported so that a newer release of the same
// files can be loaded, and so tests can feed it small files. Rows are
// cleaned as described in docs/data-cleaning.md; a file that is missing or
// whose structure is broken is an error.
func Load(fsys fs.FS) (*Tree, error) {
	b := &builder{rep: newReporter(), byCode: map[string]int32{}}
	b.add("", Area{Code: CountryCode, Level: Country, NameTH: "ประเทศไทย", NameEN: "Thailand"}, nil)
	if err := b.readGazetteer(fsys); err != nil {
		return nil, fmt.Errorf("area: %w", err)
	}
	if err := b.readVillages(fsys); err != nil {
		return nil, fmt.Errorf("area: %w", err)
	}
	return b.build(), nil
}

// builder accumulates areas while the files are read.
type builder struct {
	areas   []Area
	byCode  map[string]int32
	regions []Region
	rep     *reporter
}

// add cleans an area's names, noting repairs, and appends it unless its code
// is already taken. It reports whether the area was added.
func (b *builder) add(file string, a Area, example func() string) bool {
	var fixTH, fixEN nameFix
	a.NameTH, fixTH = cleanName(a.NameTH)
	a.NameEN, fixEN = cleanName(a.NameEN)
	if i, ok := b.byCode[a.Code]; ok {
		reason := ReasonDuplicateSame
		if b.areas[i].NameTH != a.NameTH {
			reason = ReasonDuplicateDifferent
		}
		b.rep.note(file, reason, true, example)
		return false
	}
	if a.NameTH == "" {
		b.rep.note(file, ReasonEmptyName, true, example)
		return false
	}
	if fixTH.spaces || fixEN.spaces {
		b.rep.note(file, ReasonNameSpaces, false, example)
	}
	if fixTH.asterisk || fixEN.asterisk {
		b.rep.note(file, ReasonNameAsterisk, false, example)
	}
	b.byCode[a.Code] = int32(len(b.areas))
	b.areas = append(b.areas, a)
	return true
}

// build orders the areas, links parents and children, ranks the names in
// Thai dictionary order and builds the search index.
func (b *builder) build() *Tree {
	// Codes nest by prefix, so sorting by code puts every parent before its
	// children. The country's "TH" would sort last, so it is kept first.
	// Sorting indexes and then placing the areas moves 4-byte values instead
	// of 88-byte structs.
	order := make([]int32, len(b.areas)-1)
	for i := range order {
		order[i] = int32(i + 1)
	}
	slices.SortFunc(order, func(x, y int32) int { return strings.Compare(b.areas[x].Code, b.areas[y].Code) })
	areas := make([]Area, 1, len(b.areas))
	areas[0] = b.areas[0]
	for _, i := range order {
		areas = append(areas, b.areas[i])
	}
	t := &Tree{
		areas:    areas,
		byCode:   make(map[string]int32, len(areas)),
		parent:   make([]int32, len(areas)),
		children: make([][]int32, len(areas)),
		byMoo:    map[int][]int32{},
		regions:  b.regions,
		report:   b.rep.rep,
	}
	for i, a := range areas {
		t.byCode[a.Code] = int32(i)
		t.counts[a.Level]++
	}
	// Ranking names in Thai order and building the search index are the
	// two slow steps and need only the sorted areas, so they run side by side.
	indexDone := make(chan searchIndex)
	go func() { indexDone <- buildIndex(areas) }()

	names := make([]string, len(areas))
	nkids := make([]int32, len(areas))
	lastParent, p := "", int32(0)
	for i, a := range areas {
		names[i] = a.NameTH
		if i == 0 {
			t.parent[i] = -1
			continue
		}
		if a.Parent != lastParent { // siblings are adjacent in code order
			lastParent, p = a.Parent, t.byCode[a.Parent]
		}
		t.parent[i] = p
		nkids[p]++
	}
	// All child lists share one backing array: one allocation, not 80,000.
	backing := make([]int32, 0, len(areas)-1)
	for i, n := range nkids {
		t.children[i] = backing[len(backing) : len(backing) : len(backing)+int(n)]
		backing = backing[:len(backing)+int(n)]
	}
	for i := 1; i < len(areas); i++ {
		p := t.parent[i]
		t.children[p] = append(t.children[p], int32(i))
		if areas[i].Level == Village {
			t.byMoo[areas[i].Moo] = append(t.byMoo[areas[i].Moo], int32(i))
		}
	}
	t.villages = make([]int32, len(areas))
	for i := len(areas) - 1; i >= 0; i-- { // children come after their parent
		if areas[i].Level == Village {
			t.villages[i]++
		}
		if p := t.parent[i]; p >= 0 {
			t.villages[p] += t.villages[i]
		}
	}
	t.rank = thaiRanks(names)
	for p, kids := range t.children {
		if len(kids) == 0 || areas[kids[0]].Level == Village {
			// Villages are listed by หมู่ที่, which sorting by code already does.
			continue
		}
		slices.SortFunc(t.children[p], t.byRank)
	}
	t.index = <-indexDone
	return t
}

// byRank orders area indexes by the Thai dictionary order of their names,
// then by code.
func (t *Tree) byRank(x, y int32) int {
	if d := int(t.rank[x]) - int(t.rank[y]); d != 0 {
		return d
	}
	return int(x) - int(y)
}

// Get returns the area with the given code.
func (t *Tree) Get(code string) (Area, bool) {
	i, ok := t.byCode[code]
	if !ok {
		return Area{}, false
	}
	return t.areas[i], true
}

// Children returns the areas directly below code, in the order people expect
// to read them: Thai dictionary order of NameTH (so "เขาขลุง" comes under ข,
// before "คุ้งพยอม"), and villages by หมู่ที่. It returns nil for an unknown
// code or a village.
func (t *Tree) Children(code string) []Area {
	i, ok := t.byCode[code]
	if !ok {
		return nil
	}
	return t.collect(t.children[i])
}

// Ancestors returns the areas that contain code, the country first and the
// parent last, without the area itself. It returns nil for the country and
// for an unknown code.
func (t *Tree) Ancestors(code string) []Area {
	i, ok := t.byCode[code]
	if !ok {
		return nil
	}
	var out []Area
	for p := t.parent[i]; p >= 0; p = t.parent[p] {
		out = append(out, t.areas[p])
	}
	slices.Reverse(out)
	return out
}

// All returns every area, the country first and each parent before its
// children (in code order), so a store can insert them in one pass with
// foreign keys on. The slice is new on every call.
func (t *Tree) All() []Area {
	return slices.Clone(t.areas)
}

// Count returns how many areas of a level the tree holds.
func (t *Tree) Count(level Level) int {
	if level < Country || level > Village {
		return 0
	}
	return t.counts[level]
}

// Villages returns how many villages the register holds at or under an
// area (1 for a village, 0 for an unknown code): what a round's coverage of
// the area is measured against.
func (t *Tree) Villages(code string) int {
	i, ok := t.byCode[code]
	if !ok {
		return 0
	}
	return int(t.villages[i])
}

// Regions returns the six regions (ภาค) in id order.
func (t *Tree) Regions() []Region {
	return slices.Clone(t.regions)
}

// Report returns what loading left out of the source data or repaired, with
// reasons, counts and examples.
func (t *Tree) Report() CleaningReport {
	r := t.report
	r.Files = slices.Clone(r.Files)
	r.Issues = slices.Clone(r.Issues)
	for i := range r.Issues {
		r.Issues[i].Examples = slices.Clone(r.Issues[i].Examples)
	}
	return r
}

// collect copies the areas at the given indexes.
func (t *Tree) collect(idx []int32) []Area {
	if len(idx) == 0 {
		return nil
	}
	out := make([]Area, len(idx))
	for k, i := range idx {
		out[k] = t.areas[i]
	}
	return out
}
