package welfare

import "math/bits"

// Group is where a person stands between the survey and the register.
type Group string

// The groups. Everyone on the register falls in exactly one of the
// registered groups; everyone the survey finds poor in TargetPoor or
// PoorUnregistered.
const (
	TargetPoor         Group = "target_poor"          // poor by the survey and registered (คนจนเป้าหมาย)
	PoorUnregistered   Group = "poor_unregistered"    // poor by the survey, not on the register: to help register
	RegisteredNotPoor  Group = "registered_not_poor"  // on the register, found in the survey, not found poor
	RegisteredNotFound Group = "registered_not_found" // on the register, not found in the round's survey
)

// Groups lists the groups in the order pages show them.
var Groups = []Group{TargetPoor, PoorUnregistered, RegisteredNotPoor, RegisteredNotFound}

// Valid reports whether g is one of Groups.
func (g Group) Valid() bool {
	for _, x := range Groups {
		if x == g {
			return true
		}
	}
	return false
}

// Of is the group of a person found in the survey: ok is false for
// someone neither poor nor registered.
func Of(p Person, registered bool) (Group, bool) {
	switch {
	case p.Poor() && registered:
		return TargetPoor, true
	case p.Poor():
		return PoorUnregistered, true
	case registered:
		return RegisteredNotPoor, true
	}
	return "", false
}

// Counts are an area's people in each group. They add up: Poor =
// TargetPoor + PoorUnregistered; Registered = TargetPoor +
// RegisteredNotPoor + RegisteredNotFound.
type Counts struct {
	People             int64 // residents judged by the survey
	Poor               int64 // of them, poor by the survey
	Registered         int64 // on the register, found in the survey or not
	TargetPoor         int64
	PoorUnregistered   int64
	RegisteredNotPoor  int64
	RegisteredNotFound int64
	// TargetByDimension counts the target poor deprived in each dimension
	// (a person can count in several), as TPMAP publishes them.
	TargetByDimension [5]int64
}

// AddPerson counts a person found in the survey.
func (c *Counts) AddPerson(p Person, registered bool) {
	if p.Judged {
		c.People++
	}
	g, ok := Of(p, registered)
	if !ok {
		return
	}
	c.add(g)
	if g == TargetPoor {
		for d := p.Dims; d != 0; d &= d - 1 {
			c.TargetByDimension[bits.TrailingZeros8(d)]++
		}
	}
}

// AddNotFound counts a registered person the survey did not find.
func (c *Counts) AddNotFound() { c.add(RegisteredNotFound) }

func (c *Counts) add(g Group) {
	switch g {
	case TargetPoor:
		c.TargetPoor++
		c.Poor++
		c.Registered++
	case PoorUnregistered:
		c.PoorUnregistered++
		c.Poor++
	case RegisteredNotPoor:
		c.RegisteredNotPoor++
		c.Registered++
	case RegisteredNotFound:
		c.RegisteredNotFound++
		c.Registered++
	}
}

// Of returns the count of a group.
func (c Counts) Of(g Group) int64 {
	switch g {
	case TargetPoor:
		return c.TargetPoor
	case PoorUnregistered:
		return c.PoorUnregistered
	case RegisteredNotPoor:
		return c.RegisteredNotPoor
	case RegisteredNotFound:
		return c.RegisteredNotFound
	}
	return 0
}
