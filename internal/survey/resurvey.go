package survey

import (
	"strconv"
	"strings"

	"tambon/internal/apperr"
)

// The จปฐ. is a yearly panel: most households, and most of their members,
// are the ones of last round. A re-survey starts from last round's record of
// the same household (the same Key: house code, else village and house
// number) instead of typing it again, on the web ("start from last round")
// or on a phone loaded with last year's households. The doors say so with
// three fields that are never stored in the record itself: the household's
// Resurvey, and each member's Left or Joined. WriteHouseholds turns them
// into the household's history (ResurveyChanges); the link to last round
// is the key, which a re-survey keeps.

// Leaving says why a member of last round's roster is no longer in the
// household.
type Leaving string

// The reasons a member leaves a household.
const (
	MovedOut Leaving = "moved_out" // ย้ายออก
	Died     Leaving = "died"      // เสียชีวิต
)

// Label names a reason in Thai and English.
func (l Leaving) Label() apperr.Text {
	switch l {
	case MovedOut:
		return apperr.T("ย้ายออก", "moved out")
	case Died:
		return apperr.T("เสียชีวิต", "died")
	}
	return apperr.T(string(l), string(l))
}

// Resurvey says that a household's record was started from its record in an
// earlier round, and who of that roster is no longer here.
type Resurvey struct {
	From string   // the round the record was started from
	Left []Member // members of From's roster no longer in the household; each one's Left says why
	// Before, when the door has it, is the household as From stored it;
	// the history then also says what changed of each member who stayed
	// (Member.Prev names the same person there): resurvey_diff.go.
	Before *Household
}

// TakeLeavers moves the members marked Left out of h's roster into
// h.Resurvey.Left (making h.Resurvey when it is nil), and numbers the
// members who stay 1, 2, … in their order. A door calls it before
// Validate, since a roster lists only the people who live in the household;
// WriteHouseholds calls it again, which then does nothing. It refuses a
// reason that is neither MovedOut nor Died.
func (h *Household) TakeLeavers() apperr.Problems {
	var ps apperr.Problems
	kept := h.Members[:0]
	renumber := false
	for i, m := range h.Members {
		switch m.Left {
		case "":
			kept = append(kept, m)
			continue
		case MovedOut, Died:
		default:
			ps = append(ps, apperr.Problem{Field: "members[" + strconv.Itoa(i) + "].left", Value: string(m.Left),
				Reason: apperr.T("เหตุที่ออกจากครัวเรือนต้องเป็น ย้ายออก หรือ เสียชีวิต", "a member leaves by moving out or by dying")})
			kept = append(kept, m)
			continue
		}
		if h.Resurvey == nil {
			h.Resurvey = &Resurvey{}
		}
		h.Resurvey.Left = append(h.Resurvey.Left, m)
		renumber = true
	}
	clear(h.Members[len(kept):])
	h.Members = kept
	if renumber {
		for i := range h.Members {
			h.Members[i].No = i + 1
		}
	}
	return ps
}

// ResurveyChanges is the history entry of a household written for the
// first time from its record in an earlier round: the round it came from,
// each member who left (as "roster.moved_out" or "roster.died", the old
// value their name) and each who joined ("roster.joined", the new value
// their name), then each of the household's answers that changed since
// that round (householdChanges) and each field of a member who stayed
// (stayerChanges). It is nil when h was not started from an earlier round.
// Names stand alone in these changes, so that erasure and retention find
// and drop them as they do a member's own fields.
func ResurveyChanges(h *Household) []Change {
	if h.Resurvey == nil || h.Resurvey.From == "" {
		return nil
	}
	out := []Change{{Field: "resurvey.from", New: h.Resurvey.From}}
	out = append(out, LeaverChanges(h)...)
	for _, m := range h.Members {
		if m.Joined {
			out = append(out, Change{Field: "roster.joined", New: FullName(m)})
		}
	}
	out = append(out, householdChanges(h)...)
	return append(out, stayerChanges(h)...)
}

// LeaverChanges are the history changes of the members h.Resurvey says left:
// one "roster.moved_out" or "roster.died" each, the old value their name.
func LeaverChanges(h *Household) []Change {
	if h.Resurvey == nil {
		return nil
	}
	var out []Change
	for _, m := range h.Resurvey.Left {
		out = append(out, Change{Field: "roster." + string(m.Left), Old: FullName(m)})
	}
	return out
}

// FullName is a member's first and last name as one text (a title would
// stand in front of the name's first letter where the name is masked).
func FullName(m Member) string {
	return strings.TrimSpace(strings.TrimSpace(m.FirstName) + " " + strings.TrimSpace(m.LastName))
}
