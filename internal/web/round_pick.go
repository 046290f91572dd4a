package web

import (
	"context"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/village"
)

// latestVillageRound is the newest กชช. 2ค round that holds any village
// of the area, so that opening a new round (no village entered yet) does
// not hide the figures of the last one. When no round has data for the
// area it returns the newest round and false.
func latestVillageRound(ctx context.Context, vs villageStore, rounds []village.Round, a area.Area) (village.Round, bool, error) {
	for _, rd := range rounds {
		n, err := villagesIn(ctx, vs, rd.ID, a)
		if err != nil {
			return village.Round{}, false, err
		}
		if n > 0 {
			return rd, true, nil
		}
	}
	if len(rounds) == 0 {
		return village.Round{}, false, nil
	}
	return rounds[0], false, nil
}

// villagesIn counts the villages of an area recorded in a กชช. 2ค round.
func villagesIn(ctx context.Context, vs villageStore, round string, a area.Area) (int, error) {
	if a.Level == area.Village {
		_, err := vs.VillageRecord(ctx, round, a.Code)
		if apperr.Is(err, apperr.NotFound) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		return 1, nil
	}
	c, err := vs.VillageCounts(ctx, round, a.Code)
	return c.Villages, err
}
