package tpmap

import (
	"embed"
	"fmt"
)

// Ratchaburi's files, which the demo loads, are embedded; the Chiang Rai
// files beside them in data/ are only what the tests check the roll-ups
// against, and would only weigh down the binary.
//
//go:embed data/61_70_village_common.csv data/61_70_village_11111.csv data/61_70_tambol_common.csv data/61_70_tambol_11111.csv data/61_70_amphur_common.csv
var embedded embed.FS

// Ratchaburi2561Files returns every TPMAP 2561 file of Ratchaburi kept here:
// the village, tambon and amphoe common files and the village and tambon
// target-poor (11111) files, parsed afresh, for the demo to load and check
// against each other.
func Ratchaburi2561Files() ([]*File, error) {
	var out []*File
	for _, name := range []string{"61_70_village_common.csv", "61_70_tambol_common.csv", "61_70_amphur_common.csv",
		"61_70_village_11111.csv", "61_70_tambol_11111.csv"} {
		f, err := parseEmbedded(name)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// Ratchaburi2561 returns TPMAP's published 2561 village files for Ratchaburi
// (province 70): common, the household, population and indicator counts of
// its 1,118 village units, and poverty, the five-dimension (11111) poverty
// counts of the same units. They are embedded so that `tambon demo` shows a
// real province with nothing to download. Each call parses afresh, so the
// caller owns the Files it gets. Credit "TPMAP (NESDC, NECTEC)" wherever
// the figures are shown.
func Ratchaburi2561() (common, poverty *File, err error) {
	if common, err = parseEmbedded("61_70_village_common.csv"); err != nil {
		return nil, nil, err
	}
	if poverty, err = parseEmbedded("61_70_village_11111.csv"); err != nil {
		return nil, nil, err
	}
	return common, poverty, nil
}

func parseEmbedded(name string) (*File, error) {
	fh, err := embedded.Open("data/" + name)
	if err != nil {
		return nil, fmt.Errorf("open embedded %s: %w", name, err)
	}
	defer fh.Close()
	f, err := Parse(name, fh)
	if err != nil {
		return nil, fmt.Errorf("parse embedded %s: %w", name, err)
	}
	return f, nil
}
