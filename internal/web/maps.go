package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/geo"
	"tambon/internal/survey"
)

// mapView is what map.js needs for one choropleth: the boundary layer, the
// value of each area, village points and the words of the legend.
type mapView struct {
	Topo    string
	Within  string
	Href    string
	Title   string
	Unit    string
	Credit  string
	Context bool // the areas are background; the points carry the values
	// The values' domain, so that the legend's classes never pass what a value
	// can be (a percentage above 100) and counts get whole-number classes.
	Min, Max string // "" when open
	Integer  bool
	Current  string // the point of the page's own village
	// Values holds each area's number, nil where it has no data, or
	// mapHidden where its figure is withheld from the public: the map must
	// not call a hidden figure "no data".
	Values map[string]any
	Points []mapPoint
}

// mapPoint is a village on the map. Without GPS (or with GPS outside its
// tambon) map.js places it inside the tambon named by Within.
type mapPoint struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Lat    *float64 `json:"lat,omitempty"`
	Lon    *float64 `json:"lon,omitempty"`
	Label  string   `json:"label,omitempty"`
	Within string   `json:"within"`
	Value  any      `json:"value"` // a number, nil (no data) or mapHidden
}

// mapHidden stands for a value withheld from the public (map.js draws and
// names it as hidden).
const mapHidden = "hidden"

// mapValue is what the map shows for one child: its value, "hidden" or
// nothing.
func mapValue(c childStat, key string) any {
	if v, ok := childValue(c, key); ok {
		return ptr(v)
	}
	if childHidden(c, key) {
		return mapHidden
	}
	return nil
}

// layerFor returns the layer that draws an area's children: its level and
// province, and the code prefix the map keeps.
func layerFor(a area.Area) (level, province, within string, ok bool) {
	switch a.Level {
	case area.Country:
		return geo.Province, "", "", true
	case area.Province:
		level, province = geo.District, a.Code
	case area.District:
		level, province, within = geo.Subdistrict, a.Code[:2], a.Code
	case area.Subdistrict:
		level, province, within = geo.Subdistrict, a.Code[:2], a.Code
	case area.Village:
		level, province, within = geo.Subdistrict, a.Code[:2], a.Code[:6]
	default:
		return "", "", "", false
	}
	return level, province, within, slices.Contains(geo.Provinces(), province)
}

func (s *Server) childMap(r *http.Request, p *profile, key string) (*mapView, error) {
	level, province, within, ok := layerFor(p.Area)
	if !ok {
		return nil, nil
	}
	lang := langFrom(r.Context())
	m := &mapView{Topo: s.geoURL(level, province), Within: within, Credit: geo.Credit(),
		Values: map[string]any{}}
	m.Href = "/areas/{code}" + roundQuery(p)
	if key != "below" {
		m.Href += map[bool]string{true: "&", false: "?"}[p.HasRound] + "map=" + key
	}
	m.Title, m.Unit = s.mapTitle(lang, p, key)
	m.Min, m.Max = "0", "100"
	if key == "below" { // a count of indicators
		m.Integer, m.Max = true, strconv.Itoa(len(p.Report.Indicators))
	}
	kids := p.Children
	switch p.Area.Level {
	case area.Subdistrict, area.Village:
		m.Context = true
		tambon := p.Area
		if p.Area.Level == area.Village {
			m.Current = p.Area.Code
			parent, ok := s.areas.Get(p.Area.Code[:6])
			if !ok {
				return nil, nil
			}
			tambon = parent
			sib, err := s.loadProfile(r.Context(), parent, p.Round.ID, true)
			if err != nil {
				return nil, err
			}
			kids = sib.Children
		}
		gps := s.villageGPS(r.Context(), p.Round, tambon.Code)
		for _, c := range kids {
			pt := mapPoint{Code: c.Area.Code, Name: view{Lang: lang}.withSrv(s).Name(c.Area), Within: tambon.Code,
				Label: s.msgs.text(lang, "map.moo", "n", c.Area.Moo)}
			if ll, ok := gps[c.Area.Code]; ok {
				pt.Lat, pt.Lon = ptr(ll[0]), ptr(ll[1])
			}
			pt.Value = mapValue(c, key)
			m.Points = append(m.Points, pt)
		}
		return m, nil
	}
	for _, c := range kids {
		m.Values[c.Area.Code] = mapValue(c, key)
	}
	return m, nil
}

func (s *Server) mapTitle(lang string, p *profile, key string) (title, unit string) {
	switch key {
	case "below":
		return s.msgs.text(lang, "map.below"), ""
	case "mpi":
		return s.msgs.text(lang, "map.mpi"), "%"
	}
	ir, _ := indicatorByCode(p.Report, key)
	return s.msgs.text(lang, "map.indicator", "n", ir.Number, "name", ir.Name.In(lang)), "%"
}

