package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/user"
)

type odataPage struct {
	Context  string           `json:"@odata.context"`
	Count    *int64           `json:"@odata.count"`
	NextLink string           `json:"@odata.nextLink"`
	Value    []map[string]any `json:"value"`
}

// odataGet asks the feed as an OData client does, with a token or none.
func odataGet(t *testing.T, base, path, token string, header ...string) (int, string, http.Header) {
	t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = base + path
	}
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("OData-MaxVersion", "4.0")
	req.Header.Set("Accept", "application/json;odata.metadata=minimal")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func mustPage(t *testing.T, base, path, token string, header ...string) odataPage {
	t.Helper()
	status, body, h := odataGet(t, base, path, token, header...)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	if h.Get("OData-Version") != "4.0" || !strings.Contains(h.Get("Content-Type"), "application/json") || !strings.Contains(h.Get("Content-Type"), "odata.metadata=minimal") {
		t.Errorf("GET %s: OData-Version %q, Content-Type %q", path, h.Get("OData-Version"), h.Get("Content-Type"))
	}
	var p odataPage
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("GET %s: not JSON: %v", path, err)
	}
	if !strings.Contains(p.Context, "/odata/$metadata") {
		t.Errorf("GET %s: @odata.context %q does not point at the metadata document", path, p.Context)
	}
	return p
}

// The service document and $metadata follow OData 4.0: the version
// header, a context URL, every entity set of the service document declared
// in the CSDL's entity container, every key a declared property, in the
// edmx and edm namespaces.
func TestODataServiceAndMetadata(t *testing.T) {
	app := mustHouseholdApp(t)
	base := app.ts.URL
	svc := mustPage(t, base, "/odata/", "")
	names := map[string]bool{}
	for _, v := range svc.Value {
		names[v["name"].(string)] = true
		if v["kind"] != "EntitySet" || v["url"] != v["name"] {
			t.Errorf("service document entry %v", v)
		}
	}
	for _, want := range []string{"Areas", "Rounds", "IndicatorResults", "Mpi", "TargetPoor", "VillageLevels"} {
		if !names[want] {
			t.Errorf("the service document lacks %s: %v", want, names)
		}
	}
	if names["Households"] {
		t.Error("the service document offers household records to a signed-out client")
	}
	status, body, h := odataGet(t, base, "/odata/$metadata", "", "Accept", "application/xml")
	if status != 200 || h.Get("OData-Version") != "4.0" || !strings.HasPrefix(h.Get("Content-Type"), "application/xml") {
		t.Fatalf("$metadata: %d %v", status, h)
	}
	var doc struct {
		XMLName      xml.Name
		Version      string `xml:"Version,attr"`
		DataServices struct {
			XMLName xml.Name
			Schema  []struct {
				XMLName    xml.Name
				Namespace  string `xml:"Namespace,attr"`
				EntityType []struct {
					Name string `xml:"Name,attr"`
					Key  struct {
						PropertyRef []struct {
							Name string `xml:"Name,attr"`
						}
					}
					Property []struct {
						Name     string `xml:"Name,attr"`
						Type     string `xml:"Type,attr"`
						Nullable string `xml:"Nullable,attr"`
					}
				}
				EntityContainer struct {
					Name      string `xml:"Name,attr"`
					EntitySet []struct {
						Name       string `xml:"Name,attr"`
						EntityType string `xml:"EntityType,attr"`
					}
				}
			}
		}
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("$metadata is not XML: %v", err)
	}
	const edmx, edm = "http://docs.oasis-open.org/odata/ns/edmx", "http://docs.oasis-open.org/odata/ns/edm"
	if doc.XMLName.Space != edmx || doc.XMLName.Local != "Edmx" || doc.Version != "4.0" || doc.DataServices.XMLName.Space != edmx || len(doc.DataServices.Schema) != 1 {
		t.Fatalf("$metadata root %v version %q", doc.XMLName, doc.Version)
	}
	sc := doc.DataServices.Schema[0]
	if sc.XMLName.Space != edm || sc.Namespace == "" {
		t.Fatalf("schema %v namespace %q", sc.XMLName, sc.Namespace)
	}
	types := map[string]map[string]string{}
	for _, et := range sc.EntityType {
		props := map[string]string{}
		for _, p := range et.Property {
			if !strings.HasPrefix(p.Type, "Edm.") {
				t.Errorf("%s.%s has type %q", et.Name, p.Name, p.Type)
			}
			props[p.Name] = p.Type
		}
		if len(et.Key.PropertyRef) == 0 {
			t.Errorf("entity type %s has no key", et.Name)
		}
		for _, k := range et.Key.PropertyRef {
			if props[k.Name] == "" {
				t.Errorf("the key %s of %s is no property", k.Name, et.Name)
			}
		}
		types[sc.Namespace+"."+et.Name] = props
	}
	declared := map[string]bool{}
	for _, es := range sc.EntityContainer.EntitySet {
		declared[es.Name] = true
		if types[es.EntityType] == nil {
			t.Errorf("entity set %s has the undeclared type %s", es.Name, es.EntityType)
		}
	}
	for n := range names {
		if !declared[n] {
			t.Errorf("the service document's %s is not in $metadata", n)
		}
	}
	// Every row of a set carries exactly its type's properties.
	p := mustPage(t, base, "/odata/Rounds", "")
	if len(p.Value) == 0 {
		t.Fatal("no rounds")
	}
	for k := range p.Value[0] {
		if types[sc.Namespace+".Round"][k] == "" {
			t.Errorf("a round row has %s, which $metadata does not declare", k)
		}
	}
}

