package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

// The OData v4 feed at /odata/: the published aggregates (areas, rounds,
// indicator results, MPI, TPMAP's target poor) as tables that Excel's and
// Power BI's OData connectors read, and, for callers who may open household
// records, the households of their area, masked as their role requires.
//
// What is implemented of OData 4.01 (the rest is refused with an OData
// error, never ignored): the service document, $metadata (CSDL XML), entity
// sets read as collections, $filter (odata_filter.go), $select, $top,
// $skip, $count and server-driven paging with @odata.nextLink; the JSON
// format with odata.metadata=minimal. The aggregate sets publish exactly
// what the public pages and the results API publish (resultsOf and the
// TPMAP view read with a signed-out caller): small counts withheld,
// uncertified tambons left out under --publish certified.

const (
	odataNS       = "Tambon"
	odataPageSize = 1000 // rows a page holds at most
)

// odataProp is one property of an entity type.
type odataProp struct {
	Name, Type string
	Nullable   bool
}

// odataSet is an entity set: its type, and how its rows are read. Rows
// come in units (an area, an area in a round); a page reads at most
// maxUnits of them, so a request's work is bounded whatever the filter.
type odataSet struct {
	Name, Type string
	Doc        string
	Keys       []string
	Props      []odataProp
	Personal   bool // household records: callers who may view households only
	maxUnits   int
	// units lists the set's units in order for a request, narrowed by the
	// filter's hints; rows reads one unit.
	units func(ctx context.Context, q *odataQuery) ([]odataUnit, error)
	rows  func(ctx context.Context, q *odataQuery, u odataUnit) ([]map[string]any, error)
}

// odataUnit is one unit of rows: an area code and a round or year.
type odataUnit struct {
	Area  string
	Round string
	Year  int
}

func (set *odataSet) propTypes() map[string]string {
	m := map[string]string{}
	for _, p := range set.Props {
		m[p.Name] = p.Type
	}
	return m
}

// odataQuery is a request's system query options, read and checked.
type odataQuery struct {
	set      *odataSet
	filter   *odataExpr
	selected []string // nil: every property
	top      int      // -1: no $top
	skip     int
	count    bool
	// The paging cursor ($skiptoken): the next unit, rows still to skip,
	// rows still to give (-1: no limit).
	unit, toSkip, toGive int
	user                 *user.User
}

// odataErrorBody is the OData JSON error: code and message, with the
// message in both languages as an inner error.
type odataErrorBody struct {
	Error struct {
		Code       string      `json:"code"`
		Message    string      `json:"message"`
		Target     string      `json:"target,omitempty"`
		InnerError *odataInner `json:"innererror,omitempty"`
	} `json:"error"`
}

type odataInner struct {
	Message  apperr.Text     `json:"message"`
	Problems apperr.Problems `json:"problems,omitempty"`
}

// odataError writes err as an OData error.
func (s *Server) odataError(w http.ResponseWriter, r *http.Request, err error) {
	err = s.explain(err)
	s.logIfInternal(r, err)
	var body odataErrorBody
	code := apperr.CodeOf(err)
	msg := apperr.MessageOf(err)
	body.Error.Code = string(code)
	body.Error.Message = msg.In(odataLang(r))
	body.Error.InnerError = &odataInner{Message: msg}
	var ne *odataNotImplemented
	status := statusOf(code)
	if errors.As(err, &ne) {
		status, body.Error.Code, body.Error.Target = http.StatusNotImplemented, "not_implemented", ne.option
	}
	odataHeaders(w)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
}

// odataNotImplemented is a system query option the feed does not support
// (OData answers those 501 Not Implemented).
type odataNotImplemented struct{ option string }

func (e *odataNotImplemented) Error() string { return e.option + " is not supported" }

func notImplemented(option string) error {
	return apperr.Wrap(&odataNotImplemented{option}, apperr.Invalid, apperr.Tf(
		"ชุดข้อมูลนี้ยังไม่รองรับ %s", "this feed does not support %s", option))
}

