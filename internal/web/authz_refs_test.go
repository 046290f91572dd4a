package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"tambon/internal/activity"
	"tambon/internal/area"
	"tambon/internal/partner"
	"tambon/internal/plan"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// postRoute is a POST route and the form fields its handler reads (found in
// the handler and everything it calls in the package).
type postRoute struct {
	pattern string
	fields  []string
}

// postRoutes reads every POST route of the package and the form fields
// each handler reads, from the sources: a new route or a new field is seen
// without anyone remembering to list it.
func postRoutes(t *testing.T) []postRoute {
	t.Helper()
	fset := token.NewFileSet()
	funcs := map[string]*ast.FuncDecl{}
	for name, src := range sources(t) {
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				funcs[fd.Name.Name] = fd
			}
		}
	}
	// fieldsOf collects the string keys read from forms (Get, FormValue,
	// PostFormValue, FormFile and indexing a form) in fn and what it calls.
	var fieldsOf func(fn string, seen map[string]bool, out map[string]bool)
	fieldsOf = func(fn string, seen map[string]bool, out map[string]bool) {
		fd := funcs[fn]
		if fd == nil || seen[fn] {
			return
		}
		seen[fn] = true
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				var name string
				switch f := x.Fun.(type) {
				case *ast.SelectorExpr:
					name = f.Sel.Name
				case *ast.Ident:
					name = f.Name
				}
				switch name {
				case "Get", "FormValue", "PostFormValue", "FormFile":
					if len(x.Args) == 1 {
						if lit, ok := x.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							v, _ := strconv.Unquote(lit.Value)
							out[v] = true
						}
					}
				default:
					fieldsOf(name, seen, out)
				}
			case *ast.IndexExpr:
				if lit, ok := x.Index.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					out[v] = true
				}
			}
			return true
		})
	}
	route := regexp.MustCompile(`mux\.Handle\("(POST [^"]+)", (.*)\)$`)
	handler := regexp.MustCompile(`s\.(\w+)\b`)
	var out []postRoute
	for _, src := range sources(t) {
		for _, line := range strings.Split(src, "\n") {
			m := route.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			hs := handler.FindAllStringSubmatch(m[2], -1)
			if len(hs) == 0 {
				t.Fatalf("no handler in %s", line)
			}
			fields := map[string]bool{}
			fieldsOf(hs[len(hs)-1][1], map[string]bool{}, fields)
			r := postRoute{pattern: m[1]}
			for f := range fields {
				r.fields = append(r.fields, f)
			}
			sort.Strings(r.fields)
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b postRoute) int { return strings.Compare(a.pattern, b.pattern) })
	return out
}

// referenceField says which form fields carry a reference to a record or an
// area — an id, a code or a key — and so must be checked against the
// account's scope as ids in URLs are.
var referenceField = regexp.MustCompile(`(^|_)(id|code|key)$|^(partner|organiser|org|household|hh|participant|attendee|activity|village|area|serves|round|username|user|problem|pick|set)$`)

// referenceNotScoped lists the reference fields that name nothing of an
// area, with why; every other reference field of every POST route must be
// exercised by a case of refCases.
var referenceNotScoped = map[string]string{
	"POST /login username":                  "the account signing in, not a record",
	"POST /admin/users username":            "the new account's own name, not a reference",
	"POST /admin/devices/{id}/revoke user":  "the devices list's filter, echoed into the redirect; the device is the {id} in the URL",
	"POST /admin/dhis2 round":               "survey rounds are national: only accounts covering TH import DHIS2 figures into one (TestDHIS2AdminImport)",
	"POST /admin/rounds/household id":       "survey rounds are national: only accounts covering TH open them (TestAuthorisationMatrix)",
	"POST /admin/rounds/household set":      "question sets are national, as rounds are",
	"POST /admin/rounds/village id":         "survey rounds are national: only accounts covering TH open them (TestAuthorisationMatrix)",
	"POST /admin/rounds/village set":        "question sets are national, as rounds are",
	"POST /areas/{code}/plans round":        "survey rounds are national; the problems come from the URL's area",
	"POST /activities/{id}/forum round":     "survey rounds are national; the problems are the URL's activity's village's, read again on the server",
	"POST /areas/{code}/plans pick":         "a problem's source:code, taken only from those proposed for the URL's area (others are dropped)",
	"POST /imports round":                   "survey rounds are national; each row's village is checked (import_page.go)",
	"POST /submissions/{id}/fix house_code": "a house within the village, which is checked (the village case)",
	"POST /admin/pdpa/erase round":          "survey rounds are national; the household or person erased is checked (the household and citizen_id cases)",
	"POST /admin/pdpa/retain round":         "survey rounds are national; only the account's own certified tambons are pseudonymised (store.ApplyRetention's scope)",
	"POST /admin/pdpa/retention round":      "survey rounds are national, and so are their rules: national administrators only",
	"POST /admin/sets/threshold set":        "indicator sets are national: national administrators only (mayOpenRounds)",
	"POST /areas/{code}/welfare round":      "survey rounds are national; the list is for the URL's area (checked), and each row's village must lie in it",
}

// TestEveryFormReferenceIsScoped fails when a POST route reads a reference
// field that no refCases case posts out of scope and referenceNotScoped
// does not explain: a new form with an id in it must come with its check
// and its case.
func TestEveryFormReferenceIsScoped(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range refCases {
		covered[c.route+" "+c.field] = true
	}
	seen, refs := 0, 0
	known := map[string]bool{}
	for _, r := range postRoutes(t) {
		seen++
		for _, f := range r.fields {
			if !referenceField.MatchString(f) {
				continue
			}
			refs++
			key := r.pattern + " " + f
			known[key] = true
			if !covered[key] && referenceNotScoped[key] == "" {
				t.Errorf("%s reads the reference %q, but no case of refCases posts it out of scope (authz_refs_test.go)", r.pattern, f)
			}
		}
	}
	for key := range covered {
		if !known[key] {
			t.Errorf("refCases covers %s, which no POST route reads: the route or the field changed", key)
		}
	}
	for key := range referenceNotScoped {
		if !known[key] {
			t.Errorf("referenceNotScoped lists %s, which no POST route reads", key)
		}
	}
	if seen < 40 || refs < 30 {
		t.Errorf("found only %d POST routes and %d reference fields: the reading of the sources no longer works", seen, refs)
	}
}