// $filter, $select, $top, $skip, $count and server-driven paging: a client
// that follows @odata.nextLink gets every row once, as many as $count says.
func TestODataQueryAndPaging(t *testing.T) {
	app := mustHouseholdApp(t)
	base := app.ts.URL
	q := "/odata/Areas?$filter=" + url.QueryEscape("startswith(Code,'70')")
	small := []string{"Prefer", "odata.maxpagesize=100"}
	first := mustPage(t, base, q+"&$count=true", "", small...)
	if first.Count == nil || *first.Count < 500 || first.NextLink == "" || len(first.Value) != 100 {
		t.Fatalf("province 70's areas: count %v, %d rows, nextLink %q", first.Count, len(first.Value), first.NextLink)
	}
	seen := map[string]bool{}
	page := first
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("100 pages and still a next link: paging does not move on")
		}
		for _, row := range page.Value {
			code := row["Code"].(string)
			if seen[code] || !strings.HasPrefix(code, "70") {
				t.Fatalf("row %s twice or outside the filter", code)
			}
			seen[code] = true
		}
		if page.NextLink == "" {
			break
		}
		if !strings.HasPrefix(page.NextLink, base+"/odata/Areas?") {
			t.Fatalf("nextLink %q is not an absolute URL of the set", page.NextLink)
		}
		page = mustPage(t, base, page.NextLink, "", small...)
	}
	if int64(len(seen)) != *first.Count || *first.Count != int64(len(mustPage(t, base, q, "").Value)) {
		t.Errorf("following nextLink gave %d rows, $count said %d", len(seen), *first.Count)
	}
	// A page may end inside a unit (an area's indicators): the next page
	// goes on from the row after, and no row is lost or repeated.
	ir := "/odata/IndicatorResults?$filter=" + url.QueryEscape("RoundId eq '"+round2562+"' and startswith(AreaCode,'700513')")
	whole := mustPage(t, base, ir, "")
	var paged []string
	for next, pages := ir, 0; next != ""; pages++ {
		if pages > 200 {
			t.Fatal("200 pages and still a next link: paging does not move on")
		}
		p := mustPage(t, base, next, "", "Prefer", "odata.maxpagesize=7")
		if len(p.Value) > 7 {
			t.Fatalf("a page of %d rows, asked for at most 7", len(p.Value))
		}
		for _, row := range p.Value {
			paged = append(paged, row["AreaCode"].(string)+"/"+row["Indicator"].(string))
		}
		next = p.NextLink
	}
	if len(whole.Value) < 20 || len(paged) != len(whole.Value) {
		t.Fatalf("%d rows in pages of 7, %d in one", len(paged), len(whole.Value))
	}
	for i, row := range whole.Value {
		if paged[i] != row["AreaCode"].(string)+"/"+row["Indicator"].(string) {
			t.Fatalf("row %d: %s paged, %s whole", i, paged[i], row["AreaCode"])
		}
	}
	// $top and $skip are a window of the same rows.
	all := mustPage(t, base, "/odata/Areas?$filter="+url.QueryEscape("startswith(Code,'7005') and Level eq 'subdistrict'"), "")
	win := mustPage(t, base, "/odata/Areas?$filter="+url.QueryEscape("startswith(Code,'7005') and Level eq 'subdistrict'")+"&$skip=2&$top=3&$select=Code,NameTH", "")
	if len(all.Value) < 6 || len(win.Value) != 3 {
		t.Fatalf("window: %d of %d rows", len(win.Value), len(all.Value))
	}
	for i, row := range win.Value {
		if row["Code"] != all.Value[i+2]["Code"] || len(row) != 2 || row["NameTH"] == nil {
			t.Errorf("window row %d = %v, want %v with Code and NameTH only", i, row, all.Value[i+2]["Code"])
		}
	}
	if !strings.HasSuffix(win.Context, "#Areas(Code,NameTH)") {
		t.Errorf("@odata.context of a $select: %q", win.Context)
	}
	// or, not, ne, numbers, contains, parentheses, quotes in strings.
	for _, c := range []struct {
		filter string
		want   func(map[string]any) bool
	}{
		{"Code eq '700513' or Code eq '70051304'", func(r map[string]any) bool { return r["Code"] == "700513" || r["Code"] == "70051304" }},
		{"startswith(Code,'700513') and Moo ge 3 and Moo lt 5", func(r map[string]any) bool {
			m := r["Moo"].(float64)
			return m >= 3 && m < 5
		}},
		{"startswith(Code,'7005') and not (Level eq 'village') and contains(NameTH,'เขา')", func(r map[string]any) bool {
			return r["Level"] != "village" && strings.Contains(r["NameTH"].(string), "เขา")
		}},
		{"NameEN eq 'O''Reilly'", func(map[string]any) bool { return false }},
		{"Parent eq null and Code ne 'TH'", func(map[string]any) bool { return false }},
	} {
		p := mustPage(t, base, "/odata/Areas?$filter="+url.QueryEscape(c.filter), "")
		for _, row := range p.Value {
			if !c.want(row) {
				t.Errorf("%s: row %v does not fit", c.filter, row)
			}
		}
		if len(p.Value) == 0 && c.filter[0] != 'N' && c.filter[0] != 'P' {
			t.Errorf("%s: no rows", c.filter)
		}
	}
}

