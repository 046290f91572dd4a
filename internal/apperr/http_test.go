package apperr_test

import (
	"net/http"
	"testing"

	"tambon/internal/apperr"
)

func TestHTTPStatus(t *testing.T) {
	for code, want := range map[apperr.Code]int{
		apperr.Invalid: 400, apperr.Unauthorized: 401, apperr.Forbidden: 403, apperr.NotFound: 404,
		apperr.Conflict: 409, apperr.TooMany: 429, apperr.Unavailable: 503, apperr.Internal: 500, "something_new": 500,
	} {
		if got := apperr.HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%s) = %d (%s), want %d", code, got, http.StatusText(got), want)
		}
	}
}
