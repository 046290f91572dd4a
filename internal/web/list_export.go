package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tambon/internal/tabular"
)

// exportRoutes registers the Excel files of the lists an office keeps:
// plans, graduation, an item's target households, activities, partners
// and a programme's participants. Each is the list its page shows, with the
// page's filters, every row rather than one page of it, masked as the page
// masks and under the page's own scope checks. routes.go calls it once.
func (s *Server) exportRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /areas/{code}/plans.xlsx", page(s.planListExport))
	mux.Handle("GET /plans/{plan}/graduation.xlsx", page(s.planGraduationExport))
	mux.Handle("GET /areas/{code}/graduation.xlsx", page(s.areaGraduationExport))
	mux.Handle("GET /plans/{plan}/items/{item}/targets.xlsx", page(s.itemTargetsExport))
	mux.Handle("GET /activities.xlsx", page(s.activityExport))
	mux.Handle("GET /partners.xlsx", page(s.partnerExport))
	mux.Handle("GET /programmes/{prog}/participants.xlsx", page(s.participantExport))
	mux.Handle("GET /rounds/{round}/areas/{code}/completeness.xlsx", page(s.completenessExport))
}

// ExportURL is the list on this page as an Excel file at path: the page's
// own filters (its query string), without the page number or language.
func (v view) ExportURL(path string) string {
	q := url.Values{}
	for k, vs := range v.query {
		if k != "page" && k != "lang" {
			q[k] = vs
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// xlsxSheet is one table of an exported workbook.
type xlsxSheet struct {
	name string
	head []string
	rows [][]any
}

func (x *xlsxSheet) add(values ...any) { x.rows = append(x.rows, values) }

// personalFile says an export holds personal data (names, house numbers of
// households, people's contacts): what its audit entry records.
type personalFile struct {
	area   string
	object string         // the list, e.g. "graduation:plan:12"
	detail map[string]any // list, filter, rows, masked …
}

// sendSheets writes the sheets as a workbook (bold frozen header, columns
// sized, numbers as numbers) and sends it; a file with personal data is
// written to the audit log first ("export.personal", as the household list
// does), and a file that cannot be audited is not sent.
func (s *Server) sendSheets(w http.ResponseWriter, r *http.Request, file string, sheets []xlsxSheet, pf *personalFile) error {
	var buf bytes.Buffer
	x := tabular.NewXLSXWriter(&buf)
	for _, sh := range sheets {
		if err := x.NewSheet(sheetName(sh.name), sh.head); err != nil {
			return err
		}
		for _, row := range sh.rows {
			if err := x.Write(row...); err != nil {
				return err
			}
		}
	}
	if err := x.Close(); err != nil {
		return err
	}
	if pf != nil {
		rows := 0
		for _, sh := range sheets {
			rows += len(sh.rows)
		}
		if pf.detail == nil {
			pf.detail = map[string]any{}
		}
		pf.detail["rows"] = rows
		if _, ok := pf.detail["masked"]; !ok {
			pf.detail["masked"] = true
		}
		detail, _ := json.Marshal(pf.detail)
		if err := s.audit(r.Context(), userFrom(r.Context()), "export.personal", pf.area, pf.object, string(detail)); err != nil {
			return err
		}
	}
	writeXLSX(w, file, buf.Bytes())
	return nil
}

// exportName is an ASCII file name from its parts: "plans-700513.xlsx".
func exportName(parts ...string) string {
	for i, p := range parts {
		parts[i] = asciiName(p)
	}
	return strings.Join(parts, "-") + ".xlsx"
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