// odataLang is the language of an error's message: ?lang=, else
// Accept-Language, else Thai.
func odataLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "th" {
		return l
	}
	if al := r.Header.Get("Accept-Language"); al != "" && !strings.HasPrefix(strings.ToLower(al), "th") {
		return "en"
	}
	return "th"
}

func odataHeaders(w http.ResponseWriter) {
	w.Header().Set("OData-Version", "4.0")
	w.Header().Set("Cache-Control", "no-store")
}

// odata adapts an OData handler: errors as OData errors, the version
// header on every answer, and a client that asks for a later OData only
// (OData-MaxVersion below 4.0) refused.
func (s *Server) odata(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mv := r.Header.Get("OData-MaxVersion"); mv != "" {
			if v, err := strconv.ParseFloat(mv, 64); err == nil && v < 4 {
				s.odataError(w, r, apperr.New(apperr.Invalid, apperr.Tf(
					"บริการนี้เป็น OData 4.0 แต่ผู้เรียกรับได้ถึง %s", "this service speaks OData 4.0; the client accepts at most %s", mv)))
				return
			}
		}
		if err := h(w, r); err != nil {
			s.odataError(w, r, err)
		}
	})
}

// odataBase is the feed's address as the client reached it.
func (s *Server) odataBase(r *http.Request) string { return s.publicBase(r) + "/odata/" }

// odataService answers GET /odata/: the service document.
func (s *Server) odataService(w http.ResponseWriter, r *http.Request) error {
	type entry struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
		URL  string `json:"url"`
	}
	out := struct {
		Context string  `json:"@odata.context"`
		Value   []entry `json:"value"`
	}{Context: s.odataBase(r) + "$metadata", Value: []entry{}}
	u := userFrom(r.Context())
	for _, set := range s.odataSets() {
		if set.Personal && (u == nil || !u.Can(user.ViewHouseholds)) {
			continue
		}
		out.Value = append(out.Value, entry{Name: set.Name, Kind: "EntitySet", URL: set.Name})
	}
	return odataJSON(w, out)
}

