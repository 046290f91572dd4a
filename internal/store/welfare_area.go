package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"tambon/internal/survey"
	"tambon/internal/welfare"
)

// WelfareEntry is what the register says of one person.
type WelfareEntry struct {
	Import     int64
	Row        int // the list file's row
	Year       int // registration year (BE), 0 when not given
	Status     string
	IncomeBand string
	Village    string // of the registered address, when the list gives it
	CitizenID  string // only when the list was imported keeping IDs
}

// WelfarePerson is one person of a welfare group: someone the survey found
// (household and member) or someone only the register knows (Entry alone).
type WelfarePerson struct {
	Group       welfare.Group
	HouseholdID int64 // 0 for someone not found in the survey
	Village     string
	HouseNo     string
	MemberNo    int
	Name        string // as surveyed: mask before showing
	CitizenID   string // as surveyed, else as the register kept it: mask before showing
	Dims        uint8  // dimensions the person is deprived in (welfare.Judge)
	Entry       *WelfareEntry
}

// WelfareReport is an area's people between the survey and the register.
type WelfareReport struct {
	Lists      []WelfareImport // the round's lists covering the area, or part of it
	Households int             // households of the round in the area
	Covered    int             // of them, in villages a list covers: the groups count these only
	Counts     welfare.Counts
	People     []WelfarePerson // the people of the group asked for
}

