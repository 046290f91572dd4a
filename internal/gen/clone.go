package gen

import (
	"maps"
	"slices"

	"tambon/internal/survey"
)

// Clone returns a deep copy of h, sharing nothing with it: what a Generate
// yield must keep instead of the buffer it is handed.
func Clone(h *survey.Household) *survey.Household {
	c := *h
	if h.Lat != nil {
		lat := *h.Lat
		c.Lat = &lat
	}
	if h.Lon != nil {
		lon := *h.Lon
		c.Lon = &lon
	}
	c.Answers = maps.Clone(h.Answers)
	c.Members = slices.Clone(h.Members)
	for i := range c.Members {
		c.Members[i].Answers = maps.Clone(h.Members[i].Answers)
	}
	return &c
}
