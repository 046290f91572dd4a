package geo

import (
	"encoding/json"
	"math"
	"sync"
)

// Centre returns the middle of a tambon's boundary box (latitude,
// longitude), read from its province's subdistrict layer; false when no
// boundary carries the code. Generated demo households are placed around it.
func Centre(tambon string) (lat, lon float64, ok bool) {
	if len(tambon) != 6 {
		return 0, 0, false
	}
	centres.Lock()
	defer centres.Unlock()
	byCode, done := centres.byProvince[tambon[:2]]
	if !done {
		byCode = tambonCentres(tambon[:2])
		centres.byProvince[tambon[:2]] = byCode
	}
	c, ok := byCode[tambon]
	return c[0], c[1], ok
}

var centres = struct {
	sync.Mutex
	byProvince map[string]map[string][2]float64
}{byProvince: map[string]map[string][2]float64{}}

// tambonCentres decodes one province's tambon layer into box centres. A
// province with no layer, or a layer that does not parse, gives none.
func tambonCentres(province string) map[string][2]float64 {
	out := map[string][2]float64{}
	b, err := Layer(Subdistrict, province)
	if err != nil {
		return out
	}
	var topo struct {
		Arcs      [][][2]float64 `json:"arcs"`
		Transform struct {
			Scale     [2]float64 `json:"scale"`
			Translate [2]float64 `json:"translate"`
		} `json:"transform"`
		Objects map[string]struct {
			Geometries []struct {
				Arcs       json.RawMessage `json:"arcs"`
				Properties struct {
					Code string `json:"code"`
				} `json:"properties"`
			} `json:"geometries"`
		} `json:"objects"`
	}
	if json.Unmarshal(b, &topo) != nil {
		return out
	}
	// Arcs are quantized and delta-encoded: the first point is absolute,
	// each next one is a step from the one before.
	points := make([][][2]float64, len(topo.Arcs))
	for i, arc := range topo.Arcs {
		var x, y float64
		for _, d := range arc {
			x, y = x+d[0], y+d[1]
			points[i] = append(points[i], [2]float64{
				x*topo.Transform.Scale[0] + topo.Transform.Translate[0],
				y*topo.Transform.Scale[1] + topo.Transform.Translate[1]})
		}
	}
	for _, obj := range topo.Objects {
		for _, g := range obj.Geometries {
			minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
			for _, i := range arcIndexes(g.Arcs) {
				if i < 0 {
					i = ^i // a reversed arc: same points
				}
				if i >= len(points) {
					continue
				}
				for _, p := range points[i] {
					minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
					minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
				}
			}
			if minX <= maxX {
				out[g.Properties.Code] = [2]float64{(minY + maxY) / 2, (minX + maxX) / 2}
			}
		}
	}
	return out
}

// arcIndexes flattens a Polygon's or MultiPolygon's nested arc indexes.
func arcIndexes(raw json.RawMessage) []int {
	var flat []int
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case float64:
			flat = append(flat, int(t))
		case []any:
			for _, x := range t {
				walk(x)
			}
		}
	}
	var v any
	if json.Unmarshal(raw, &v) == nil {
		walk(v)
	}
	return flat
}
