package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/user"
)

// The rules of OData 4.01 Part 1 (Protocol), "Conformance": what the
// minimal conformance level asks of a service, and what the intermediate
// level asks of the query options the feed supports, each checked by one
// request. A rule names its level and the part of the protocol it is
// about; "ok" checks the answer.
func TestODataConformance(t *testing.T) {
	app := mustHouseholdApp(t)
	base := app.ts.URL
	type answer struct {
		status int
		body   string
		h      http.Header
	}
	jsonCT := func(a answer) bool {
		return strings.HasPrefix(a.h.Get("Content-Type"), "application/json") && strings.Contains(a.h.Get("Content-Type"), "odata.metadata=minimal")
	}
	// odataErr: an OData JSON error (Part 1 9.4, JSON Format 21): error
	// with a code and a message, the message in both languages inside.
	odataErr := func(a answer, status int, says string) bool {
		var e struct {
			Error struct {
				Code, Message string
				InnerError    struct{ Message struct{ TH, EN string } }
			}
		}
		return a.status == status && json.Unmarshal([]byte(a.body), &e) == nil && e.Error.Code != "" &&
			strings.Contains(e.Error.Message, says) && e.Error.InnerError.Message.TH != "" && e.Error.InnerError.Message.EN != "" &&
			strings.HasPrefix(a.h.Get("Content-Type"), "application/json")
	}
	page := func(a answer) odataPage {
		var p odataPage
		json.Unmarshal([]byte(a.body), &p)
		return p
	}
	areas := "/odata/Areas?$filter=" + url.QueryEscape("startswith(Code,'700513')")
	for _, c := range []struct {
		rule   string
		path   string
		header []string
		ok     func(answer) bool
	}{
		{"minimal, OData-Version response header: the service document carries OData-Version 4.0", "/odata/", nil,
			func(a answer) bool { return a.status == 200 && a.h.Get("OData-Version") == "4.0" && jsonCT(a) }},
		{"minimal, metadata document: $metadata is CSDL XML, application/xml, Edmx Version 4.0", "/odata/$metadata", []string{"Accept", "application/xml"},
			func(a answer) bool {
				return a.status == 200 && strings.HasPrefix(a.h.Get("Content-Type"), "application/xml") && strings.Contains(a.body, `<edmx:Edmx Version="4.0"`)
			}},
		{"minimal, metadata document and Accept header: $metadata asked for as JSON only (CSDL JSON is not offered) is 406", "/odata/$metadata", []string{"Accept", "application/json"},
			func(a answer) bool { return odataErr(a, 406, "application/xml") }},
		{"minimal, Accept header: Accept */* is answered in JSON, odata.metadata=minimal", areas, []string{"Accept", "*/*"},
			func(a answer) bool { return a.status == 200 && jsonCT(a) }},
		{"minimal, Accept header: Accept application/xml on a collection is 406 with an OData error", areas, []string{"Accept", "application/atom+xml, application/xml"},
			func(a answer) bool { return odataErr(a, 406, "application/json") && a.h.Get("OData-Version") == "4.0" }},
		{"minimal, Accept header (JSON Format, odata.metadata): odata.metadata=none omits @odata.context", areas, []string{"Accept", "application/json;odata.metadata=none"},
			func(a answer) bool {
				return a.status == 200 && !strings.Contains(a.body, "@odata.context") && strings.Contains(a.h.Get("Content-Type"), "odata.metadata=none")
			}},
		{"minimal, Accept header (JSON Format, odata.metadata): odata.metadata=full alone (not offered) is 406", areas, []string{"Accept", "application/json;odata.metadata=full"},
			func(a answer) bool { return odataErr(a, 406, "application/json") }},
		{"minimal, Accept header (JSON Format, IEEE754Compatible): IEEE754Compatible=true alone (not offered) is 406", areas, []string{"Accept", "application/json;IEEE754Compatible=true"},
			func(a answer) bool { return odataErr(a, 406, "application/json") }},
		{"minimal, Accept header: a q=0 range is not accepted", areas, []string{"Accept", "application/json;q=0, text/html"},
			func(a answer) bool { return a.status == 406 }},
		{"minimal, OData-MaxVersion request header: OData-MaxVersion 4.01 is answered in 4.0", areas, []string{"OData-MaxVersion", "4.01"},
			func(a answer) bool { return a.status == 200 && a.h.Get("OData-Version") == "4.0" }},
		{"minimal, OData-MaxVersion request header: OData-MaxVersion 3.0 is refused with 4xx", areas, []string{"OData-MaxVersion", "3.0"},
			func(a answer) bool { return odataErr(a, 400, "4.0") }},
		{"minimal, OData-Version request header: a request in OData-Version 5.0 is refused with 4xx", areas, []string{"OData-Version", "5.0"},
			func(a answer) bool { return odataErr(a, 400, "5.0") }},
		{"minimal, $format: $format=json is honoured", areas + "&$format=json", nil,
			func(a answer) bool { return a.status == 200 && jsonCT(a) }},
		{"minimal, $format: $format=atom is 406", areas + "&$format=atom", nil,
			func(a answer) bool { return odataErr(a, 406, "application/atom+xml") }},
		{"minimal, system query options: an unknown $ option is 400 with an OData error", areas + "&$colour=red", nil,
			func(a answer) bool { return odataErr(a, 400, "$colour") }},
		{"minimal, system query options: an option given twice is 400", areas + "&$top=1&$top=2", nil,
			func(a answer) bool { return odataErr(a, 400, "$top") }},
		{"minimal, system query options: $top that is no number is 400", "/odata/Areas?$top=ten", nil,
			func(a answer) bool { return odataErr(a, 400, "$top") }},
		{"4.01 URL Conventions, system query option names: system query options in any case", "/odata/Areas?$FILTER=" + url.QueryEscape("Code eq '700513'") + "&$Select=Code", nil,
			func(a answer) bool { p := page(a); return a.status == 200 && len(p.Value) == 1 && len(p.Value[0]) == 1 }},
		{"4.01 URL Conventions, system query option names: system query options without the $", "/odata/Areas?filter=" + url.QueryEscape("Code eq '700513'") + "&top=1", nil,
			func(a answer) bool {
				p := page(a)
				return a.status == 200 && len(p.Value) == 1 && p.Value[0]["Code"] == "700513"
			}},
		{"4.01 URL Conventions, system query option names: $top and top together are one option given twice: 400", areas + "&$top=1&top=2", nil,
			func(a answer) bool { return odataErr(a, 400, "$top") }},
		{"minimal, unsupported functionality (501): an option not implemented ($expand) is 501 with an OData error in Thai and English", areas + "&$expand=Parent", nil,
			func(a answer) bool {
				return odataErr(a, 501, "$expand") && strings.Contains(a.body, `"code":"NotImplemented"`)
			}},
		{"minimal, unsupported functionality (501): $search is 501", areas + "&$search=khao", nil,
			func(a answer) bool { return odataErr(a, 501, "$search") }},
		{"minimal, unsupported functionality (501): $apply (aggregation) is 501", areas + "&$apply=" + url.QueryEscape("groupby((Level))"), nil,
			func(a answer) bool { return odataErr(a, 501, "$apply") }},
		{"minimal, error responses: a resource that does not exist is 404 with an OData error", "/odata/Villages", nil,
			func(a answer) bool { return odataErr(a, 404, "Villages") }},
		{"minimal, error responses: the error message is in the language asked for", areas + "&$colour=red", []string{"Accept-Language", "th-TH"},
			func(a answer) bool { return odataErr(a, 400, "ไม่รู้จัก") }},
		{"intermediate, $filter: $filter", areas + "&$select=Code", nil,
			func(a answer) bool { return a.status == 200 && len(page(a).Value) > 5 }},
		{"intermediate, $select: $select gives the selected properties and a context URL naming them", areas + "&$select=Code,Moo", nil,
			func(a answer) bool {
				p := page(a)
				return a.status == 200 && len(p.Value) > 0 && len(p.Value[0]) == 2 && strings.HasSuffix(p.Context, "#Areas(Code,Moo)")
			}},
		{"intermediate, $orderby: $orderby desc", areas + "&$orderby=" + url.QueryEscape("Code desc") + "&$top=2", nil,
			func(a answer) bool {
				p := page(a)
				return a.status == 200 && len(p.Value) == 2 && p.Value[0]["Code"].(string) > p.Value[1]["Code"].(string)
			}},
		{"intermediate, $top and $skip: $top and $skip", areas + "&$skip=1&$top=3", nil,
			func(a answer) bool { return a.status == 200 && len(page(a).Value) == 3 }},
		{"intermediate, $count: $count=true counts the filtered collection, not the $top window", areas + "&$count=true&$top=1", nil,
			func(a answer) bool {
				p := page(a)
				return a.status == 200 && len(p.Value) == 1 && p.Count != nil && *p.Count > 5
			}},
		{"intermediate, /$count: /$count is text/plain", "/odata/Areas/$count?$filter=" + url.QueryEscape("startswith(Code,'700513')"), []string{"Accept", "text/plain"},
			func(a answer) bool {
				return a.status == 200 && strings.HasPrefix(a.h.Get("Content-Type"), "text/plain") && a.body != "" && a.body != "0"
			}},
		{"intermediate, /$count: /$count asked for as JSON only is 406", "/odata/Areas/$count", []string{"Accept", "application/json"},
			func(a answer) bool { return odataErr(a, 406, "text/plain") }},
		{"minimal, server-driven paging and Prefer odata.maxpagesize: server-driven paging, odata.maxpagesize applied and said so, an absolute next link", areas, []string{"Prefer", "odata.maxpagesize=2"},
			func(a answer) bool {
				p := page(a)
				return a.status == 200 && len(p.Value) == 2 && strings.HasPrefix(p.NextLink, base+"/odata/Areas?") &&
					a.h.Get("Preference-Applied") == "odata.maxpagesize=2"
			}},
		{"minimal, server-driven paging: a $skiptoken not made by the feed is 400", "/odata/Areas?$orderby=Code&$skiptoken=12.0.0", nil,
			func(a answer) bool { return odataErr(a, 400, "$skiptoken") }},
		{"intermediate, $orderby: $orderby of a property the type does not have is 400", "/odata/Areas?$orderby=Colour", nil,
			func(a answer) bool { return odataErr(a, 400, "Colour") }},
		{"intermediate, $orderby: $orderby of an expression is 501", "/odata/Areas?$orderby=" + url.QueryEscape("length(NameTH) desc"), nil,
			func(a answer) bool { return odataErr(a, 501, "$orderby") }},
	} {
		status, body, h := odataGet(t, base, c.path+map[bool]string{true: "&", false: "?"}[strings.Contains(c.path, "?")]+"lang=en", "", c.header...)
		if c.header != nil && c.header[0] == "Accept-Language" {
			status, body, h = odataGet(t, base, c.path, "", c.header...)
		}
		if h.Get("OData-Version") != "4.0" {
			t.Errorf("%s: OData-Version %q", c.rule, h.Get("OData-Version"))
		}
		if !c.ok(answer{status, body, h}) {
			t.Errorf("%s\n  GET %s %v: %d %s %.300s", c.rule, c.path, c.header, status, h.Get("Content-Type"), body)
		}
	}
}

