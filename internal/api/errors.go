package api

import (
	"errors"
	"log/slog"
	"net/http"

	"beizeng/internal/domain"
)

// Status maps a domain error code to its HTTP status. It is the one mapping of codes to
// statuses; the web UI uses it too.
func Status(code string) int {
	switch code {
	case domain.EINVALID:
		return http.StatusUnprocessableEntity
	case domain.ENOTFOUND:
		return http.StatusNotFound
	case domain.ECONFLICT:
		return http.StatusConflict
	case domain.EFORBIDDEN:
		return http.StatusForbidden
	case domain.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case domain.ELOCKED:
		return http.StatusLocked
	case domain.ETHROTTLED:
		return http.StatusTooManyRequests
	case domain.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// requestError is an EINVALID error about the request itself — its syntax, size, media
// type or query string — rather than about the record it describes. Clients must tell
// "fix your code" (400) from "fix your data" (422), so it carries its own status while
// keeping the domain code for everything that only reads the code.
type requestError struct {
	status int
	err    *domain.Error
}

func (e *requestError) Error() string { return e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

// badRequest is a 400 with a Chinese message naming the problem.
func badRequest(format string, args ...any) error {
	return &requestError{status: http.StatusBadRequest, err: domain.Errorf(domain.EINVALID, format, args...)}
}

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// WriteError answers err as {"error":{"code","message","fields"}}. Unexpected errors are
// logged with their cause and shown only as a generic message.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := domain.ErrorCode(err)
	status := Status(code)
	var re *requestError
	if errors.As(err, &re) {
		status = re.status
	}
	if code == domain.EINTERNAL {
		if log == nil {
			log = slog.Default()
		}
		log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == domain.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	writeJSON(w, status, errorBody{Error: errorDetail{
		Code: code, Message: domain.ErrorMessage(err), Fields: domain.ErrorFields(err),
	}})
}

// fail is WriteError with the handler's logger.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	WriteError(w, r, h.log, err)
}