// WelfareArea matches a round's households in an area (any level from a
// province down) to the register's lists of the round in the same province
// and counts the welfare groups; with a group it also lists that group's
// people. Only households in villages some list covers are counted, so an
// area whose list is missing is not reported as all unregistered. Someone
// registered in the area but surveyed in another province counts as not
// found in the survey.
func (s *Store) WelfareArea(ctx context.Context, j *welfare.Judge, round, code string, list welfare.Group) (WelfareReport, error) {
	var rep WelfareReport
	all, err := s.WelfareImports(ctx, round, code[:min(2, len(code))])
	if err != nil || len(all) == 0 || code == "TH" {
		return rep, err
	}
	for _, im := range all {
		if strings.HasPrefix(im.Area, code) || strings.HasPrefix(code, im.Area) {
			rep.Lists = append(rep.Lists, im)
		}
	}
	if len(rep.Lists) == 0 {
		return rep, nil
	}
	key, err := s.welfareKey(ctx)
	if err != nil || key == nil {
		return rep, err
	}
	type entry struct {
		WelfareEntry
		place   string
		matched bool
	}
	byLink := map[string]*entry{}
	for _, im := range all {
		rows, err := s.read.QueryContext(ctx, `SELECT person, citizen_id, row_no, reg_year, card_status, income_band, village_code
			FROM welfare_entries WHERE import_id = $1`, im.ID)
		if err != nil {
			return rep, mapErr(err)
		}
		for rows.Next() {
			e := &entry{WelfareEntry: WelfareEntry{Import: im.ID}, place: im.Area}
			var link string
			if err := rows.Scan(&link, &e.CitizenID, &e.Row, &e.Year, &e.Status, &e.IncomeBand, &e.Village); err != nil {
				rows.Close()
				return rep, err
			}
			if e.Village != "" {
				e.place = e.Village
			}
			byLink[link] = e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return rep, err
		}
	}
	links, err := s.areaLinks(ctx, round, code)
	if err != nil {
		return rep, err
	}
	covered := func(village string) bool {
		for _, im := range rep.Lists {
			if strings.HasPrefix(village, im.Area) {
				return true
			}
		}
		return false
	}
	err = s.EachHousehold(ctx, round, code, func(rec survey.Record) error {
		h := rec.Household
		rep.Households++
		in := covered(h.VillageCode)
		if in {
			rep.Covered++
		}
		for _, p := range j.People(h) {
			m := h.Members[p.Member]
			link := links[linkOf{rec.Key, m.No}]
			if m.CitizenID != "" {
				link = PersonLink(key, m.CitizenID)
			}
			e := byLink[link]
			if e != nil && link != "" {
				e.matched = true
			} else {
				e = nil
			}
			if !in {
				continue
			}
			rep.Counts.AddPerson(p, e != nil)
			if g, ok := welfare.Of(p, e != nil); ok && g == list {
				wp := WelfarePerson{Group: g, HouseholdID: rec.ID, Village: h.VillageCode, HouseNo: h.HouseNo, MemberNo: m.No,
					Name: strings.TrimSpace(m.FirstName + " " + m.LastName), CitizenID: m.CitizenID, Dims: p.Dims}
				if e != nil {
					wp.Entry = &e.WelfareEntry
				}
				rep.People = append(rep.People, wp)
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	// Registered here but not met in the area's households: look for them
	// in the rest of the province before calling them not found.
	unmatched := map[string]*entry{}
	for link, e := range byLink {
		if !e.matched && strings.HasPrefix(e.place, code) {
			unmatched[link] = e
		}
	}
	if len(unmatched) > 0 {
		if err := s.provinceLinks(ctx, key, round, code, func(link string) {
			if e := unmatched[link]; e != nil {
				e.matched = true
			}
		}); err != nil {
			return rep, err
		}
	}
	for _, e := range unmatched {
		if e.matched {
			continue
		}
		rep.Counts.AddNotFound()
		if list == welfare.RegisteredNotFound {
			rep.People = append(rep.People, WelfarePerson{Group: welfare.RegisteredNotFound, Village: e.Village, CitizenID: e.CitizenID, Entry: &e.WelfareEntry})
		}
	}
	if list == welfare.RegisteredNotFound {
		sortNotFound(rep.People)
	}
	return rep, nil
}

type linkOf struct {
	key string
	no  int
}

// areaLinks returns the kept links of pseudonymised members in an area.
func (s *Store) areaLinks(ctx context.Context, round, code string) (map[linkOf]string, error) {
	lo, hi := codeRange(code, 8)
	rows, err := s.read.QueryContext(ctx, `SELECT l.hh_key, l.member_no, l.link FROM person_links l JOIN households h
		ON h.round_id = l.round_id AND h.hh_key = l.hh_key WHERE l.round_id = $1 AND h.village_code BETWEEN $2 AND $3`, round, lo, hi)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[linkOf]string{}
	for rows.Next() {
		var k linkOf
		var l string
		if err := rows.Scan(&k.key, &k.no, &l); err != nil {
			return nil, err
		}
		out[k] = l
	}
	return out, rows.Err()
}

// provinceLinks calls fn with the link of every member of the round in
// code's province outside code: citizen IDs hashed, pseudonymised members'
// links as kept.
func (s *Store) provinceLinks(ctx context.Context, key []byte, round, code string, fn func(link string)) error {
	plo, phi := codeRange(code[:2], 8)
	lo, hi := codeRange(code, 8)
	rows, err := s.read.QueryContext(ctx, `SELECT m.citizen_id FROM members m JOIN households h ON h.round_id = m.round_id AND h.hh_key = m.hh_key
		WHERE m.round_id = $1 AND h.village_code BETWEEN $2 AND $3 AND NOT (h.village_code BETWEEN $4 AND $5)`, round, plo, phi, lo, hi)
	if err != nil {
		return mapErr(err)
	}
	for rows.Next() {
		var cid string
		if err := rows.Scan(&cid); err != nil {
			rows.Close()
			return err
		}
		fn(PersonLink(key, cid))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.read.QueryContext(ctx, `SELECT l.link FROM person_links l JOIN households h ON h.round_id = l.round_id AND h.hh_key = l.hh_key
		WHERE l.round_id = $1 AND h.village_code BETWEEN $2 AND $3 AND NOT (h.village_code BETWEEN $4 AND $5)`, round, plo, phi, lo, hi)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return err
		}
		fn(l)
	}
	return rows.Err()
}

// sortNotFound orders people only the register knows by list and row.
func sortNotFound(ps []WelfarePerson) {
	slices.SortFunc(ps, func(a, b WelfarePerson) int {
		return cmp.Or(cmp.Compare(a.Entry.Import, b.Entry.Import), cmp.Compare(a.Entry.Row, b.Entry.Row))
	})
}