// Excel's "From OData Feed" and Power BI's OData.Feed (Power Query) as
// they ask: their headers (OData-MaxVersion 4.0 and the v3
// MaxDataServiceVersion, an Accept list that prefers JSON minimal and
// takes XML, Atom and text at lower weights), the service document, then
// $metadata, then a table with the steps the user took folded into
// $filter, $select, $orderby and $top, following every @odata.nextLink,
// and Table.RowCount as /$count.
func TestODataPowerQueryReplay(t *testing.T) {
	app := mustHouseholdApp(t)
	base := app.ts.URL
	pq := []string{
		"User-Agent", "Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)",
		"MaxDataServiceVersion", "3.0",
		"OData-MaxVersion", "4.0",
		"Accept", "application/json;odata.metadata=minimal;q=1.0,application/json;odata=minimalmetadata;q=0.9,application/atomsvc+xml;q=0.8,application/atom+xml;q=0.8,application/xml;q=0.7,text/plain;q=0.7",
	}
	svc := mustPage(t, base, "/odata/", "", pq...)
	if len(svc.Value) == 0 {
		t.Fatal("the navigation table would be empty")
	}
	status, body, h := odataGet(t, base, "/odata/$metadata", "", pq...)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/xml") || !strings.Contains(body, `EntitySet Name="IndicatorResults"`) {
		t.Fatalf("$metadata as Power Query asks: %d %q", status, h.Get("Content-Type"))
	}
	// The preview: the first rows of a table (Power Query asks $top=1000
	// and may ask the count alongside).
	if p := mustPage(t, base, "/odata/Areas?$top=1000&$count=true", "", pq...); len(p.Value) != 1000 || p.Count == nil || *p.Count <= 1000 {
		t.Fatalf("preview: %d rows, count %v", len(p.Value), p.Count)
	}
	// Load: filtered, columns chosen, sorted, every page followed.
	filter := url.QueryEscape("RoundId eq '" + round2562 + "' and startswith(AreaCode,'700513')")
	q := "/odata/IndicatorResults?$filter=" + filter + "&$select=AreaCode,Indicator,PassedPct,Withheld&$orderby=" + url.QueryEscape("AreaCode,Indicator desc")
	var rows []map[string]any
	for next, pages := q, 0; next != ""; pages++ {
		if pages > 100 {
			t.Fatal("100 pages and still a next link")
		}
		p := mustPage(t, base, next, "", append(pq, "Prefer", "odata.maxpagesize=25")...)
		rows = append(rows, p.Value...)
		next = p.NextLink
	}
	status, body, h = odataGet(t, base, "/odata/IndicatorResults/$count?$filter="+filter, "", pq...)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") || body != strconvItoa(len(rows)) || len(rows) < 30 {
		t.Fatalf("Table.RowCount: %d %q %q, loaded %d rows", status, h.Get("Content-Type"), body, len(rows))
	}
	for i, row := range rows {
		if len(row) != 4 {
			t.Fatalf("row %d has %d columns, selected 4", i, len(row))
		}
		if i > 0 {
			a, b := rows[i-1], row
			if a["AreaCode"].(string) > b["AreaCode"].(string) || a["AreaCode"] == b["AreaCode"] && a["Indicator"].(string) <= b["Indicator"].(string) {
				t.Fatalf("rows %d and %d out of order: %v, %v", i-1, i, a, b)
			}
		}
	}
	// Table.Skip and Table.FirstN fold into $skip and $top.
	if p := mustPage(t, base, q+"&$skip=10&$top=5", "", pq...); len(p.Value) != 5 || p.Value[0]["AreaCode"] != rows[10]["AreaCode"] || p.Value[0]["Indicator"] != rows[10]["Indicator"] {
		t.Fatalf("$skip=10&$top=5: %v, want from %v", p.Value, rows[10])
	}
}

func strconvItoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// $metadata is valid CSDL XML: it validates against OASIS's XML schemas of
// CSDL (edmx.xsd, which imports edm.xsd) with xmllint. The schemas are
// OASIS's (https://github.com/oasis-tcs/odata-csdl-schemas, schemas/; also
// in the npm package odata-csdl), under the OASIS IPR Policy, so they are
// not kept here: `npm ci` in testdata/csdl fetches them from the npm
// registry (.ci/run does), or TAMBON_CSDL_XSD_DIR names a directory
// holding them.
func TestODataMetadataValidatesAgainstCSDLSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (Debian: libxml2-utils): $metadata is not validated against the CSDL XML schema")
	}
	dir := os.Getenv("TAMBON_CSDL_XSD_DIR")
	if dir == "" {
		dir = filepath.Join("testdata", "csdl", "node_modules", "odata-csdl", "schemas")
	}
	if _, err := os.Stat(filepath.Join(dir, "edmx.xsd")); err != nil {
		t.Skipf("the CSDL XML schema is not installed (%v): $metadata is not validated against it; run `npm ci` in internal/web/testdata/csdl, or set TAMBON_CSDL_XSD_DIR", err)
	}
	app := mustHouseholdApp(t)
	tok := mustToken(t, app.store, "khaokhlung-xsd", user.Tambon, "700513")
	for _, token := range []string{"", tok} {
		status, body, _ := odataGet(t, app.ts.URL, "/odata/$metadata", token, "Accept", "application/xml")
		if status != 200 {
			t.Fatalf("$metadata: %d", status)
		}
		f := filepath.Join(t.TempDir(), "metadata.xml")
		if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join(dir, "edmx.xsd"), f).CombinedOutput()
		if err != nil {
			t.Fatalf("$metadata does not validate against the CSDL XML schema: %v\n%s", err, out)
		}
	}
}