// refFixture holds, for the tambon team of เขาขลุง (700513), records of its
// own area and of others, for the reference cases.
type refFixture struct {
	app                      *householdApp
	inP, outP                partner.Partner // a partner of เขาขลุง; the provincial office of Kanchanaburi (71)
	inAct, outAct            activity.Activity
	outFollowUp              int64
	planURL, itemURL         string
	inProblem, outProblem    int64  // a problem of the plan; one of another area's plan
	inHH, outHH              int64  // households of round 2561: in เขาขลุง, in ตำบล 700514
	kanHH                    int64  // a household of round 2561 in Kanchanaburi (710101), for its administrator
	kanCitizen               string // a citizen ID of another household there
	inVillage, outVillage    string
	inProg, vegProg, outProg string // programme URLs: an award of เขาขลุง, a household programme of it, one of the province
	inPt, outPt              int64  // a participant of inProg; one of the province's programme
	inSession                string // a training of inProg, by URL (/programmes/ID/sessions/ID)
	sub                      int64  // a submission of เขาขลุง waiting for review
	person                   int64  // a person partner of เขาขลุง, for the edit form
}

// refCase posts one form whose reference field names a record or area
// outside the account's scope (out), which must be refused with nothing
// written, and — when in is set — the same form naming one inside, which
// must be accepted, so the refusal is the reference's and no other's.
type refCase struct {
	route, field string
	as           string
	path         func(fx *refFixture) string
	form         func(fx *refFixture, ref string) url.Values
	in, out      func(fx *refFixture) string
	file         bool   // a multipart upload, with a PDF as "file"
	says         string // without in: what the refusal says, so it is the reference's
}

func ids(id int64) string { return strconv.FormatInt(id, 10) }

func fixed(p string) func(*refFixture) string { return func(*refFixture) string { return p } }

var (
	activityForm = func(field string) func(fx *refFixture, ref string) url.Values {
		return func(fx *refFixture, ref string) url.Values {
			f := meetingForm(activity.Activity{TitleTH: "ประชุมทดสอบ", AreaCode: "700513"})
			f.Set(field, ref)
			return f
		}
	}
	partnerForm = func(field string) func(fx *refFixture, ref string) url.Values {
		return func(fx *refFixture, ref string) url.Values {
			f := url.Values{"kind": {"person"}, "name_th": {"นายทดสอบ " + field + " " + ref}, "area_code": {"700513"}}
			f.Set(field, ref)
			return f
		}
	}
	partnerEdit = func(field string) func(fx *refFixture, ref string) url.Values {
		return func(fx *refFixture, ref string) url.Values {
			f := partnerForm(field)(fx, ref)
			f.Set("name_th", "นายบุคคล ทดสอบ")
			return f
		}
	}
	itemForm = func(field string) func(fx *refFixture, ref string) url.Values {
		return func(fx *refFixture, ref string) url.Values {
			f := url.Values{"title": {"ลานตากผลผลิต"}, "budget": {"10000"}, "budget_source": {"community"}, "start": {"1/1/2564"},
				"end": {"31/3/2564"}, "problem": {ids(fx.inProblem)}}
			f.Set(field, ref)
			return f
		}
	}
	progForm = func(field string, base url.Values) func(fx *refFixture, ref string) url.Values {
		return func(fx *refFixture, ref string) url.Values {
			f := url.Values{}
			for k, v := range base {
				f[k] = v
			}
			f.Set(field, ref)
			return f
		}
	}
	outPartner = func(fx *refFixture) string { return ids(fx.outP.ID) }
	inPartner  = func(fx *refFixture) string { return ids(fx.inP.ID) }
	outPt      = func(fx *refFixture) string { return ids(fx.outPt) }
	inPt       = func(fx *refFixture) string { return ids(fx.inPt) }
	outHH      = func(fx *refFixture) string { return ids(fx.outHH) }
	inHH       = func(fx *refFixture) string { return ids(fx.inHH) }
	outVillage = func(fx *refFixture) string { return fx.outVillage }
	inVillage  = func(fx *refFixture) string { return fx.inVillage }
)

