package plan

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// Budget sources, as the local development plan names them.
var BudgetSources = []string{"local", "department", "province", "district", "private", "community", "other"}

// Item is a plan item: a project that answers one of the plan's problems.
type Item struct {
	ID           int64
	PlanID       int64
	ProblemID    int64 // 0 when the item answers no listed problem
	Title        string
	Objective    string
	PartnerID    int64  // the responsible partner; 0 when none is named yet
	PartnerName  string // filled on reads, in Thai
	PartnerEN    string // the partner's English name, when it has one; filled on reads
	Budget       int64  // baht
	BudgetSource string // one of BudgetSources
	Start, End   time.Time
	Physical     int // physical progress, %
	Financial    int // financial progress (disbursed), %
	Targets      int // target households, filled on reads
	UpdatedAt    time.Time
}

// Validate checks an item before it is stored; plan is its plan, whose
// fiscal year the timeline must touch.
func (it *Item) Validate() error {
	it.Title, it.Objective = strings.TrimSpace(it.Title), strings.TrimSpace(it.Objective)
	switch {
	case it.Title == "":
		return apperr.New(apperr.Invalid, apperr.T("โครงการต้องมีชื่อ", "the item needs a title"))
	case utf8.RuneCountInString(it.Title) > MaxText || utf8.RuneCountInString(it.Objective) > 4*MaxText:
		return apperr.New(apperr.Invalid, apperr.Tf("ชื่อหรือวัตถุประสงค์ของโครงการยาวเกินไป (ชื่อไม่เกิน %d ตัวอักษร)",
			"the item's title or objective is too long (title at most %d characters)", MaxText))
	case it.Budget < 0:
		return apperr.New(apperr.Invalid, apperr.Tf("งบประมาณติดลบไม่ได้ (ได้ %d บาท)", "the budget cannot be negative (got %d baht)", it.Budget))
	case !slices.Contains(BudgetSources, it.BudgetSource):
		return apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักแหล่งงบประมาณ %q", "unknown budget source %q", it.BudgetSource))
	case it.Start.IsZero() || it.End.IsZero():
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุวันเริ่มและวันสิ้นสุดโครงการ", "the item needs a start and an end date"))
	case it.End.Before(it.Start):
		return apperr.New(apperr.Invalid, apperr.T("วันสิ้นสุดโครงการต้องไม่ก่อนวันเริ่ม", "the item's end date is before its start date"))
	case it.Physical < 0 || it.Physical > 100:
		return apperr.New(apperr.Invalid, apperr.Tf("ความก้าวหน้าทางกายภาพต้องอยู่ระหว่าง 0 ถึง 100%% (ได้ %d)", "physical progress must be between 0 and 100%% (got %d)", it.Physical))
	case it.Financial < 0 || it.Financial > 100:
		return apperr.New(apperr.Invalid, apperr.Tf("ความก้าวหน้าทางการเงินต้องอยู่ระหว่าง 0 ถึง 100%% (ได้ %d)", "financial progress must be between 0 and 100%% (got %d)", it.Financial))
	}
	return nil
}

// Target is a household an item targets, chosen from the round's
// targeting list. Key is the household's house code (or village+house
// number), which follows it into the next round.
type Target struct {
	ItemID      int64
	HouseholdID int64
	Key         string
	VillageCode string
	HouseNo     string
}

// Evidence is a photo or document that shows an item's progress.
type Evidence struct {
	ID          int64
	ItemID      int64
	Name        string
	ContentType string
	Caption     string
	Size        int
	UploadedBy  string
	UploadedAt  time.Time
}

// MaxEvidence bounds one evidence file: forms are limited to 2 MiB, so a
// phone photo is best sent at its "large" size, not the original.
const MaxEvidence = 1900 << 10

// EvidenceTypes are the files accepted as evidence.
var EvidenceTypes = []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}

// Partner names the responsible partner in lang: English on English pages
// where the partner has an English name, Thai otherwise.
func (it Item) Partner(lang string) string {
	if lang == "en" && it.PartnerEN != "" {
		return it.PartnerEN
	}
	return it.PartnerName
}
