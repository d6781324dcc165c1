// Package api is beizeng's JSON API under /api/v1. It answers the same store and the same
// authorization policy as the web UI: the server checks the route's action before a
// handler runs, and handlers check the record-level part (whose unit) with auth.Can.
// The API is described by openapi.yaml, which a test keeps in step with Routes.
package api

import (
	"log/slog"

	"beizeng/internal/auth"
	"beizeng/internal/store"
)

// Deps is what the API needs from the server.
type Deps struct {
	Store *store.Store
	Auth  *auth.Service
	Log   *slog.Logger
	// Bulletins prints the bulletin as PDF; nil, or unable to print, the PDF routes answer 503.
	Bulletins BulletinPrinter
}

// Handler serves the JSON API.
type Handler struct {
	store   *store.Store
	auth    *auth.Service
	log     *slog.Logger
	printer BulletinPrinter
}

// New returns the API handler. A nil logger logs to slog's default, so that tests can
// build the route table from an empty Deps.
func New(d Deps) *Handler {
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	return &Handler{store: d.Store, auth: d.Auth, log: log, printer: d.Bulletins}
}