// refCases are the reference fields of every form, posted out of scope.
var refCases = []refCase{
	{route: "POST /activities/new", field: "partner", as: "tambon", path: fixed("/activities/new"), form: activityForm("partner"), in: inPartner, out: outPartner},
	{route: "POST /activities/new", field: "organiser_id", as: "tambon", path: fixed("/activities/new"), form: activityForm("organiser_id"), in: inPartner, out: outPartner},
	{route: "POST /activities/new", field: "area_code", as: "tambon", path: fixed("/activities/new"), form: activityForm("area_code"), in: inVillage, out: outVillage},
	{route: "POST /activities/{id}/edit", field: "partner", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/activities/%d/edit", fx.inAct.ID) },
		form: activityForm("partner"), in: inPartner, out: outPartner},
	{route: "POST /activities/{id}/edit", field: "organiser_id", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/activities/%d/edit", fx.inAct.ID) },
		form: activityForm("organiser_id"), in: inPartner, out: outPartner},
	{route: "POST /activities/{id}/edit", field: "area_code", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/activities/%d/edit", fx.inAct.ID) },
		form: activityForm("area_code"), in: inVillage, out: outVillage},
	{route: "POST /activities/new", field: "area", as: "tambon", path: fixed("/activities/new"), form: activityForm("area"), in: inVillage, out: outVillage},
	{route: "POST /activities/new", field: "attendee_id", as: "tambon", path: fixed("/activities/new"), form: activityForm("attendee_id"), in: inPartner, out: outPartner},
	{route: "POST /activities/{id}/edit", field: "area", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/activities/%d/edit", fx.inAct.ID) },
		form: activityForm("area"), in: inVillage, out: outVillage},
	{route: "POST /activities/{id}/edit", field: "attendee_id", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/activities/%d/edit", fx.inAct.ID) },
		form: activityForm("attendee_id"), in: inPartner, out: outPartner},
	{route: "POST /partners/new", field: "serves_add_code", as: "tambon", path: fixed("/partners/new"), form: partnerForm("serves_add_code"), in: inVillage, out: outVillage},
	{route: "POST /partners/{id}/edit", field: "serves_add_code", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/partners/%d/edit", fx.person) },
		form: partnerEdit("serves_add_code"), in: inVillage, out: outVillage},
	{route: "POST /partners/new", field: "area", as: "tambon", path: fixed("/partners/new"), form: partnerForm("area"), in: inVillage, out: outVillage},
	{route: "POST /partners/{id}/edit", field: "area", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/partners/%d/edit", fx.person) },
		form: partnerEdit("area"), in: inVillage, out: outVillage},
	{route: "POST /followups/{id}/status", field: "activity", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/followups/%d/status", fx.outFollowUp) },
		form: func(fx *refFixture, ref string) url.Values { return url.Values{"activity": {ref}, "status": {"done"}} }, out: func(fx *refFixture) string { return ids(fx.outAct.ID) },
		says: "บัญชีของท่านไม่มีสิทธิ์ดูหรือแก้ไขกิจกรรมและภาคีของพื้นที่นี้"},
	{route: "POST /partners/new", field: "org_id", as: "tambon", path: fixed("/partners/new"), form: partnerForm("org_id"), in: inPartner, out: outPartner},
	{route: "POST /partners/new", field: "serves", as: "tambon", path: fixed("/partners/new"), form: partnerForm("serves"), in: inVillage, out: outVillage},
	{route: "POST /partners/new", field: "area_code", as: "tambon", path: fixed("/partners/new"), form: partnerForm("area_code"), in: inVillage, out: outVillage},
	{route: "POST /partners/{id}/edit", field: "org_id", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/partners/%d/edit", fx.person) },
		form: partnerEdit("org_id"), in: inPartner, out: outPartner},
	{route: "POST /partners/{id}/edit", field: "serves", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/partners/%d/edit", fx.person) },
		form: partnerEdit("serves"), in: inVillage, out: outVillage},
	{route: "POST /partners/{id}/edit", field: "area_code", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/partners/%d/edit", fx.person) },
		form: partnerEdit("area_code"), in: inVillage, out: outVillage},
	{route: "POST /plans/{plan}/items", field: "partner", as: "tambon", path: func(fx *refFixture) string { return fx.planURL + "/items" },
		form: itemForm("partner"), in: inPartner, out: outPartner},
	{route: "POST /plans/{plan}/items", field: "problem", as: "tambon", path: func(fx *refFixture) string { return fx.planURL + "/items" },
		form: itemForm("problem"), in: func(fx *refFixture) string { return ids(fx.inProblem) }, out: func(fx *refFixture) string { return ids(fx.outProblem) }},
	{route: "POST /plans/{plan}/items/{item}", field: "partner", as: "tambon", path: func(fx *refFixture) string { return fx.itemURL },
		form: itemForm("partner"), in: inPartner, out: outPartner},
	{route: "POST /plans/{plan}/items/{item}", field: "problem", as: "tambon", path: func(fx *refFixture) string { return fx.itemURL },
		form: itemForm("problem"), in: func(fx *refFixture) string { return ids(fx.inProblem) }, out: func(fx *refFixture) string { return ids(fx.outProblem) }},
	{route: "POST /plans/{plan}/items/{item}/targets", field: "hh", as: "tambon", path: func(fx *refFixture) string { return fx.itemURL + "/targets" },
		form: progForm("hh", nil), in: inHH, out: outHH},
	{route: "POST /plans/{plan}/items/{item}/assistance", field: "household", as: "tambon", path: func(fx *refFixture) string { return fx.itemURL + "/assistance" },
		form: progForm("household", url.Values{"what": {"พันธุ์ผัก"}, "helper": {"อบต."}, "date": {"1/2/2564"}, "status": {plan.Delivered}}), in: inHH, out: outHH}, // inHH: a target since the case above
	{route: "POST /programmes/{prog}/participants", field: "household", as: "tambon", path: func(fx *refFixture) string { return fx.vegProg + "/participants" },
		form: progForm("household", url.Values{"name": {"ครัวเรือนทดสอบ"}}), in: inHH, out: outHH},
	{route: "POST /programmes/{prog}/participants", field: "area", as: "tambon", path: func(fx *refFixture) string { return fx.inProg + "/participants" },
		form: progForm("area", url.Values{"name": {"หมู่บ้านทดสอบ"}}), in: inVillage, out: outVillage},
	{route: "POST /programmes/{prog}/steps", field: "participant", as: "tambon", path: func(fx *refFixture) string { return fx.inProg + "/steps" },
		form: progForm("participant", url.Values{"step": {"results"}, "date": {"1/2/2564"}}), in: inPt, out: outPt},
	{route: "POST /programmes/{prog}/scores", field: "participant", as: "tambon", path: func(fx *refFixture) string { return fx.inProg + "/scores" },
		form: progForm("participant", url.Values{"judge": {"กรรมการ"}, "c_participation": {"70"}}), in: inPt, out: outPt},
	{route: "POST /programmes/{prog}/self", field: "participant", as: "tambon", path: func(fx *refFixture) string { return fx.inProg + "/self" },
		form: progForm("participant", url.Values{"s_participation": {"80"}}), in: inPt, out: outPt},
	{route: "POST /programmes/{prog}/sessions", field: "attendee", as: "tambon", path: func(fx *refFixture) string { return fx.inProg + "/sessions" },
		form: progForm("attendee", url.Values{"title": {"อบรม"}, "date": {"1/2/2564"}}), in: inPt, out: outPt},
	{route: "POST /programmes/{prog}/files", field: "participant", as: "tambon", path: func(fx *refFixture) string { return fx.inProg + "/files" },
		form: progForm("participant", nil), in: inPt, out: outPt, file: true},
	{route: "POST /programmes/{prog}/changes", field: "participant", as: "tambon", path: func(fx *refFixture) string { return fx.inProg + "/changes" },
		form: progForm("participant", url.Values{"level": {"district"}, "note": {"ผ่านการคัดเลือกระดับตำบล"}}), in: inPt, out: outPt},
	{route: "POST /programmes/{prog}/stages", field: "participant", as: "tambon", path: func(fx *refFixture) string { return fx.inProg + "/stages" },
		form: progForm("participant", url.Values{"stage": {"submitted"}, "date": {"2564-02-01"}}), in: inPt, out: outPt},
	{route: "POST /programmes/{prog}/sessions/{se}/photos", field: "participant", as: "tambon", path: func(fx *refFixture) string { return fx.inSession + "/photos" },
		form: progForm("participant", url.Values{"caption": {"แปลงผัก"}}), out: outPt, file: true, says: "ไม่ได้อยู่ในโครงการนี้"},
	{route: "POST /rounds/{round}/households/new", field: "village_code", as: "tambon", path: fixed("/rounds/" + round2562 + "/households/new"),
		form: progForm("village_code", url.Values{"house_no": {"1/1"}}), out: outVillage, says: "บัญชีของท่านไม่มีสิทธิ์เข้าถึงข้อมูลครัวเรือนของพื้นที่นี้"},
	{route: "POST /rounds/{round}/households/asked", field: "village_code", as: "tambon", path: fixed("/rounds/" + round2562 + "/households/asked"),
		form: progForm("village_code", nil), in: inVillage, out: outVillage},
	{route: "POST /submissions/{id}/fix", field: "village", as: "tambon", path: func(fx *refFixture) string { return fmt.Sprintf("/submissions/%d/fix", fx.sub) },
		form: progForm("village", url.Values{"house_no": {"99/1"}, "status": {"complete"}}), out: outVillage, says: "หมู่บ้านนี้อยู่นอกพื้นที่ของท่าน"},
	{route: "POST /admin/devices", field: "username", as: "admin71", path: fixed("/admin/devices"),
		form: progForm("username", url.Values{"name": {"phone"}}), in: fixed("enum71"), out: fixed("moo4")},
	{route: "POST /admin/tokens", field: "area", as: "admin71", path: fixed("/admin/tokens"),
		form: progForm("area", url.Values{"name": {"refs-area"}, "role": {"viewer"}, "expires": {"2026-12-31"}}),
		in:   fixed("710101"), out: fixed("700513")},
	{route: "POST /admin/tokens", field: "area_code", as: "admin71", path: fixed("/admin/tokens"),
		form: progForm("area_code", url.Values{"name": {"refs-code"}, "role": {"viewer"}, "expires": {"2026-12-31"}}),
		in:   fixed("710101"), out: fixed("700513")},
	{route: "POST /admin/pdpa/erase", field: "household", as: "admin71", path: fixed("/admin/pdpa/erase"),
		form: progForm("household", url.Values{"round": {round2561}, "member": {"1"}, "reason": {"คำขอเลขที่ 1/2569"}, "confirm": {"yes"}}),
		in:   func(fx *refFixture) string { return ids(fx.kanHH) }, out: inHH},
	{route: "POST /admin/pdpa/erase", field: "citizen_id", as: "admin71", path: fixed("/admin/pdpa/erase"),
		form: progForm("citizen_id", url.Values{"round": {round2561}, "reason": {"คำขอเลขที่ 2/2569"}, "confirm": {"yes"}}),
		in:   func(fx *refFixture) string { return fx.kanCitizen },
		out:  func(fx *refFixture) string { return fx.inCitizen() }},
	{route: "POST /rounds/{round}/areas/{code}/assignments", field: "village", as: "tambon", path: fixed(assignPath),
		form: assignForm("village", url.Values{"username": {"tambon"}}), in: inVillage, out: outVillage},
	{route: "POST /rounds/{round}/areas/{code}/assignments", field: "username", as: "tambon", path: fixed(assignPath),
		form: func(fx *refFixture, ref string) url.Values {
			return url.Values{"village": {fx.inVillage}, "username": {ref}}
		}, in: fixed("tambon"), out: fixed("enum71")},
	{route: "POST /rounds/{round}/areas/{code}/assignments", field: "household", as: "tambon", path: fixed(assignPath),
		form: func(fx *refFixture, ref string) url.Values {
			return url.Values{"village": {fx.inVillage}, "username": {"tambon"}, "household": {ref}}
		}, in: inHH, out: outHH},
	{route: "POST /rounds/{round}/areas/{code}/outcomes", field: "village", as: "tambon", path: fixed(outcomePath),
		form: func(fx *refFixture, ref string) url.Values {
			return url.Values{"village": {ref}, "household": {ids(fx.inHH)}, "outcome": {"refused"}}
		}, in: inVillage, out: outVillage},
	{route: "POST /rounds/{round}/areas/{code}/outcomes", field: "household", as: "tambon", path: fixed(outcomePath),
		form: func(fx *refFixture, ref string) url.Values {
			return url.Values{"village": {fx.inVillage}, "household": {ref}, "outcome": {"moved"}, "note": {"ย้ายออก"}}
		}, in: inHH, out: outHH},
	{route: "POST /admin/users", field: "area", as: "admin71", path: fixed("/admin/users"),
		form: progForm("area", url.Values{"username": {"newuser"}, "display_name": {"ใหม่"}, "password": {"a-long-enough-password"}, "role": {"tambon"}}),
		in:   fixed("710101"), out: fixed("700513")},
	{route: "POST /admin/users", field: "area_code", as: "admin71", path: fixed("/admin/users"),
		form: progForm("area_code", url.Values{"username": {"newuser2"}, "display_name": {"ใหม่"}, "password": {"a-long-enough-password"}, "role": {"tambon"}}),
		in:   fixed("710101"), out: fixed("700513")},
}