func odataJSON(w http.ResponseWriter, v any) error {
	odataHeaders(w)
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// odataMetadata answers GET /odata/$metadata: the entity model in CSDL XML.
func (s *Server) odataMetadata(w http.ResponseWriter, r *http.Request) error {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">` + "\n")
	b.WriteString(`<edmx:DataServices>` + "\n")
	b.WriteString(`<Schema Namespace="` + odataNS + `" xmlns="http://docs.oasis-open.org/odata/ns/edm">` + "\n")
	esc := func(s string) string {
		var e strings.Builder
		xml.EscapeText(&e, []byte(s))
		return strings.ReplaceAll(e.String(), `"`, "&#34;")
	}
	sets := s.odataSets()
	for _, set := range sets {
		fmt.Fprintf(&b, `<EntityType Name="%s">`+"\n<Key>", set.Type)
		for _, k := range set.Keys {
			fmt.Fprintf(&b, `<PropertyRef Name="%s"/>`, k)
		}
		b.WriteString("</Key>\n")
		for _, p := range set.Props {
			fmt.Fprintf(&b, `<Property Name="%s" Type="%s"`, p.Name, p.Type)
			if !p.Nullable {
				b.WriteString(` Nullable="false"`)
			}
			b.WriteString("/>\n")
		}
		b.WriteString("</EntityType>\n")
	}
	b.WriteString(`<EntityContainer Name="Container">` + "\n")
	for _, set := range sets {
		fmt.Fprintf(&b, `<EntitySet Name="%s" EntityType="%s.%s">`, set.Name, odataNS, set.Type)
		fmt.Fprintf(&b, `<Annotation Term="Org.OData.Core.V1.Description" String="%s"/>`, esc(set.Doc))
		b.WriteString("</EntitySet>\n")
	}
	b.WriteString("</EntityContainer>\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n")
	odataHeaders(w)
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write([]byte(b.String()))
	return err
}

// odataSetByName finds an entity set (names are case-sensitive in OData).
func (s *Server) odataSetByName(name string) (*odataSet, error) {
	for _, set := range s.odataSets() {
		if set.Name == name {
			return set, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีชุดข้อมูล %q (ดูรายชื่อที่ /odata/)", "there is no entity set %q (the list is at /odata/)", name))
}

// parseOData reads the system query options of a request to set.
func parseOData(r *http.Request, set *odataSet) (*odataQuery, error) {
	q := &odataQuery{set: set, top: -1, toGive: -1, user: userFrom(r.Context())}
	v := r.URL.Query()
	for name := range v {
		switch name {
		case "$filter", "$select", "$top", "$skip", "$count", "$skiptoken", "$format", "lang":
		case "$orderby", "$expand", "$search", "$apply", "$compute", "$levels", "$index", "$schemaversion", "$deltatoken":
			return nil, notImplemented(name)
		default:
			if strings.HasPrefix(name, "$") {
				return nil, apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักตัวเลือก %s", "unknown system query option %s", name))
			}
		}
	}
	if f := v.Get("$format"); f != "" && f != "json" && !strings.HasPrefix(f, "application/json") {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("$format ต้องเป็น json (ได้ %q)", "$format must be json (got %q)", f))
	}
	types := set.propTypes()
	if f := strings.TrimSpace(v.Get("$filter")); f != "" {
		e, err := parseFilter(f, types)
		if err != nil {
			return nil, err
		}
		q.filter = e
	}
	if sel := strings.TrimSpace(v.Get("$select")); sel != "" && sel != "*" {
		for _, p := range strings.Split(sel, ",") {
			p = strings.TrimSpace(p)
			if _, ok := types[p]; !ok {
				return nil, apperr.New(apperr.Invalid, apperr.Tf("$select: ไม่มีคุณสมบัติ %q", "$select: there is no property %q", p))
			}
			q.selected = append(q.selected, p)
		}
	}
	num := func(name string) (int, error) {
		s := v.Get(name)
		if s == "" {
			return -1, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, apperr.New(apperr.Invalid, apperr.Tf("%s ต้องเป็นจำนวนเต็มไม่ติดลบ", "%s must be a non-negative integer", name))
		}
		return n, nil
	}
	var err error
	if q.top, err = num("$top"); err != nil {
		return nil, err
	}
	if q.skip, err = num("$skip"); err != nil {
		return nil, err
	}
	q.skip = max(q.skip, 0)
	switch c := v.Get("$count"); c {
	case "", "false":
	case "true":
		q.count = true
	default:
		return nil, apperr.New(apperr.Invalid, apperr.T("$count ต้องเป็น true หรือ false", "$count must be true or false"))
	}
	q.toSkip, q.toGive = q.skip, q.top
	if tok := v.Get("$skiptoken"); tok != "" {
		parts := strings.Split(tok, ".")
		ok := len(parts) == 3
		var n [3]int
		for i := 0; ok && i < 3; i++ {
			n[i], err = strconv.Atoi(parts[i])
			ok = err == nil && n[i] >= -1
		}
		if !ok {
			return nil, apperr.New(apperr.Invalid, apperr.T("$skiptoken ไม่ถูกต้อง: ใช้ลิงก์ @odata.nextLink ตามที่ได้รับ", "$skiptoken is not valid: follow @odata.nextLink as given"))
		}
		q.unit, q.toSkip, q.toGive = n[0], n[1], n[2]
	}
	return q, nil
}

// odataCollection answers GET /odata/{set}: one page of the set's rows.
func (s *Server) odataCollection(w http.ResponseWriter, r *http.Request) error {
	set, err := s.odataSetByName(r.PathValue("set"))
	if err != nil {
		return err
	}
	if set.Personal {
		u, err := signedIn(r)
		if err != nil {
			return err
		}
		if !u.Can(user.ViewHouseholds) {
			return denied()
		}
	}
	q, err := parseOData(r, set)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if !set.Personal {
		// The published aggregates: exactly what a signed-out visitor sees.
		ctx = context.WithValue(ctx, ctxUser, (*user.User)(nil))
	}
	units, err := set.units(ctx, q)
	if err != nil {
		return err
	}
	out := odataPage{Context: s.odataBase(r) + "$metadata#" + set.Name, Value: []map[string]any{}}
	if q.selected != nil {
		out.Context += "(" + strings.Join(q.selected, ",") + ")"
	}
	if q.count {
		if len(units) > set.maxUnits*20 {
			return apperr.New(apperr.Invalid, apperr.Tf(
				"$count ของ %s ต้องอ่านข้อมูลมากเกินไป: จำกัดด้วย $filter ตามรหัสพื้นที่หรือรอบก่อน",
				"$count of %s would read too much: narrow it first with $filter on the area code or the round", set.Name))
		}
		n := int64(0)
		for _, u := range units {
			rows, err := set.rows(ctx, q, u)
			if err != nil {
				return err
			}
			for _, row := range rows {
				if q.filter == nil || q.filter.eval(row) {
					n++
				}
			}
		}
		n = max(0, n-int64(q.skip))
		if q.top >= 0 {
			n = min(n, int64(q.top))
		}
		out.Count = &n
	}
	next := -1
	read := 0
	pageSize := odataPageSize
	if n, ok := maxPageSize(r); ok {
		pageSize = n
		w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(n))
	}
units:
	for i := q.unit; i < len(units) && q.toGive != 0; i++ {
		if read == set.maxUnits || len(out.Value) >= pageSize {
			next = i
			break
		}
		read++
		rows, err := set.rows(ctx, q, units[i])
		if err != nil {
			return err
		}
		passed := 0 // rows of this unit skipped or given
		for _, row := range rows {
			if q.filter != nil && !q.filter.eval(row) {
				continue
			}
			if q.toSkip > 0 {
				q.toSkip--
				passed++
				continue
			}
			if q.toGive == 0 {
				break
			}
			if len(out.Value) >= pageSize {
				// The page is full inside a unit: the next page reads the
				// unit again and skips the rows passed here.
				next, q.toSkip = i, passed
				break units
			}
			out.Value = append(out.Value, q.project(row))
			passed++
			if q.toGive > 0 {
				q.toGive--
			}
		}
	}
	if next >= 0 && q.toGive != 0 {
		out.NextLink = s.odataNext(r, next, q.toSkip, q.toGive)
	}
	if set.Personal {
		if err := s.odataAudit(ctx, q, r, len(out.Value)); err != nil {
			return err
		}
	}
	return odataJSON(w, out)
}

// maxPageSize reads the client's preference "Prefer: odata.maxpagesize=N"
// (at most odataPageSize).
func maxPageSize(r *http.Request) (int, bool) {
	for _, pref := range strings.Split(r.Header.Get("Prefer"), ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(pref), "=")
		if ok && strings.EqualFold(k, "odata.maxpagesize") {
			if n, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil && n > 0 {
				return min(n, odataPageSize), true
			}
		}
	}
	return 0, false
}

// odataPage is one page of a collection.
type odataPage struct {
	Context  string           `json:"@odata.context"`
	Count    *int64           `json:"@odata.count,omitempty"`
	Value    []map[string]any `json:"value"`
	NextLink string           `json:"@odata.nextLink,omitempty"`
}

// project keeps the selected properties of a row.
func (q *odataQuery) project(row map[string]any) map[string]any {
	if q.selected == nil {
		return row
	}
	out := make(map[string]any, len(q.selected))
	for _, p := range q.selected {
		out[p] = row[p]
	}
	return out
}

// odataNext is the next page's address: the request's own options, with
// the cursor in $skiptoken in place of $skip and $top.
func (s *Server) odataNext(r *http.Request, unit, toSkip, toGive int) string {
	v := url.Values{}
	for k, vs := range r.URL.Query() {
		if k == "$skip" || k == "$top" || k == "$skiptoken" || k == "$count" {
			continue
		}
		v[k] = vs
	}
	v.Set("$skiptoken", fmt.Sprintf("%d.%d.%d", unit, toSkip, toGive))
	return s.odataBase(r) + r.PathValue("set") + "?" + strings.ReplaceAll(v.Encode(), "%24", "$")
}
