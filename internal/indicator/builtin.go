package indicator

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sync"

	"tambon/internal/apperr"
)

// The built-in sets, one file each. A new plan period is a new file here.
//
//go:embed sets/*.json
var setFiles embed.FS

var builtin = sync.OnceValues(func() ([]*Set, error) {
	names, err := fs.Glob(setFiles, "sets/*.json")
	if err != nil {
		return nil, err
	}
	var sets []*Set
	for _, n := range names {
		b, err := setFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		s, err := Load(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("built-in set %s: %w", n, err)
		}
		sets = append(sets, s)
	}
	return sets, nil
})

// Sets returns the built-in sets, oldest plan period first. A broken embedded
// file is a bug in the build, so it panics; the tests load every file.
func Sets() []*Set {
	sets, err := builtin()
	if err != nil {
		panic(err)
	}
	return sets
}

// Lookup returns the built-in set with the given id, or an apperr NotFound.
func Lookup(id string) (*Set, error) {
	for _, s := range Sets() {
		if s.ID == id {
			return s, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, apperr.Tf(
		"ไม่พบชุดตัวชี้วัด %q", "there is no indicator set %q", id))
}

// File returns the file s was loaded from, e.g. as the starting point of a
// local set.
func (s *Set) File() []byte { return bytes.Clone(s.raw) }