// The assignments page of เขาขลุง in round 2562, whose previous round is
// 2561 (inHH and outHH are households of 2561).
const (
	assignPath  = "/rounds/" + round2562 + "/areas/700513/assignments"
	outcomePath = "/rounds/" + round2562 + "/areas/700513/outcomes"
)

func assignForm(field string, base url.Values) func(fx *refFixture, ref string) url.Values {
	return func(fx *refFixture, ref string) url.Values {
		f := url.Values{}
		for k, v := range base {
			f[k] = v
		}
		f.Set(field, ref)
		return f
	}
}

// TestFormReferencesAreScoped posts every form that carries a reference
// with a record or an area outside the account's scope (refCases): each is
// refused, nothing is written, and the other area's partner is not named
// in the answer; the same form naming a record in scope is accepted. It
// runs on SQLite and, with TAMBON_TEST_POSTGRES, on PostgreSQL.
func TestFormReferencesAreScoped(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { formReferences(t, mustHouseholdApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		formReferences(t, mustHouseholdAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn))))
	})
}

func formReferences(t *testing.T, app *householdApp) {
	fx := mustRefFixture(t, app)
	pdf := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	for _, c := range refCases {
		cl := app.as(t, c.as)
		post := func(ref string) (int, string) {
			form := c.form(fx, ref)
			if !c.file {
				status, body, _ := cl.post(c.path(fx), form)
				return status, body
			}
			var fields []string
			for k, vs := range form {
				for _, v := range vs {
					fields = append(fields, k, v)
				}
			}
			return cl.postFile(c.path(fx), "file", "ผลงาน.pdf", pdf, fields...)
		}
		name := c.route + " " + c.field
		before := refSnapshot(t, fx)
		status, body := post(c.out(fx))
		if status < 400 || status >= 500 {
			t.Errorf("%s naming %s (out of scope): %d, want a refusal", name, c.out(fx), status)
		}
		if after := refSnapshot(t, fx); after != before {
			t.Errorf("%s naming %s (out of scope) wrote something:\n%s", name, c.out(fx), changedLines(before, after))
		}
		if strings.Contains(body, fx.outP.NameTH) {
			t.Errorf("%s naming %s shows the other province's partner by name", name, c.out(fx))
		}
		if c.says != "" && !strings.Contains(body, c.says) {
			t.Errorf("%s naming %s: the refusal does not say %q", name, c.out(fx), c.says)
		}
		if c.in == nil {
			continue
		}
		if status, body := post(c.in(fx)); status != http.StatusSeeOther && status != http.StatusOK {
			t.Errorf("%s naming %s (in scope): %d, want it accepted: %s", name, c.in(fx), status, errorsOf(body)+regexp.MustCompile(`class="notice error"[^>]*>[^<]*`).FindString(body))
		}
	}
}

