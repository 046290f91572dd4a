package apperr

import "net/http"

// HTTPStatus is the HTTP status that answers an error of code c: the one
// mapping the web pages, the JSON API and the OpenRosa endpoints share.
// Codes it does not know, Internal among them, are 500.
func HTTPStatus(c Code) int {
	switch c {
	case Invalid:
		return http.StatusBadRequest
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Forbidden:
		return http.StatusForbidden
	case Unauthorized:
		return http.StatusUnauthorized
	case TooMany:
		return http.StatusTooManyRequests
	case Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
