package activity

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// A forum (เวทีประชาคม) is the village meeting in its meeting hall where the
// tambon team shows the village its own จปฐ. and กชช. 2ค figures and the
// villagers rank their problems and agree what to do. It is an activity of
// kind Forum; ForumRecord holds what only a forum has: the round shown, who
// came (counted by sex and age band; named partners are the activity's
// attendees), the problems as the village ranked them, the activities
// agreed with who does what, and the minutes. Photos and the news post are
// the activity's.

// Problem sources a forum ranks from. The survey's keys are the plan
// package's (bmn, mpi, kcc2c), so a ranked problem meets the same problem
// in a development plan; ForumVillage marks a problem the village added
// itself.
const (
	ForumVillage = "village"
)

// Sexes and AgeBands are the cells attendance is counted in, in the order
// the form and the page show them.
var (
	Sexes    = []string{"male", "female"}
	AgeBands = []string{"under18", "18to59", "60plus"}
)

// Headcount is how many came of one sex and age band.
type Headcount struct {
	Sex  string
	Band string
	N    int
}

// ForumProblem is one problem as the village ranked it.
type ForumProblem struct {
	Rank    int    // 1 is the village's most urgent; unique within a forum
	Source  string // bmn, mpi, kcc2c (from the survey) or ForumVillage
	Code    string // the source's key; a village-added problem's is v1, v2 …
	TitleTH string
	TitleEN string
	Votes   int // votes or score the problem got at the meeting
	Note    string
}

// Key is source:code, the key a plan's problem has too.
func (p ForumProblem) Key() string { return p.Source + ":" + p.Code }

// Title returns the title in lang, Thai when there is no English one.
func (p ForumProblem) Title(lang string) string {
	if lang == "en" && p.TitleEN != "" {
		return p.TitleEN
	}
	return p.TitleTH
}

// ForumAction is an activity the village agreed, with who does it.
type ForumAction struct {
	Problem string // the key of the ranked problem it answers ("" for none)
	Action  string
	OwnerID int64  // the responsible partner, when one
	Owner   string // who does it, as written
	Due     time.Time
}

// ForumRecord is what a forum adds to its activity.
type ForumRecord struct {
	ActivityID int64
	RoundID    string // the จปฐ. round shown to the village
	Minutes    string
	Headcount  []Headcount
	Problems   []ForumProblem // by rank
	Actions    []ForumAction
	UpdatedAt  time.Time
	UpdatedBy  string

	// Filled when read back: the activity's area (the village), start and venue.
	AreaCode string
	Start    time.Time
	Venue    string
}

// Attended is the number of people counted.
func (f ForumRecord) Attended() int {
	n := 0
	for _, h := range f.Headcount {
		n += h.N
	}
	return n
}

// Count is the headcount of one cell.
func (f ForumRecord) Count(sex, band string) int {
	for _, h := range f.Headcount {
		if h.Sex == sex && h.Band == band {
			return h.N
		}
	}
	return 0
}

// Problem finds a ranked problem by its key.
func (f ForumRecord) Problem(key string) (ForumProblem, bool) {
	for _, p := range f.Problems {
		if p.Key() == key {
			return p, true
		}
	}
	return ForumProblem{}, false
}

// MaxMinutes bounds the minutes, in characters.
const MaxMinutes = 20000

// Normalize trims texts, drops empty rows and empty headcount cells, gives
// village-added problems their codes (v1, v2 … in the order they are
// listed, after any already numbered) and ranks unranked problems after the
// ranked ones by votes, most first.
func (f *ForumRecord) Normalize() {
	f.RoundID, f.Minutes = strings.TrimSpace(f.RoundID), strings.TrimSpace(f.Minutes)
	var hc []Headcount
	for _, h := range f.Headcount {
		if h.N != 0 {
			hc = append(hc, h)
		}
	}
	f.Headcount = hc
	var ps []ForumProblem
	next := 0
	for _, p := range f.Problems {
		p.TitleTH, p.TitleEN, p.Note = strings.TrimSpace(p.TitleTH), strings.TrimSpace(p.TitleEN), strings.TrimSpace(p.Note)
		p.Source, p.Code = strings.TrimSpace(p.Source), strings.TrimSpace(p.Code)
		if p.TitleTH == "" && p.TitleEN == "" && p.Source == "" {
			continue
		}
		if p.Source == "" {
			p.Source = ForumVillage
		}
		if p.Source == ForumVillage && p.Code != "" {
			var n int
			if _, err := fmt.Sscanf(p.Code, "v%d", &n); err == nil && n > next {
				next = n
			}
		}
		ps = append(ps, p)
	}
	for i := range ps {
		if ps[i].Source == ForumVillage && ps[i].Code == "" {
			next++
			ps[i].Code = fmt.Sprintf("v%d", next)
		}
	}
	// Ranked first by their rank, then the unranked by votes; ties keep
	// the order they were listed in.
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		switch {
		case a.Rank > 0 && b.Rank > 0:
			return a.Rank < b.Rank
		case a.Rank > 0 || b.Rank > 0:
			return a.Rank > 0
		}
		return a.Votes > b.Votes
	})
	f.Problems = ps
	var as []ForumAction
	for _, a := range f.Actions {
		a.Action, a.Owner, a.Problem = strings.TrimSpace(a.Action), strings.TrimSpace(a.Owner), strings.TrimSpace(a.Problem)
		if a.Action != "" || a.Owner != "" || a.OwnerID != 0 {
			as = append(as, a)
		}
	}
	f.Actions = as
}