// inCitizen is a citizen ID of a household of เขาขลุง.
func (fx *refFixture) inCitizen() string {
	rec, err := fx.app.store.Household(context.Background(), fx.inHH)
	if err != nil {
		panic(err)
	}
	return rec.Household.Members[0].CitizenID
}

// refSnapshot is everything a refused form could have written, as text.
func refSnapshot(t *testing.T, fx *refFixture) string {
	t.Helper()
	ctx := context.Background()
	st := fx.app.store
	var b strings.Builder
	add := func(what string, v any, err error) {
		if err != nil {
			t.Fatalf("snapshot %s: %v", what, err)
		}
		fmt.Fprintf(&b, "%s=%+v\n", what, v)
	}
	ps, err := st.Partners(ctx, partner.Filter{})
	add("partners", ps, err)
	toks, err := st.Tokens(ctx)
	add("tokens", toks, err)
	acts, err := st.Activities(ctx, activity.Filter{})
	add("activities", len(acts), err)
	for _, a := range acts {
		full, err := st.Activity(ctx, a.ID)
		add("activity", full, err)
	}
	planID, _ := strconv.ParseInt(strings.TrimPrefix(fx.planURL, "/plans/"), 10, 64)
	items, err := st.PlanItems(ctx, planID)
	add("items", items, err)
	for _, it := range items {
		tg, err := st.ItemTargets(ctx, it.ID)
		add("targets", tg, err)
		as, err := st.Assistance(ctx, plan.AssistanceFilter{ItemID: it.ID})
		add("assistance", as, err)
	}
	for _, url := range []string{fx.inProg, fx.vegProg, fx.outProg} {
		id, _ := strconv.ParseInt(strings.TrimPrefix(url, "/programmes/"), 10, 64)
		pts, err := st.Participants(ctx, id)
		add("participants", pts, err)
		steps, err := st.Steps(ctx, id)
		add("steps", steps, err)
		scores, err := st.Scores(ctx, id)
		add("scores", scores, err)
		sessions, err := st.Sessions(ctx, id)
		add("sessions", sessions, err)
		files, err := st.ProgrammeFiles(ctx, id)
		add("files", files, err)
		self, err := st.SelfAssessment(ctx, id)
		add("self", self, err)
		changes, err := st.ParticipantChanges(ctx, id)
		add("changes", changes, err)
		moves, err := st.StageMoves(ctx, id)
		add("stage moves", moves, err)
	}
	subs, err := st.Submissions(ctx, store.SubmissionFilter{Limit: 500})
	add("submissions", subs, err)
	for _, r := range []string{round2561, round2562, refRound} {
		for _, area := range []string{fx.inVillage, fx.outVillage, "71"} {
			n, err := st.CountHouseholds(ctx, r, area)
			add("households "+r+" "+area, n, err)
		}
	}
	for _, id := range []int64{fx.inHH, fx.outHH} {
		rec, err := st.Household(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		j, err := json.Marshal(rec.Household)
		add("household", string(j), err)
	}
	us, err := st.Users(ctx)
	add("users", len(us), err)
	asg, err := st.Assignments(ctx, round2562, "70")
	add("assignments", asg, err)
	for _, v := range []string{fx.inVillage, fx.outVillage} {
		panel, err := st.AssignPanel(ctx, round2562, v, false)
		add("visits "+v, panel, err)
	}
	ds, err := st.Devices(ctx, "")
	add("devices", ds, err)
	return b.String()
}

// refRound is the round of the submission waiting for review (the example
// households are made for their set's last year).
const refRound = "bmn-2564"

func mustRefFixture(t *testing.T, app *householdApp) *refFixture {
	t.Helper()
	ctx := context.Background()
	st := app.store
	fx := &refFixture{app: app, inVillage: "70051301"}
	for _, a := range mustTree(t).All() {
		if a.Level == area.Village && strings.HasPrefix(a.Code, "700514") && fx.outVillage == "" {
			fx.outVillage = a.Code
		}
	}
	// The fixture holds province 70 only; Kanchanaburi's ตำบล 710101 too
	// gives accounts and records outside it.
	var kan []area.Area
	for _, a := range mustTree(t).All() {
		if a.Code == "71" || a.Code == "7101" || strings.HasPrefix(a.Code, "710101") {
			kan = append(kan, a)
		}
	}
	if !slices.ContainsFunc(kan, func(a area.Area) bool { return a.Level == area.Village }) {
		// The embedded tree lists villages of Ratchaburi only.
		kan = append(kan, area.Area{Code: "71010101", Level: area.Village, NameTH: "หมู่ 1", Parent: "710101", Moo: 1})
	}
	if err := st.AddAreas(ctx, kan); err != nil {
		t.Fatal(err)
	}
	hash, err := user.HashPassword(hhPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []user.User{{Username: "admin71", Role: user.Admin, AreaCode: "71"}, {Username: "enum71", Role: user.Enumerator, AreaCode: "710101"}} {
		u.PasswordHash, u.DisplayName = hash, u.Username
		if _, err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	fx.inP, err = st.CreatePartner(ctx, partner.Partner{Kind: partner.LocalGov, NameTH: "องค์การบริหารส่วนตำบลเขาขลุง", AreaCode: "700513"}, "test")
	must(err)
	fx.outP, err = st.CreatePartner(ctx, partner.Partner{Kind: partner.ProvinceCDD, NameTH: "สำนักงานพัฒนาชุมชนจังหวัดกาญจนบุรี", AreaCode: "71"}, "test")
	must(err)
	person, err := st.CreatePartner(ctx, partner.Partner{Kind: partner.Person, NameTH: "นายบุคคล ทดสอบ", AreaCode: "700513"}, "test")
	must(err)
	fx.person = person.ID
	start := time.Date(2021, 1, 18, 15, 0, 0, 0, activity.Bangkok())
	fx.inAct, err = st.CreateActivity(ctx, activity.Activity{Kind: activity.Meeting, TitleTH: "ประชุมภาคีตำบลเขาขลุง", Start: start, AreaCode: "700513",
		PartnerIDs: []int64{fx.inP.ID}}, "tambon")
	must(err)
	fx.outAct, err = st.CreateActivity(ctx, activity.Activity{Kind: activity.Meeting, TitleTH: "ประชุมจังหวัดกาญจนบุรี", Start: start, AreaCode: "710101",
		PartnerIDs: []int64{fx.outP.ID}, FollowUps: []activity.FollowUp{{Action: "ส่งรายงาน", Owner: "พช.", Due: start.AddDate(0, 1, 0)}}}, "admin71")
	must(err)
	fx.outFollowUp = fx.outAct.FollowUps[0].ID

	// Households of round 2561 in ตำบล 700514, outside เขาขลุง.
	rd, err := st.Round(ctx, round2561)
	must(err)
	eng := mustEngine(t, rd)
	hs := surveyfile.Example(eng.Set(), fx.outVillage, 2, 71)
	for _, h := range hs {
		h.RoundID = round2561
	}
	_, err = st.WriteHouseholds(ctx, eng, round2561, hs, "test", nil)
	must(err)
	first := func(village string) int64 {
		var id int64
		must(st.EachHousehold(ctx, round2561, village, func(r survey.Record) error {
			if id == 0 {
				id = r.ID
			}
			return nil
		}))
		return id
	}
	fx.inHH, fx.outHH = first(fx.inVillage), first(fx.outVillage)
	var kanVillage string
	for _, a := range kan {
		if a.Level == area.Village && kanVillage == "" {
			kanVillage = a.Code
		}
	}
	kanHs := surveyfile.Example(eng.Set(), kanVillage, 2, 72)
	for _, h := range kanHs {
		h.RoundID = round2561
	}
	_, err = st.WriteHouseholds(ctx, eng, round2561, kanHs, "test", nil)
	must(err)
	must(st.EachHousehold(ctx, round2561, kanVillage, func(r survey.Record) error {
		if fx.kanHH == 0 {
			fx.kanHH = r.ID
		} else {
			fx.kanCitizen = r.Household.Members[0].CitizenID
		}
		return nil
	}))

	// A plan of เขาขลุง with an item, and a plan of another area.
	tambon, province := app.as(t, "tambon"), app.as(t, "province")
	fx.planURL, _ = mustPlan(t, app)
	planID, _ := strconv.ParseInt(strings.TrimPrefix(fx.planURL, "/plans/"), 10, 64)
	problems, err := st.PlanProblems(ctx, planID)
	must(err)
	fx.inProblem = problems[0].ID
	other, err := st.CreatePlan(ctx, plan.Plan{AreaCode: "700514", FiscalYear: 2564, RoundID: round2561, Title: "แผนตำบลอื่น", CreatedBy: "test"},
		[]plan.Problem{problems[0]})
	must(err)
	otherProblems, err := st.PlanProblems(ctx, other.ID)
	must(err)
	fx.outProblem = otherProblems[0].ID
	status, body, h := tambon.post(fx.planURL+"/items", itemForm("title")(fx, "ลานตากผลผลิต"))
	if status != http.StatusSeeOther {
		t.Fatalf("the item: %d %s", status, errorsOf(body))
	}
	fx.itemURL = h.Get("Location")

	// Programmes: an award and a household programme of เขาขลุง, and an
	// award run by the province with a participant in ตำบล 700514.
	create := func(c *client, area, typ string) string {
		t.Helper()
		status, body, h := c.post("/areas/"+area+"/programmes", url.Values{"type": {typ}, "title": {typ + " " + area}, "fiscal_year": {"2564"}})
		if status != http.StatusSeeOther {
			t.Fatalf("programme %s in %s: %d %s", typ, area, status, errorsOf(body))
		}
		return h.Get("Location")
	}
	join := func(c *client, prog, name, area string) int64 {
		t.Helper()
		if status, body, _ := c.post(prog+"/participants", url.Values{"name": {name}, "area": {area}}); status != http.StatusSeeOther {
			t.Fatalf("participant %s: %d %s", name, status, errorsOf(body))
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(prog, "/programmes/"), 10, 64)
		pts, err := st.Participants(ctx, id)
		must(err)
		return pts[len(pts)-1].ID
	}
	fx.inProg = create(tambon, "700513", "award_nomination")
	fx.inPt = join(tambon, fx.inProg, "บ้านหนองไม้เฝ้า หมู่ 4", "70051304")
	fx.vegProg = create(tambon, "700513", "vegetable_gardens")
	fx.outProg = create(province, "70", "award_nomination")
	fx.outPt = join(province, fx.outProg, "ตำบลอื่น", "700514")
	if status, body, _ := tambon.post(fx.inProg+"/sessions", url.Values{"title": {"เวทีประชาคม"}, "date": {"2564-01-20"}, "attendee": {ids(fx.inPt)}}); status != http.StatusSeeOther {
		t.Fatalf("a session of %s: %d %s", fx.inProg, status, errorsOf(body))
	}
	inID, _ := strconv.ParseInt(strings.TrimPrefix(fx.inProg, "/programmes/"), 10, 64)
	sessions, err := st.Sessions(ctx, inID)
	must(err)
	fx.inSession = fmt.Sprintf("%s/sessions/%d", fx.inProg, sessions[0].ID)

	// A submission of เขาขลุง waiting for review (a citizen ID's check digit is wrong).
	must(st.CreateRound(ctx, survey.Round{ID: refRound, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}))
	rd4, err := st.Round(ctx, refRound)
	must(err)
	eng4 := mustEngine(t, rd4)
	f, err := xform.Build(rd4, eng4.Set())
	must(err)
	hh := surveyfile.Example(eng4.Set(), fx.inVillage, 1, 4343)[0]
	hh.RoundID, hh.HouseNo, hh.HouseCode = refRound, "99/1", ""
	good := hh.Members[0].CitizenID
	hh.Members[0].CitizenID = good[:12] + fmt.Sprint((int(good[12]-'0')+1)%10)
	sub := xform.Submission{InstanceID: "uuid:ref-1", FormID: f.ID, RoundID: refRound, Username: "moo4", XML: xform.Encode(f, eng4.Set(), hh, "uuid:ref-1", "")}
	parsed, _, err := xform.Parse(f, eng4.Set(), sub.XML)
	must(err)
	sub.Problems = survey.Validate(parsed.Household, eng4.Set(), rd4.ReferenceDate())
	res, err := st.Submit(ctx, eng4, sub, parsed.Household)
	if err != nil || res.Submission.Status != xform.Review {
		t.Fatalf("the submission for review: %+v %v", res, err)
	}
	fx.sub = res.Submission.ID
	return fx
}

// changedLines are the lines of after that before lacks.
func changedLines(before, after string) string {
	had := map[string]bool{}
	for _, l := range strings.Split(before, "\n") {
		had[l] = true
	}
	var out []string
	for _, l := range strings.Split(after, "\n") {
		if !had[l] {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// A programme run by the province with participants in several tambons:
// a tambon team that takes part sees the programme, but only its own
// participants' documents, self-assessment and dossier; another tambon's
// are refused as an area out of scope is.
func TestProgrammeEvidenceFollowsParticipants(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { programmeEvidenceScope(t, mustHouseholdApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		programmeEvidenceScope(t, mustHouseholdAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn))))
	})
}

func programmeEvidenceScope(t *testing.T, app *householdApp) {
	ctx := context.Background()
	province, tambon := app.as(t, "province"), app.as(t, "tambon")
	status, body, h := province.post("/areas/70/programmes", url.Values{"type": {"award_nomination"}, "title": {"รางวัลระดับจังหวัด"}, "fiscal_year": {"2564"}})
	if status != http.StatusSeeOther {
		t.Fatalf("programme: %d %s", status, errorsOf(body))
	}
	prog := h.Get("Location")
	progID, _ := strconv.ParseInt(strings.TrimPrefix(prog, "/programmes/"), 10, 64)
	pdf := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	ptOf := map[string]int64{}
	for _, p := range []struct{ name, area, file, note string }{
		{"ตำบลเขาขลุง", "700513", "ผลงานเขาขลุง.pdf", "เวทีประชาคมเขาขลุง"},
		{"ตำบลอื่น", "700514", "ผลงานตำบลอื่น.pdf", "บันทึกของตำบลอื่น"},
	} {
		if status, body, _ := province.post(prog+"/participants", url.Values{"name": {p.name}, "area": {p.area}}); status != http.StatusSeeOther {
			t.Fatalf("participant %s: %d %s", p.name, status, errorsOf(body))
		}
		pts, err := app.store.Participants(ctx, progID)
		if err != nil {
			t.Fatal(err)
		}
		id := ids(pts[len(pts)-1].ID)
		ptOf[p.area] = pts[len(pts)-1].ID
		if status, body := province.postFile(prog+"/files", "file", p.file, pdf, "participant", id); status != http.StatusSeeOther {
			t.Fatalf("file of %s: %d %s", p.name, status, body)
		}
		if status, body, _ := province.post(prog+"/self", url.Values{"participant": {id}, "s_participation": {"80"}, "n_participation": {p.note}}); status != http.StatusSeeOther {
			t.Fatalf("self-assessment of %s: %d %s", p.name, status, body)
		}
		if status, body, _ := province.post(prog+"/steps", url.Values{"participant": {id}, "step": {"results"}, "date": {"1/2/2564"}, "evidence": {"หลักฐาน" + p.note}}); status != http.StatusSeeOther {
			t.Fatalf("step of %s: %d %s", p.name, status, body)
		}
	}
	files, err := app.store.ProgrammeFiles(ctx, progID)
	if err != nil || len(files) != 2 {
		t.Fatalf("files: %v %v", files, err)
	}
	fileOf := map[int64]string{}
	for _, f := range files {
		fileOf[f.ParticipantID] = fmt.Sprintf("%s/files/%d", prog, f.ID)
	}
	own, other := ptOf["700513"], ptOf["700514"]

	// The province sees everything.
	_, body, _ = province.get(prog)
	for _, want := range []string{"ผลงานเขาขลุง.pdf", "ผลงานตำบลอื่น.pdf", "บันทึกของตำบลอื่น", "หลักฐานบันทึกของตำบลอื่น", "dossier.zip?participant=" + ids(other)} {
		if !strings.Contains(body, want) {
			t.Errorf("the province's page lacks %q", want)
		}
	}
	// The tambon team sees the programme, and only its own documents.
	status, body, _ = tambon.get(prog)
	if status != http.StatusOK {
		t.Fatalf("the tambon team's page: %d", status)
	}
	for _, want := range []string{"ผลงานเขาขลุง.pdf", "เวทีประชาคมเขาขลุง", "หลักฐานเวทีประชาคมเขาขลุง", "dossier.zip?participant=" + ids(own)} {
		if !strings.Contains(body, want) {
			t.Errorf("the tambon team's page lacks its own %q", want)
		}
	}
	for _, leak := range []string{"ผลงานตำบลอื่น.pdf", "บันทึกของตำบลอื่น", fileOf[other], "dossier.zip?participant=" + ids(other)} {
		if strings.Contains(body, leak) {
			t.Errorf("the tambon team's page shows another tambon's %q", leak)
		}
	}
	for _, c := range []struct {
		path string
		want int
	}{
		{fileOf[own], http.StatusOK},
		{fileOf[other], http.StatusForbidden},
		{prog + "/dossier.zip?participant=" + ids(own), http.StatusOK},
		{prog + "/dossier.zip?participant=" + ids(other), http.StatusForbidden},
	} {
		status, body, _ := tambon.get(c.path)
		if status != c.want {
			t.Errorf("tambon GET %s: %d, want %d", c.path, status, c.want)
		}
		if c.want != http.StatusOK && strings.Contains(body, "%PDF") {
			t.Errorf("tambon GET %s answered the document", c.path)
		}
	}
	if status, _, _ := province.get(prog + "/dossier.zip?participant=" + ids(other)); status != http.StatusOK {
		t.Errorf("the province's dossier of another tambon: %d", status)
	}
}

// Opening a household's edit form shows every personal field unmasked, so
// it is written to the audit log as a reveal, as the view page's reveal is.
func TestHouseholdEditFormIsAuditedAsAReveal(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	var rec survey.Record
	app.store.EachHousehold(ctx, round2562, "70051304", func(r survey.Record) error {
		if rec.ID == 0 {
			rec = r
		}
		return nil
	})
	object := fmt.Sprintf("household:%d", rec.ID)
	status, body, _ := app.as(t, "moo4").get(fmt.Sprintf("/households/%d/edit", rec.ID))
	if status != http.StatusOK || !strings.Contains(body, rec.Household.Members[0].CitizenID) {
		t.Fatalf("edit form: %d, shows the citizen ID: %v", status, strings.Contains(body, rec.Household.Members[0].CitizenID))
	}
	log, err := app.store.AuditLog(ctx, store.AuditFilter{Object: object, User: "moo4"})
	if err != nil {
		t.Fatal(err)
	}
	reveals := 0
	for _, e := range log {
		if e.Action == "personal.reveal" && strings.Contains(e.Detail, `"form":"edit"`) && strings.Contains(e.Detail, "citizen IDs") {
			reveals++
		}
	}
	if reveals != 1 {
		t.Errorf("opening the edit form logged %d reveals, want 1: %+v", reveals, log)
	}
	// Those who may not edit there are refused, and nothing is revealed.
	if status, body, _ := app.as(t, "district").get(fmt.Sprintf("/households/%d/edit", rec.ID)); status != http.StatusForbidden || strings.Contains(body, rec.Household.Members[0].CitizenID) {
		t.Errorf("district edit form: %d", status)
	}
}

// A submission's page shows its raw XML and fix form with names and
// citizen IDs unmasked, to those who may reveal them: opening it is logged
// as a reveal too.
func TestSubmissionPageIsAuditedAsAReveal(t *testing.T) {
	app := mustHouseholdApp(t)
	fx := mustRefFixture(t, app)
	path := fmt.Sprintf("/submissions/%d", fx.sub)
	if status, _, _ := app.as(t, "tambon").get(path); status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, status)
	}
	log, err := app.store.AuditLog(context.Background(), store.AuditFilter{Object: fmt.Sprintf("submission:%d", fx.sub), User: "tambon"})
	if err != nil {
		t.Fatal(err)
	}
	reveals := 0
	for _, e := range log {
		if e.Action == "personal.reveal" && strings.Contains(e.Detail, "citizen IDs") {
			reveals++
		}
	}
	if reveals != 1 {
		t.Errorf("opening a submission logged %d reveals, want 1: %+v", reveals, log)
	}
}

// An item that already names a partner outside the account's area (stored
// before references were checked) keeps it: the form offers it and saving
// the form unchanged is accepted; naming it anew elsewhere is not.
func TestKeptPartnerStaysOnOffer(t *testing.T) {
	app := mustHouseholdApp(t)
	fx := mustRefFixture(t, app)
	ctx := context.Background()
	itemID, _ := strconv.ParseInt(fx.itemURL[strings.LastIndex(fx.itemURL, "/")+1:], 10, 64)
	it, err := app.store.Item(ctx, itemID)
	if err != nil {
		t.Fatal(err)
	}
	it.PartnerID = fx.outP.ID
	if _, err := app.store.SaveItem(ctx, it, "legacy"); err != nil {
		t.Fatal(err)
	}
	tambon := app.as(t, "tambon")
	_, body, _ := tambon.get(fx.itemURL)
	if !strings.Contains(body, fmt.Sprintf(`value="%d"`, fx.outP.ID)) {
		t.Errorf("the item's own partner is not on offer")
	}
	if status, body, _ := tambon.post(fx.itemURL, itemForm("partner")(fx, ids(fx.outP.ID))); status != http.StatusSeeOther {
		t.Errorf("saving the item unchanged: %d %s", status, errorsOf(body))
	}
	if status, _, _ := tambon.post(fx.planURL+"/items", itemForm("partner")(fx, ids(fx.outP.ID))); status != http.StatusUnprocessableEntity {
		t.Errorf("a new item naming that partner: %d, want 422", status)
	}
}
