package area

import "io/fs"

// LoadEmbeddedFresh loads the embedded data without the sync.Once of
// Embedded, so benchmarks measure a cold start.
func LoadEmbeddedFresh() (*Tree, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}