// Validate checks a normalized record and names every field that is wrong:
// ranks must be 1, 2, 3 … without a gap or a repeat (unranked problems are
// numbered on), counts and votes not negative, every agreed activity says
// what and answers a problem the village ranked, if any.
func (f *ForumRecord) Validate() error {
	var ps apperr.Problems
	add := func(field string, row int, value string, reason apperr.Text) {
		p := apperr.Problem{Field: field, Value: value, Reason: reason}
		if row > 0 {
			p.Field, p.Column, _ = strings.Cut(field, ".")
			p.Row = row
		}
		ps = append(ps, p)
	}
	if f.RoundID == "" {
		add("round", 0, "", apperr.T("ต้องเลือกรอบสำรวจที่นำเสนอในเวทีประชาคม", "choose the survey round shown at the meeting"))
	}
	if utf8.RuneCountInString(f.Minutes) > MaxMinutes {
		add("minutes", 0, "", apperr.Tf("บันทึกการประชุมยาวเกิน %d ตัวอักษร", "the minutes are longer than %d characters", MaxMinutes))
	}
	for _, h := range f.Headcount {
		if !member(Sexes, h.Sex) || !member(AgeBands, h.Band) {
			add("headcount", 0, h.Sex+" "+h.Band, apperr.T("ไม่รู้จักกลุ่มผู้เข้าร่วมนี้", "unknown attendance group"))
		}
		if h.N < 0 {
			add("headcount_"+h.Sex+"_"+h.Band, 0, fmt.Sprint(h.N), apperr.T("จำนวนผู้เข้าร่วมติดลบไม่ได้", "the number of people cannot be negative"))
		}
	}
	if len(f.Problems) > MaxItems || len(f.Actions) > MaxItems {
		add("problems", 0, "", apperr.Tf("มากเกิน %d รายการ", "more than %d items", MaxItems))
	}
	keys := map[string]bool{}
	for i, p := range f.Problems {
		row := i + 1
		if p.TitleTH == "" && p.TitleEN == "" {
			add("problems.title", row, "", apperr.T("ปัญหาต้องมีชื่อ", "the problem needs a title"))
		}
		if utf8.RuneCountInString(p.TitleTH) > MaxTitle || utf8.RuneCountInString(p.TitleEN) > MaxTitle || utf8.RuneCountInString(p.Note) > MaxTitle {
			add("problems.title", row, "", apperr.Tf("ยาวเกิน %d ตัวอักษร", "longer than %d characters", MaxTitle))
		}
		if p.Votes < 0 {
			add("problems.votes", row, fmt.Sprint(p.Votes), apperr.T("คะแนนติดลบไม่ได้", "votes cannot be negative"))
		}
		if p.Rank < 0 {
			add("problems.rank", row, fmt.Sprint(p.Rank), apperr.T("ลำดับต้องเป็นเลข 1 ขึ้นไป", "the rank must be 1 or more"))
		}
		if keys[p.Key()] {
			add("problems.title", row, p.TitleTH, apperr.T("ปัญหานี้อยู่ในรายการแล้ว", "this problem is listed twice"))
		}
		keys[p.Key()] = true
	}
	// Ranks typed must be 1, 2, 3 … in order; the rest follow.
	for i, p := range f.Problems {
		if p.Rank > 0 && p.Rank != i+1 {
			add("problems.rank", i+1, fmt.Sprint(p.Rank), apperr.Tf("ลำดับต้องเรียง 1, 2, 3 … ไม่ข้ามและไม่ซ้ำ (ข้อนี้ควรเป็น %d)",
				"ranks go 1, 2, 3 … with no gap or repeat (this one would be %d)", i+1))
		}
	}
	for i, a := range f.Actions {
		row := i + 1
		if a.Action == "" {
			add("actions.action", row, "", apperr.T("ต้องระบุกิจกรรมที่ตกลงทำ", "say what was agreed"))
		}
		if utf8.RuneCountInString(a.Action) > MaxTitle || utf8.RuneCountInString(a.Owner) > MaxTitle {
			add("actions.action", row, "", apperr.Tf("ยาวเกิน %d ตัวอักษร", "longer than %d characters", MaxTitle))
		}
		if a.Owner == "" && a.OwnerID == 0 {
			add("actions.owner", row, "", apperr.T("ต้องระบุผู้รับผิดชอบ", "say who does it"))
		}
		if a.Problem != "" && !keys[a.Problem] {
			add("actions.problem", row, a.Problem, apperr.T("กิจกรรมนี้ตอบปัญหาที่ไม่ได้อยู่ในลำดับของหมู่บ้าน", "this activity answers a problem the village did not rank"))
		}
	}
	if len(ps) > 0 {
		return ps
	}
	for i := range f.Problems {
		f.Problems[i].Rank = i + 1
	}
	return nil
}

func member(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
