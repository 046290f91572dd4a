package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
// $skip, $orderby (odata_order.go), $count and /$count, and server-driven
// paging with @odata.nextLink; the JSON format with odata.metadata=minimal
// or none, negotiated with Accept and $format (odata_negotiate.go). The
// entity types have no navigation properties, so $expand is refused with
// 501 like the other options the feed lacks. The aggregate sets publish exactly
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
	orderby  []odataOrder   // nil: the feed's own order
	after    map[string]any // an ordered read's cursor: the last row given
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
	status := statusOf(code)
	if se, ok := statusErrOf(err); ok {
		status, body.Error.Code, body.Error.Target = se.status, se.code, se.target
	}
	odataHeaders(w)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
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
// header on every answer, and a client that asks for another OData only
// refused: OData-MaxVersion below 4.0, or an OData-Version other than 4.0
// and 4.01 (the version the client's request is written in; a 4.01
// request reads as a 4.0 one here).
func (s *Server) odata(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mv := r.Header.Get("OData-MaxVersion"); mv != "" {
			if v, err := strconv.ParseFloat(strings.TrimSpace(mv), 64); err != nil || v < 4 {
				s.odataError(w, r, apperr.New(apperr.Invalid, apperr.Tf(
					"บริการนี้เป็น OData 4.0 แต่ผู้เรียกรับได้ถึง %s", "this service speaks OData 4.0; the client accepts at most %s", mv)))
				return
			}
		}
		if v := strings.TrimSpace(r.Header.Get("OData-Version")); v != "" && v != "4.0" && v != "4.01" {
			s.odataError(w, r, apperr.New(apperr.Invalid, apperr.Tf(
				"บริการนี้เป็น OData 4.0 แต่คำขอเขียนเป็น OData %s", "this service speaks OData 4.0; the request is written in OData %s", v)))
			return
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
	if _, err := parseOptions(r); err != nil {
		return err
	}
	meta, err := negotiate(r, "application/json")
	if err != nil {
		return err
	}
	type entry struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
		URL  string `json:"url"`
	}
	out := struct {
		Context string  `json:"@odata.context,omitempty"`
		Value   []entry `json:"value"`
	}{Context: s.odataBase(r) + "$metadata", Value: []entry{}}
	u := userFrom(r.Context())
	for _, set := range s.odataSets() {
		if set.Personal && (u == nil || !u.Can(user.ViewHouseholds)) {
			continue
		}
		out.Value = append(out.Value, entry{Name: set.Name, Kind: "EntitySet", URL: set.Name})
	}
	if meta == "none" {
		out.Context = ""
	}
	return odataJSON(w, meta, out)
}