// Errors are OData errors: a JSON object error with a code and a message
// string (the request's language; both languages in innererror), and the
// status of the fault: 400 for a bad request, 404 for no such set, 501 for
// a query option the feed does not implement.
func TestODataErrors(t *testing.T) {
	app := mustHouseholdApp(t)
	for _, c := range []struct {
		path   string
		status int
		says   string
	}{
		{"/odata/Areas?$filter=" + url.QueryEscape("Colour eq 'red'"), 400, "Colour"},
		{"/odata/Areas?$filter=" + url.QueryEscape("substring(Code,1) eq '0'"), 400, "substring"},
		{"/odata/Areas?$filter=" + url.QueryEscape("Code eq '70"), 400, "quote"},
		{"/odata/Areas?$filter=" + url.QueryEscape("(Code eq '70'"), 400, "parenthesis"},
		{"/odata/Areas?$top=-1", 400, "$top"},
		{"/odata/Areas?$skiptoken=abc", 400, "$skiptoken"},
		{"/odata/Areas?$orderby=Colour", 400, "Colour"},
		{"/odata/Areas?$orderby=" + url.QueryEscape("length(Code)"), 501, "$orderby"},
		{"/odata/Areas?$expand=Parent", 501, "$expand"},
		{"/odata/Areas?$select=Code,Nope", 400, "Nope"},
		{"/odata/Areas?$format=xml", 406, "application/xml"},
		{"/odata/Villages", 404, "Villages"},
	} {
		status, body, h := odataGet(t, app.ts.URL, c.path+"&lang=en", "")
		var e struct {
			Error struct {
				Code       string
				Message    string
				InnerError struct{ Message struct{ TH, EN string } }
			}
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Errorf("%s: not JSON: %s", c.path, body)
			continue
		}
		if status != c.status || e.Error.Code == "" || !strings.Contains(e.Error.Message, c.says) || e.Error.InnerError.Message.TH == "" || h.Get("OData-Version") != "4.0" {
			t.Errorf("%s: %d %.300s; want %d saying %q", c.path, status, body, c.status, c.says)
		}
	}
}

