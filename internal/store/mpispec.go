package store

import (
	"context"
	"encoding/json"
	"fmt"

	"tambon/internal/mpi"
)

// PovertySpec returns the installation's own MPI spec, or nil when it uses
// the built-in preset.
func (s *Store) PovertySpec(ctx context.Context) (*mpi.Spec, error) {
	v := s.metaValue(ctx, "mpi_spec")
	if v == "" {
		return nil, nil
	}
	var spec mpi.Spec
	if err := json.Unmarshal([]byte(v), &spec); err != nil {
		return nil, fmt.Errorf("stored MPI spec: %w", err)
	}
	return &spec, nil
}

// SetPovertySpec stores the installation's MPI spec (nil: back to the
// preset). The caller recomputes the rounds.
func (s *Store) SetPovertySpec(ctx context.Context, spec *mpi.Spec) error {
	if spec == nil {
		_, err := s.write.ExecContext(ctx, "DELETE FROM meta WHERE key = 'mpi_spec'")
		return mapErr(err)
	}
	b, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	return s.setMeta(ctx, "mpi_spec", string(b))
}
