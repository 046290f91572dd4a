package store

import (
	"context"
	"encoding/json"
	"fmt"

	"tambon/internal/apperr"
)

// Targets returns the installation's target (% passing aimed at) for each
// indicator of a set; indicators not listed aim at 100 %.
func (s *Store) Targets(ctx context.Context, setID string) (map[string]float64, error) {
	v := s.metaValue(ctx, "targets:"+setID)
	out := map[string]float64{}
	if v == "" {
		return out, nil
	}
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, fmt.Errorf("stored targets of %s: %w", setID, err)
	}
	return out, nil
}

// SetTargets replaces the targets of a set. Each must lie in 0..100.
func (s *Store) SetTargets(ctx context.Context, setID string, targets map[string]float64) error {
	for code, t := range targets {
		if t < 0 || t > 100 {
			return apperr.New(apperr.Invalid, apperr.Tf("เป้าหมายของตัวชี้วัด %s ต้องอยู่ระหว่าง 0 ถึง 100 (ได้ %g)",
				"the target of indicator %s must be between 0 and 100 (got %g)", code, t))
		}
	}
	b, err := json.Marshal(targets)
	if err != nil {
		return err
	}
	if err := s.setMeta(ctx, "targets:"+setID, string(b)); err != nil {
		return err
	}
	return bumpGeneration(ctx, s.write)
}
