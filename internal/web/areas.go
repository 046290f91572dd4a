package web

import (
	"net/http"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
)

// areaOr404 looks an area up by the code in the URL.
func (s *Server) areaOr404(code string) (area.Area, error) {
	code = strings.TrimSpace(code)
	if code == "" || strings.EqualFold(code, "th") {
		code = area.CountryCode
	}
	a, ok := s.areas.Get(code)
	if !ok {
		return a, apperr.New(apperr.NotFound, apperr.Tf(
			"ไม่พบพื้นที่รหัส %s (รหัสจังหวัดมี 2 หลัก อำเภอ 4 หลัก ตำบล 6 หลัก หมู่บ้าน 8 หลัก)",
			"no area has the code %s (province codes have 2 digits, districts 4, subdistricts 6, villages 8)", code))
	}
	return a, nil
}

// childRow is one line of an area's table of children.
type childRow struct {
	Area     area.Area
	Children int
}

func (s *Server) childRows(code string) []childRow {
	kids := s.areas.Children(code)
	rows := make([]childRow, len(kids))
	for i, k := range kids {
		rows[i] = childRow{Area: k, Children: len(s.areas.Children(k.Code))}
	}
	return rows
}

func (v view) withSrv(s *Server) view { v.srv = s; return v }

type homeData struct {
	Regions  []regionGroup
	Activity *homeActivity // late follow-ups and the latest news: activity.go
	Mine     *myArea       // the signed-in account's area and what needs doing: landing.go
	Overview *dataOverview // where published data are: landing_overview.go
	Map      *mapView      // the country's public map, for the "map" partial
}

type regionGroup struct {
	Region    area.Region
	Provinces []childRow
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	d := homeData{Activity: s.homeActivity(r), Mine: s.myAreaFor(r)}
	if d.Mine == nil {
		if d.Overview = s.overview(r); d.Overview != nil {
			d.Map = d.Overview.Map
		}
	}
	byRegion := map[int]int{}
	for _, reg := range s.areas.Regions() {
		byRegion[reg.ID] = len(d.Regions)
		d.Regions = append(d.Regions, regionGroup{Region: reg})
	}
	for _, row := range s.childRows(area.CountryCode) {
		if i, ok := byRegion[row.Area.Region]; ok {
			d.Regions[i].Provinces = append(d.Regions[i].Provinces, row)
		}
	}
	return s.render(w, r, http.StatusOK, "home", "", d)
}

type searchData struct {
	Q       string
	Matches []area.Match
}

const searchLimit = 50

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := searchData{Q: q}
	if q != "" {
		d.Matches = s.areas.Search(q, searchLimit)
		// One exact hit: go straight there, as people expect from a search box.
		if len(d.Matches) == 1 {
			http.Redirect(w, r, "/areas/"+d.Matches[0].Area.Code, http.StatusSeeOther)
			return nil
		}
	}
	return s.render(w, r, http.StatusOK, "search", s.msgs.text(langFrom(r.Context()), "nav.search"), d)
}

// Has reports whether a province has published data (for marking the list).
func (d homeData) Has(code string) bool { return d.Overview != nil && d.Overview.HasData[code] }
