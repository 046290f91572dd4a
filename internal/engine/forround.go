package engine

import (
	"strings"
	"sync"

	"tambon/internal/indicator"
	"tambon/internal/mpi"
	"tambon/internal/survey"
)

// DefaultPoverty returns the MPI measure used with a set: TPMAP's five
// dimensions for the 2560-2564 set its mapping is written against, and none
// for a set it does not fit. Its cut-off is TPMAP's own "poor by the
// survey" — deprived in any dimension, the union cut-off, which with these
// weights is k = 1/20 — because that is the figure Thai officials know; the
// stricter Alkire-Foster k = 1/5 is the severe cut-off, and any k can be
// asked for at query time.
func DefaultPoverty(set *indicator.Set) (*mpi.Index, error) {
	roundMu.Lock()
	own := installed
	roundMu.Unlock()
	return povertyFor(set, own)
}

// povertyFor is DefaultPoverty with the installation's spec given.
func povertyFor(set *indicator.Set, own *mpi.Spec) (*mpi.Index, error) {
	spec := mpi.TPMAP()
	spec.K, spec.Vulnerable, spec.Severe = mpi.F(1, 20), mpi.F(1, 20), mpi.F(1, 5)
	if own != nil {
		spec = *own
	}
	for _, ind := range spec.Indicators {
		if !strings.HasPrefix(ind.Maps, set.ID+":") {
			return nil, nil
		}
	}
	return mpi.New(spec)
}

var (
	roundMu      sync.Mutex
	roundEngines = map[string]*Engine{}
	installed    *mpi.Spec
)

// UsePoverty installs the installation's own MPI spec in place of the
// TPMAP preset (nil goes back to the preset). The program calls it once at
// start, from the spec stored in the database, before it judges anything;
// the statistics stored under another spec must then be recomputed, which
// `tambon mpi-spec` does. An invalid spec is refused and nothing changes.
func UsePoverty(spec *mpi.Spec) error {
	if spec != nil {
		if _, err := mpi.New(*spec); err != nil {
			return err
		}
	}
	roundMu.Lock()
	defer roundMu.Unlock()
	installed = spec
	roundEngines = map[string]*Engine{}
	return nil
}

// ForRound returns the engine that judges a round's households: the round's
// indicator set (the stored version it is pinned to), its survey year and the
// default poverty measure. Engines are immutable, so one per (set file, year)
// is shared.
func ForRound(r survey.Round) (*Engine, error) {
	key := r.SetID + "@" + r.SetDigest + "/" + itoa(r.SurveyYear)
	roundMu.Lock()
	defer roundMu.Unlock()
	if e, ok := roundEngines[key]; ok {
		return e, nil
	}
	set, err := indicator.ForRound(r)
	if err != nil {
		return nil, err
	}
	pov, err := povertyFor(set, installed) // roundMu is held
	if err != nil {
		return nil, err
	}
	e, err := New(set, r.SurveyYear, pov)
	if err != nil {
		return nil, err
	}
	roundEngines[key] = e
	return e, nil
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
