package survey

import (
	"fmt"
	"strings"
)

// stayerChanges are the history changes of the members of a re-surveyed
// roster who were already on last round's: each field of theirs that
// differs from that round's record ("members[i].occupation": old → new),
// the member compared with the same person (Member.Prev in
// Resurvey.Before), not with whoever sat at that place on the roster, so a
// departure shifts nobody. Nothing when the door did not give Before.
func stayerChanges(h *Household) []Change {
	rs := h.Resurvey
	if rs == nil || rs.Before == nil {
		return nil
	}
	var out []Change
	for i, now := range h.Members {
		if now.Prev == 0 {
			continue
		}
		var was *Member
		for j := range rs.Before.Members {
			if rs.Before.Members[j].No == now.Prev {
				m := rs.Before.Members[j]
				m.No = now.No // a new place on the roster is not a change of the person
				was = &m
				break
			}
		}
		if was == nil {
			continue
		}
		ms, err := Diff(&Household{Members: []Member{*was}}, &Household{Members: []Member{now}})
		if err != nil {
			continue // both are plain records: Diff cannot fail on them
		}
		for _, c := range ms {
			if rest, ok := strings.CutPrefix(c.Field, "members[0]"); ok {
				c.Field = fmt.Sprintf("members[%d]", i) + rest
				out = append(out, c)
			}
		}
	}
	return out
}

// householdChanges are the history changes of a re-surveyed household's
// own answers: each of its location, respondent, phone, income, savings,
// debt and indicator answers that differs from the earlier round's record
// ("income.other": old → new), as an edit's history says them. The round,
// the key, the collector, the survey date and the status are this round's
// own and not changes; the roster is stayerChanges' and the leavers' and
// newcomers'. Nothing when the door did not give Before.
func householdChanges(h *Household) []Change {
	rs := h.Resurvey
	if rs == nil || rs.Before == nil {
		return nil
	}
	own := func(x *Household) *Household {
		return &Household{Lat: x.Lat, Lon: x.Lon, Respondent: x.Respondent, Phone: x.Phone,
			Income: x.Income, Savings: x.Savings, Debt: x.Debt, Answers: x.Answers}
	}
	cs, err := Diff(own(rs.Before), own(h))
	if err != nil {
		return nil // both are plain records: Diff cannot fail on them
	}
	return cs
}
