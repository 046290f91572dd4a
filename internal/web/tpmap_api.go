package web

import (
	"bytes"
	"net/http"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/tabular"
)

// tpmapYearOf reads the TPMAP year a request asks for (?year= for the API,
// ?tpmap= for pages and Excel files); 0 for the newest.
func tpmapYearOf(r *http.Request, param string) (int, error) {
	v := r.URL.Query().Get(param)
	if v == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2500 || y > 2700 {
		return 0, apperr.New(apperr.Invalid, apperr.Tf(
			"%s ต้องเป็นปี พ.ศ. เช่น 2561", "%s must be a Buddhist-era year such as 2561", param))
	}
	return y, nil
}

// tpmapOr404 is an area's TPMAP figures for the request, or not found.
func (s *Server) tpmapOr404(r *http.Request, a area.Area, param string) (*tpmapView, error) {
	year, err := tpmapYearOf(r, param)
	if err != nil {
		return nil, err
	}
	v, err := s.tpmapFor(r.Context(), a.Code, year)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, apperr.New(apperr.NotFound, apperr.T("ยังไม่มีข้อมูล TPMAP ของพื้นที่นี้ในปีนั้น", "there are no TPMAP figures for this area in that year"))
	}
	return v, nil
}

// apiTPMAPBody is the JSON of TPMAP's target poor of an area. A count the
// disclosure rule withholds from the public is left out (absent, not 0) and
// named in withheld.
type apiTPMAPBody struct {
	Area           string            `json:"area"`
	Year           int               `json:"year"`
	SurveyYear     int               `json:"survey_year"`
	Years          []int             `json:"years"`
	Source         string            `json:"source"`
	Published      bool              `json:"published"`
	Households     *int64            `json:"households,omitempty"`
	People         *int64            `json:"people,omitempty"`
	PoorHouseholds *int64            `json:"poor_households,omitempty"`
	Poor           *int64            `json:"poor,omitempty"`
	Registered     *int64            `json:"registered,omitempty"`
	TargetPoor     *int64            `json:"target_poor,omitempty"`
	Rate           *float64          `json:"rate,omitempty"`
	Dimensions     map[string]*int64 `json:"dimensions"`
	Indicators     []apiTPMAPInd     `json:"indicators"`
	Withheld       []string          `json:"withheld,omitempty"`
}

type apiTPMAPInd struct {
	Number     int    `json:"number"`
	NameTH     string `json:"name_th,omitempty"`
	NameEN     string `json:"name_en,omitempty"`
	TargetPoor *int64 `json:"target_poor_failing,omitempty"`
	Withheld   bool   `json:"withheld,omitempty"`
}

func apiTPMAPOf(code string, v *tpmapView) apiTPMAPBody {
	b := apiTPMAPBody{Area: code, Year: v.Year, SurveyYear: v.SurveyYear, Years: v.Years, Source: "TPMAP (NESDC, NECTEC)",
		Published: v.Published, Dimensions: map[string]*int64{}, Indicators: []apiTPMAPInd{}}
	fig := func(name string, f tpFigure) *int64 {
		if f.Hidden {
			b.Withheld = append(b.Withheld, name)
			return nil
		}
		n := f.N
		return &n
	}
	if v.Households.N > 0 || v.Households.Hidden {
		b.Households = fig("households", v.Households)
	}
	if v.People.N > 0 || v.People.Hidden {
		b.People = fig("people", v.People)
	}
	b.PoorHouseholds = fig("poor_households", v.PoorHouseholds)
	b.Poor = fig("poor", v.Poor)
	b.Registered = fig("registered", v.Registered)
	b.TargetPoor = fig("target_poor", v.TargetPoor)
	if v.HasRate {
		r := v.Rate
		b.Rate = &r
	}
	for _, d := range v.Dimensions {
		b.Dimensions[d.Key] = fig("dimensions."+d.Key, d.N)
	}
	for _, ind := range v.Indicators {
		x := apiTPMAPInd{Number: ind.Number, NameTH: ind.Name.TH, NameEN: ind.Name.EN, Withheld: ind.N.Hidden}
		if !ind.N.Hidden {
			n := ind.N.N
			x.TargetPoor = &n
		}
		b.Indicators = append(b.Indicators, x)
	}
	return b
}

// apiAreaTPMAP answers GET /api/v1/areas/{code}/target-poor: TPMAP's
// published target poor of the area for ?year= (default the newest).
func (s *Server) apiAreaTPMAP(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	v, err := s.tpmapOr404(r, a, "year")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, apiTPMAPOf(a.Code, v))
}

// tpmapExport writes TPMAP's target poor of an area as an Excel file: the
// figures, then the target poor failing each indicator. Hidden counts say so.
func (s *Server) tpmapExport(w http.ResponseWriter, r *http.Request, a area.Area) error {
	v, err := s.tpmapOr404(r, a, "tpmap")
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	hidden := t("sdc.hidden")
	cell := func(f tpFigure) any {
		if f.Hidden {
			return hidden
		}
		return f.N
	}
	var buf bytes.Buffer
	x := tabular.NewXLSXWriter(&buf)
	x.NewSheet(sheetName(t("tpmap.sheet")), []string{t("tpmap.col.figure"), t("tpmap.col.value")})
	x.Write(t("area.name"), view{Lang: lang}.withSrv(s).Name(a))
	x.Write(t("area.code"), a.Code)
	x.Write(t("tpmap.col.year"), v.Year)
	x.Write(t("tpmap.col.survey"), v.SurveyYear)
	if !v.AreaHidden {
		if v.Households.N > 0 || v.Households.Hidden {
			x.Write(t("tpmap.col.households"), cell(v.Households))
		}
		if v.People.N > 0 || v.People.Hidden {
			x.Write(t("tpmap.people", "survey", v.SurveyYear), cell(v.People))
		}
		x.Write(t("tpmap.poor"), cell(v.Poor))
		x.Write(t("tpmap.registered"), cell(v.Registered))
		x.Write(t("tpmap.target"), cell(v.TargetPoor))
		if v.HasRate {
			x.Write(t("tpmap.col.rate"), round2(v.Rate))
		} else {
			x.Write(t("tpmap.col.rate"), hidden)
		}
		x.Write(t("tpmap.poorhh"), cell(v.PoorHouseholds))
		for _, d := range v.Dimensions {
			x.Write(t("tpmap.dims")+": "+t(dimKey(d.Key)), cell(d.N))
		}
	} else {
		x.Write(t("sdc.area", "n", s.smallCell()))
	}
	x.Write(t("tpmap.col.published"), yesNo(t, v.Published))
	x.Write(t("tpmap.credit"))
	x.Write(t("tpmap.whose"))
	x.Write(t("tpmap.coupling", "year", v.Year, "survey", v.SurveyYear))
	if !v.AreaHidden {
		x.NewSheet(sheetName(t("tpmap.sheet.ind")), []string{t("col.number"), t("tpmap.col.ind"), t("tpmap.col.indn")})
		for _, ind := range v.Indicators {
			x.Write(ind.Number, ind.Name.In(lang), cell(ind.N))
		}
	}
	if err := x.Close(); err != nil {
		return err
	}
	writeXLSX(w, "tambon-"+asciiName(a.Code)+"-tpmap-"+strconv.Itoa(v.Year)+".xlsx", buf.Bytes())
	return nil
}
