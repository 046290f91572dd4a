package web

import "net/http"

// routes is the map of the application: every URL tambon answers.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	page, api := s.page, s.api

	// Pages.
	mux.Handle("GET /{$}", page(s.home))
	mux.Handle("GET /areas/{code}", page(s.cached(s.areaPage)))
	mux.Handle("GET /areas/{code}/indicators/{ind}", page(s.indicatorPage))
	mux.Handle("GET /areas/{code}/poverty", page(s.povertyPage))
	mux.Handle("GET /areas/{code}/report", page(s.reportPage))
	mux.Handle("GET /areas/{code}/export.xlsx", page(s.areaExport))
	mux.Handle("GET /search", page(s.searchPage))
	mux.Handle("GET /rounds/{round}/areas/{code}/completeness", page(s.completenessPage)) // completeness_page.go
	mux.Handle("GET /about/indicators", page(s.provenancePage))
	mux.Handle("GET /login", page(s.loginPage))
	mux.Handle("POST /login", page(s.login))
	mux.Handle("POST /logout", page(s.logout))

	// JSON API.
	mux.Handle("GET /api/v1/areas", api(s.apiSearchAreas))
	mux.Handle("GET /api/v1/areas/{code}", api(s.apiArea))
	mux.Handle("GET /api/v1/areas/{code}/children", api(s.apiAreaChildren))
	mux.Handle("GET /api/v1/areas/{code}/results", api(s.cached(s.apiAreaResults)))
	mux.Handle("GET /api/v1/areas/{code}/target-poor", api(s.cached(s.apiAreaTPMAP)))
	mux.Handle("GET /api/v1/rounds", api(s.apiRounds))
	mux.Handle("POST /api/v1/rounds/{round}/households", api(s.apiWriteHouseholds)) // api_households.go
	mux.Handle("PUT /api/v1/households/{id}", api(s.apiReplaceHousehold))
	mux.HandleFunc("GET /api/v1/openapi.json", s.openapi)
	mux.Handle("/api/", api(s.apiNotFound))

	// OData v4 feed for Excel and Power BI: odata.go.
	mux.Handle("GET /odata", s.odata(s.odataService))
	mux.Handle("GET /odata/{$}", s.odata(s.odataService))
	mux.Handle("GET /odata/$metadata", s.odata(s.odataMetadata))
	mux.Handle("GET /odata/{set}", s.odata(s.odataCollection))
	mux.Handle("GET /odata/{set}/$count", s.odata(s.odataCount))

	// Operations and assets.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/", s.assets)
	mux.Handle("GET /geo/{file}", page(s.geoCountryLayer))
	mux.Handle("GET /geo/{level}/{file}", page(s.geoLayerFile))
	s.adminRoutes(mux)      // accounts, sessions, audit log: admin.go
	s.householdRoutes(mux)  // households, entry form, import, review: household_routes in household.go
	s.villageRoutes(mux)    // กชช. 2ค village survey results and entry: village.go
	s.submissionRoutes(mux) // OpenRosa submissions' review queue: submission.go
	s.activityRoutes(mux)   // partners, activities, calendar, follow-ups, photos, news: activity.go
	s.planRoutes(mux)       // development plans, programmes, help to households: plan.go
	s.pdpaRoutes(mux)       // personal data: erasure on request, retention: admin_pdpa.go
	s.setsRoutes(mux)       // indicator sets, versions, thresholds: admin_sets.go
	s.welfareRoutes(mux)    // the welfare-card register: lists, groups, the area section: welfare.go
	s.assignRoutes(mux)     // field assignments, progress, visit outcomes: assignments.go
	s.exportRoutes(mux)     // Excel files of plans, targets, activities, partners, participants: list_export.go
	s.dhis2Routes(mux)      // DHIS2 data value sets, ADX, mapping and metadata: dhis2_api.go
	s.dhis2AdminRoutes(mux) // DHIS2 import for administrators: dhis2_admin.go
	mux.Handle("/", page(s.notFound))
	return mux
}
