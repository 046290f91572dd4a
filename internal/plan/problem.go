package plan

import (
	"context"
	"strings"

	"tambon/internal/apperr"
)

// Problem sources. Another source (the กชช. 2ค village survey, a local
// survey) plugs in by implementing ProblemSource with its own name.
const (
	SourceBMN  = "bmn" // a failed จปฐ. indicator
	SourceMPI  = "mpi" // multidimensional poverty
	SourceTeam = "team"
)

// MPICode is the Code of the multidimensional-poverty problem.
const MPICode = "poor"

// Proposal is a problem a source suggests for an area: what it is and how
// many households are behind it.
type Proposal struct {
	Source     string
	Code       string // the source's own key: an indicator code, "poor", …
	Title      apperr.Text
	Households int    // households behind the problem
	Detail     string // e.g. "31 of 172 households (18.0 %)"
}

// ProblemSource proposes an area's problems from one kind of data. The plan
// page asks every source it is given and lists their proposals side by side;
// the team then picks and ranks them.
type ProblemSource interface {
	// Name is the source's key, stored with each problem taken from it.
	Name() string
	// Propose lists the area's problems in a survey round, most households first.
	Propose(ctx context.Context, round, area string) ([]Proposal, error)
}

// Problem is a proposal the team took into the plan, with its rank.
type Problem struct {
	ID         int64
	PlanID     int64
	Source     string
	Code       string
	Title      apperr.Text
	Households int
	Priority   int // 1 is the most urgent; ranks are unique within a plan
	Note       string
}

// Validate checks a problem before it is stored.
func (p *Problem) Validate() error {
	p.Title.TH, p.Title.EN = strings.TrimSpace(p.Title.TH), strings.TrimSpace(p.Title.EN)
	p.Note = strings.TrimSpace(p.Note)
	switch {
	case p.Source == "" || p.Code == "":
		return apperr.New(apperr.Invalid, apperr.T("ปัญหาต้องระบุแหล่งที่มาและรหัส", "a problem needs its source and code"))
	case p.Title.TH == "" && p.Title.EN == "":
		return apperr.New(apperr.Invalid, apperr.T("ปัญหาต้องมีชื่อ", "a problem needs a title"))
	case p.Households < 0:
		return apperr.New(apperr.Invalid, apperr.Tf("จำนวนครัวเรือนติดลบไม่ได้ (ได้ %d)", "the number of households cannot be negative (got %d)", p.Households))
	case p.Priority < 1:
		return apperr.New(apperr.Invalid, apperr.Tf("ลำดับความสำคัญต้องเป็น 1 ขึ้นไป (ได้ %d)", "the priority must be 1 or more (got %d)", p.Priority))
	}
	return nil
}