// odataJSON writes a JSON answer at a metadata level ("minimal", "none").
func odataJSON(w http.ResponseWriter, meta string, v any) error {
	odataHeaders(w)
	w.Header().Set("Content-Type", "application/json; odata.metadata="+meta+"; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// odataMetadata answers GET /odata/$metadata: the entity model in CSDL XML.
func (s *Server) odataMetadata(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseOptions(r); err != nil {
		return err
	}
	if _, err := negotiate(r, "application/xml"); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">` + "\n")
	// The Core vocabulary, whose Description term annotates each set.
	b.WriteString(`<edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">` +
		`<edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/></edmx:Reference>` + "\n")
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

// odataSystem are the system query options by name (lower case, no $):
// 1 those the feed implements, 2 those it refuses with 501.
var odataSystem = map[string]int{
	"filter": 1, "select": 1, "top": 1, "skip": 1, "count": 1, "skiptoken": 1, "format": 1, "orderby": 1,
	"expand": 2, "search": 2, "apply": 2, "compute": 2, "levels": 2, "index": 2, "schemaversion": 2, "deltatoken": 2, "id": 2,
}

// parseOptions reads a request's system query options by their OData 4.01
// names ($ and lower case; OData 4.01 lets a client write them in any case
// and without the $): an option given twice, or an unknown $ option, is
// refused with 400, one the feed does not implement with 501. Custom
// options (lang) pass through.
func parseOptions(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	for name, vs := range r.URL.Query() {
		bare := strings.ToLower(strings.TrimPrefix(name, "$"))
		kind := odataSystem[bare]
		if kind == 0 {
			if strings.HasPrefix(name, "$") {
				return nil, apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักตัวเลือก %s", "unknown system query option %s", name))
			}
			continue // a custom option
		}
		opt := "$" + bare
		if _, twice := out[opt]; twice || len(vs) > 1 {
			return nil, apperr.New(apperr.Invalid, apperr.Tf("ตัวเลือก %s ให้มาเกินหนึ่งครั้ง", "the option %s is given more than once", opt))
		}
		if kind == 2 {
			return nil, notImplemented(opt)
		}
		out[opt] = vs[0]
	}
	return out, nil
}

// parseOData reads the system query options of a request to set.
func parseOData(r *http.Request, set *odataSet) (*odataQuery, error) {
	q := &odataQuery{set: set, top: -1, toGive: -1, user: userFrom(r.Context())}
	v, err := parseOptions(r)
	if err != nil {
		return nil, err
	}
	types := set.propTypes()
	if f := strings.TrimSpace(v["$filter"]); f != "" {
		e, err := parseFilter(f, types)
		if err != nil {
			return nil, err
		}
		q.filter = e
	}
	if sel := strings.TrimSpace(v["$select"]); sel != "" && sel != "*" {
		for _, p := range strings.Split(sel, ",") {
			p = strings.TrimSpace(p)
			if _, ok := types[p]; !ok {
				return nil, apperr.New(apperr.Invalid, apperr.Tf("$select: ไม่มีคุณสมบัติ %q", "$select: there is no property %q", p))
			}
			if !slices.Contains(q.selected, p) {
				q.selected = append(q.selected, p)
			}
		}
	}
	if ob := strings.TrimSpace(v["$orderby"]); ob != "" {
		if q.orderby, err = parseOrderBy(ob, types); err != nil {
			return nil, err
		}
	}
	num := func(name string) (int, error) {
		s, ok := v[name]
		if !ok {
			return -1, nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			return 0, apperr.New(apperr.Invalid, apperr.Tf("%s ต้องเป็นจำนวนเต็มไม่ติดลบ (ได้ %q)", "%s must be a non-negative integer (got %q)", name, s))
		}
		return n, nil
	}
	if q.top, err = num("$top"); err != nil {
		return nil, err
	}
	if q.skip, err = num("$skip"); err != nil {
		return nil, err
	}
	q.skip = max(q.skip, 0)
	switch c := v["$count"]; c {
	case "", "false":
	case "true":
		q.count = true
	default:
		return nil, apperr.New(apperr.Invalid, apperr.T("$count ต้องเป็น true หรือ false", "$count must be true or false"))
	}
	q.toSkip, q.toGive = q.skip, q.top
	tok, paged := v["$skiptoken"]
	switch {
	case !paged:
	case q.orderby != nil:
		if !strings.HasPrefix(tok, "o") {
			return nil, apperr.New(apperr.Invalid, apperr.T("$skiptoken ไม่ถูกต้อง: ใช้ลิงก์ @odata.nextLink ตามที่ได้รับ", "$skiptoken is not valid: follow @odata.nextLink as given"))
		}
		if q.after, q.toGive, err = readCursor(tok, q.sortKeys()); err != nil {
			return nil, err
		}
		q.toSkip = 0
	default:
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

// odataRead opens a set for a request: the set, the caller's right to it,
// the query, and the context its rows are read in.
func (s *Server) odataRead(r *http.Request) (*odataSet, *odataQuery, context.Context, error) {
	set, err := s.odataSetByName(r.PathValue("set"))
	if err != nil {
		return nil, nil, nil, err
	}
	if set.Personal {
		u, err := signedIn(r)
		if err != nil {
			return nil, nil, nil, err
		}
		if !u.Can(user.ViewHouseholds) {
			return nil, nil, nil, denied()
		}
	}
	q, err := parseOData(r, set)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx := r.Context()
	if !set.Personal {
		// The published aggregates: exactly what a signed-out visitor sees.
		ctx = context.WithValue(ctx, ctxUser, (*user.User)(nil))
	}
	return set, q, ctx, nil
}

// allRows reads every row of the units that the filter keeps, in unit
// order: for $count and ordered reads, which must see the whole
// collection, so bounded to a number of units a filter can reach.
func (q *odataQuery) allRows(ctx context.Context, units []odataUnit, what string) ([]map[string]any, error) {
	set := q.set
	if len(units) > set.maxUnits*20 {
		return nil, apperr.New(apperr.Invalid, apperr.Tf(
			"%s ของ %s ต้องอ่านข้อมูลมากเกินไป: จำกัดด้วย $filter ตามรหัสพื้นที่หรือรอบก่อน",
			"%s of %s would read too much: narrow it first with $filter on the area code or the round", what, set.Name))
	}
	var out []map[string]any
	for _, u := range units {
		rows, err := set.rows(ctx, q, u)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			if q.filter == nil || q.filter.eval(row) {
				out = append(out, row)
			}
		}
	}
	return out, nil
}

// odataCount answers GET /odata/{set}/$count: the number of rows the
// filter keeps (then $skip and $top), as plain text.
func (s *Server) odataCount(w http.ResponseWriter, r *http.Request) error {
	set, q, ctx, err := s.odataRead(r)
	if err != nil {
		return err
	}
	if _, err := negotiate(r, "text/plain"); err != nil {
		return err
	}
	units, err := set.units(ctx, q)
	if err != nil {
		return err
	}
	rows, err := q.allRows(ctx, units, "$count")
	if err != nil {
		return err
	}
	n := max(0, len(rows)-q.skip)
	if q.top >= 0 {
		n = min(n, q.top)
	}
	odataHeaders(w)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, err = fmt.Fprint(w, n)
	return err
}

// odataCollection answers GET /odata/{set}: one page of the set's rows.
func (s *Server) odataCollection(w http.ResponseWriter, r *http.Request) error {
	set, q, ctx, err := s.odataRead(r)
	if err != nil {
		return err
	}
	meta, err := negotiate(r, "application/json")
	if err != nil {
		return err
	}
	units, err := set.units(ctx, q)
	if err != nil {
		return err
	}
	out := odataPage{Context: s.odataBase(r) + "$metadata#" + set.Name, Value: []map[string]any{}}
	if q.selected != nil {
		out.Context += "(" + strings.Join(q.selected, ",") + ")"
	}
	if meta == "none" {
		out.Context = ""
	}
	pageSize := odataPageSize
	if n, ok := maxPageSize(r); ok {
		pageSize = n
		w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(n))
	}
	if q.orderby != nil {
		err = s.odataOrderedPage(ctx, r, q, units, pageSize, &out)
	} else {
		err = s.odataUnitPage(ctx, r, q, units, pageSize, &out)
	}
	if err != nil {
		return err
	}
	if set.Personal {
		if err := s.odataAudit(ctx, q, r, len(out.Value)); err != nil {
			return err
		}
	}
	return odataJSON(w, meta, out)
}

// odataOrderedPage is a page of an ordered read: every row the filter
// keeps, sorted, from the row after the cursor (or after $skip rows).
func (s *Server) odataOrderedPage(ctx context.Context, r *http.Request, q *odataQuery, units []odataUnit, pageSize int, out *odataPage) error {
	rows, err := q.allRows(ctx, units, "$orderby")
	if err != nil {
		return err
	}
	keys := q.sortKeys()
	slices.SortStableFunc(rows, func(a, b map[string]any) int { return compareRows(a, b, keys) })
	if q.count {
		n := int64(len(rows))
		out.Count = &n
	}
	from := q.skip
	if q.after != nil {
		from, _ = slices.BinarySearchFunc(rows, q.after, func(row, last map[string]any) int {
			if compareRows(row, last, keys) <= 0 {
				return -1
			}
			return 1
		})
	}
	from = min(from, len(rows))
	n := len(rows) - from
	if q.toGive >= 0 {
		n = min(n, q.toGive)
	}
	if n > pageSize {
		n = pageSize
		toGive := q.toGive
		if toGive > 0 {
			toGive -= n
		}
		tok, err := cursorToken(rows[from+n-1], keys, toGive)
		if err != nil {
			return err
		}
		out.NextLink = s.odataNext(r, tok)
	}
	for _, row := range rows[from : from+n] {
		out.Value = append(out.Value, q.project(row))
	}
	return nil
}

// odataUnitPage is a page of a read in the feed's own order: unit by
// unit, at most maxUnits units a page, resuming at the cursor's unit.
func (s *Server) odataUnitPage(ctx context.Context, r *http.Request, q *odataQuery, units []odataUnit, pageSize int, out *odataPage) error {
	set := q.set
	if q.count {
		rows, err := q.allRows(ctx, units, "$count")
		if err != nil {
			return err
		}
		n := int64(len(rows))
		out.Count = &n
	}
	next := -1
	read := 0
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
		out.NextLink = s.odataNext(r, fmt.Sprintf("%d.%d.%d", next, q.toSkip, q.toGive))
	}
	return nil
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
	Context  string           `json:"@odata.context,omitempty"`
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
// the cursor in $skiptoken in place of $skip, $top and $count.
func (s *Server) odataNext(r *http.Request, token string) string {
	v := url.Values{}
	for k, vs := range r.URL.Query() {
		switch strings.ToLower(strings.TrimPrefix(k, "$")) {
		case "skip", "top", "skiptoken", "count":
			continue
		}
		v[k] = vs
	}
	v.Set("$skiptoken", token)
	return s.odataBase(r) + r.PathValue("set") + "?" + strings.ReplaceAll(v.Encode(), "%24", "$")
}