// villageGPS is each village's mean household position in a round. Reading
// every household of a tambon costs more than the rest of the page, so the
// positions are kept for a few minutes, and a page waits for them only
// briefly: on a slow first read the map places the villages inside their
// tambon, and the next view has the positions.
func (s *Server) villageGPS(ctx context.Context, r survey.Round, tambon string) map[string][2]float64 {
	if r.AggregateOnly || r.ID == "" {
		return nil
	}
	key := r.ID + "/" + tambon
	s.gpsMu.Lock()
	e, ok := s.gps[key]
	if !ok || (e.done != nil && s.now().Sub(e.at) > 5*time.Minute) {
		if s.gps == nil || len(s.gps) > 1000 {
			s.gps = map[string]*gpsEntry{}
		}
		e = &gpsEntry{ready: make(chan struct{})}
		s.gps[key] = e
		go s.readGPS(r.ID, tambon, e)
	}
	s.gpsMu.Unlock()
	select {
	case <-e.ready:
		return e.done
	case <-time.After(60 * time.Millisecond):
		return nil
	case <-ctx.Done():
		return nil
	}
}

func (s *Server) readGPS(round, tambon string, e *gpsEntry) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum := map[string][3]float64{}
	err := s.store.EachHousehold(ctx, round, tambon, func(rec survey.Record) error {
		h := rec.Household
		if h == nil || h.Lat == nil || h.Lon == nil {
			return nil
		}
		v := sum[h.VillageCode]
		sum[h.VillageCode] = [3]float64{v[0] + *h.Lat, v[1] + *h.Lon, v[2] + 1}
		return nil
	})
	pos := make(map[string][2]float64, len(sum))
	if err != nil {
		s.log.Warn("village positions", "round", round, "tambon", tambon, "err", err)
	} else {
		for code, v := range sum {
			pos[code] = [2]float64{v[0] / v[2], v[1] / v[2]}
		}
	}
	s.gpsMu.Lock()
	e.at, e.done = s.now(), pos
	s.gpsMu.Unlock()
	close(e.ready)
}

// gpsEntry is one tambon's village positions: ready closes when done is set.
type gpsEntry struct {
	ready chan struct{}
	at    time.Time
	done  map[string][2]float64
}

// geoFile is one boundary layer ready to serve: its bytes, gzipped once, and
// a content hash for its URL.
type geoFile struct {
	body, gz []byte
	hash     string
}

var geoCache sync.Map // "district/70" → *geoFile

func geoLayer(level, province string) (*geoFile, error) {
	key := level + "/" + province
	if f, ok := geoCache.Load(key); ok {
		return f.(*geoFile), nil
	}
	b, err := geo.Layer(level, province)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	sum := sha256.Sum256(b)
	f := &geoFile{body: b, gz: buf.Bytes(), hash: hex.EncodeToString(sum[:5])}
	geoCache.Store(key, f)
	return f, nil
}

// geoURL is a layer's URL with its content hash, so it can be cached for a
// year: boundaries never change within a release.
func (s *Server) geoURL(level, province string) string {
	u := "/geo/" + level + ".json"
	if province != "" {
		u = "/geo/" + level + "/" + province + ".json"
	}
	if f, err := geoLayer(level, province); err == nil {
		u += "?v=" + f.hash
	}
	return u
}

// geoProvinceLayer serves /geo/province.json (and /geo/district.json).
func (s *Server) geoCountryLayer(w http.ResponseWriter, r *http.Request) error {
	level := strings.TrimSuffix(r.PathValue("file"), ".json")
	if level != geo.Province && level != geo.District {
		return apperr.New(apperr.NotFound, apperr.T("ไม่มีแผนที่นี้", "no such map layer"))
	}
	return s.serveLayer(w, r, level, "")
}

// geoLayerFile serves /geo/{level}/{province}.json.
func (s *Server) geoLayerFile(w http.ResponseWriter, r *http.Request) error {
	province, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if !ok {
		return apperr.New(apperr.NotFound, apperr.T("ไม่มีแผนที่นี้", "no such map layer"))
	}
	return s.serveLayer(w, r, r.PathValue("level"), province)
}

func (s *Server) serveLayer(w http.ResponseWriter, r *http.Request, level, province string) error {
	f, err := geoLayer(level, province)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+f.hash+`"`)
	serveBytes(w, r, f.body, f.gz, "application/json", true)
	return nil
}