// Households are for callers who may open household records: refused to
// the public and to a viewer's token, masked and audited for a tambon's.
func TestODataHouseholds(t *testing.T) {
	app := mustHouseholdApp(t)
	base := app.ts.URL
	if status, _, h := odataGet(t, base, "/odata/Households", ""); status != http.StatusUnauthorized || h.Get("OData-Version") != "4.0" {
		t.Errorf("households to the public: %d", status)
	}
	viewer := mustToken(t, app.store, "viewer-70", user.Viewer, "70")
	if status, _, _ := odataGet(t, base, "/odata/Households", viewer); status != http.StatusForbidden {
		t.Errorf("households to a viewer's token: %d", status)
	}
	tok := mustToken(t, app.store, "khaokhlung-bi", user.Tambon, "700513")
	svc := mustPage(t, base, "/odata/", tok)
	found := false
	for _, v := range svc.Value {
		found = found || v["name"] == "Households"
	}
	if !found {
		t.Error("the service document does not offer households to a tambon's token")
	}
	p := mustPage(t, base, "/odata/Households?$filter="+url.QueryEscape("RoundId eq '"+round2562+"'"), tok)
	if len(p.Value) == 0 {
		t.Fatal("no households")
	}
	rec := app.firstHousehold(t, "70051304")
	for _, row := range p.Value {
		if !strings.HasPrefix(row["VillageCode"].(string), "700513") {
			t.Errorf("a household outside the token's area: %v", row)
		}
		if h, _ := row["Head"].(string); h != "" && !strings.Contains(h, "***") {
			t.Errorf("the head's name is not masked: %q", h)
		}
		b, _ := json.Marshal(row)
		for _, m := range rec.Household.Members {
			if m.CitizenID != "" && strings.Contains(string(b), m.CitizenID) || len(m.FirstName) > 3 && strings.Contains(string(b), m.FirstName) {
				t.Errorf("a household row shows personal data: %s", b)
			}
		}
	}
	entries, _, err := app.store.SearchAudit(context.Background(), store.AuditQuery{User: "token:khaokhlung-bi", Action: "export.personal", Limit: 10})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Detail, "odata") {
		t.Errorf("the read is not in the audit log: %+v %v", entries, err)
	}
}

// The aggregate sets publish exactly what the results API publishes to the
// public: the same counts, the same withheld.
func TestODataResultsAreThePublicResults(t *testing.T) {
	app := mustHouseholdApp(t)
	base := app.ts.URL
	for _, code := range []string{"700513", "70051304", "70051301"} {
		status, body, _ := odataGet(t, base, "/api/v1/areas/"+code+"/results?round="+round2562, "")
		if status != 200 {
			t.Fatalf("results of %s: %d", code, status)
		}
		var api struct {
			Indicators []struct {
				Code     string
				Passed   *int64
				Surveyed *int64
				Withheld bool
			}
			Households *int64
		}
		json.Unmarshal([]byte(body), &api)
		tok := mustToken(t, app.store, "admin-"+code, user.Admin, "TH") // even an administrator's token reads the public figures
		p := mustPage(t, base, "/odata/IndicatorResults?$filter="+url.QueryEscape("RoundId eq '"+round2562+"' and AreaCode eq '"+code+"'"), tok)
		if len(p.Value) != len(api.Indicators) || len(p.Value) == 0 {
			t.Fatalf("%s: %d OData rows, %d indicators in the API", code, len(p.Value), len(api.Indicators))
		}
		for i, row := range p.Value {
			a := api.Indicators[i]
			if row["Indicator"] != a.Code || row["Withheld"] != a.Withheld || (a.Passed == nil) != (row["Passed"] == nil) ||
				a.Passed != nil && row["Passed"].(float64) != float64(*a.Passed) {
				t.Errorf("%s %s: OData %v, API %+v", code, a.Code, row, a)
			}
		}
		m := mustPage(t, base, "/odata/Mpi?$filter="+url.QueryEscape("RoundId eq '"+round2562+"' and AreaCode eq '"+code+"'"), "")
		if len(m.Value) != 1 || (api.Households == nil) != (m.Value[0]["Households"] == nil) {
			t.Errorf("%s: Mpi %v, API households %v", code, m.Value, api.Households)
		}
	}
}

// VillageLevels are the village pages' levels: every village of the
// round, its level and problem counts.
func TestODataVillageLevels(t *testing.T) {
	app := mustHouseholdApp(t)
	seedVillages(t, app.store)
	want, err := app.store.VillageStandings(context.Background(), villageRound2562, "700513")
	if err != nil || len(want) == 0 {
		t.Fatalf("standings: %v, %v", want, err)
	}
	p := mustPage(t, app.ts.URL, "/odata/VillageLevels?$filter="+url.QueryEscape("RoundId eq '"+villageRound2562+"' and startswith(VillageCode,'700513')"), "")
	if len(p.Value) != len(want) {
		t.Fatalf("%d rows, %d villages", len(p.Value), len(want))
	}
	for i, row := range p.Value {
		if row["VillageCode"] != want[i].Village || row["Level"].(float64) != float64(want[i].Level) || row["Serious"].(float64) != float64(want[i].Serious) {
			t.Errorf("row %v, want %+v", row, want[i])
		}
	}
	if lag := mustPage(t, app.ts.URL, "/odata/VillageLevels?$filter="+url.QueryEscape("RoundId eq '"+villageRound2562+"' and Level eq 1"), ""); len(lag.Value) == 0 || lag.Value[0]["LevelNameEN"] != "Priority 1 (lagging)" {
		t.Errorf("lagging villages: %v", lag.Value)
	}
}
