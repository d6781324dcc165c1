// Package request carries what every handler needs to know about a request — who is
// asking, from where, through which route — and the route table type that lets one
// middleware apply the authorization policy to every route, UI and API alike.
package request

import (
	"context"
	"net/http"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
)

// Route is one registered endpoint. Every route declares the action it performs, so that
// no route can be added without passing the policy.
type Route struct {
	Method  string
	Pattern string // net/http pattern path, e.g. /units/{id}
	Action  auth.Action
	API     bool // answers JSON and accepts bearer tokens
	Handler http.HandlerFunc
}

// Key is the route's method and pattern, as ServeMux and the tests name it.
func (r Route) Key() string { return r.Method + " " + r.Pattern }

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
	ipKey
	routeKey
)

// WithUser records the signed-in user and, for browser sessions, the session id.
func WithUser(ctx context.Context, u *domain.User, sessionID string) context.Context {
	ctx = context.WithValue(ctx, userKey, u)
	return context.WithValue(ctx, sessionKey, sessionID)
}

// WithClientIP records the client address the server trusts.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, ipKey, ip)
}

// WithRoute records the matched route, for metrics and the API/UI error style.
func WithRoute(ctx context.Context, rt *Route) context.Context {
	return context.WithValue(ctx, routeKey, rt)
}

// User is the signed-in user, or nil.
func User(r *http.Request) *domain.User {
	u, _ := r.Context().Value(userKey).(*domain.User)
	return u
}

// SessionID is the browser session's id, or "" for token and anonymous requests.
func SessionID(r *http.Request) string {
	s, _ := r.Context().Value(sessionKey).(string)
	return s
}

// ClientIP is the client's address.
func ClientIP(r *http.Request) string {
	s, _ := r.Context().Value(ipKey).(string)
	return s
}

// CurrentRoute is the matched route, or nil.
func CurrentRoute(r *http.Request) *Route {
	rt, _ := r.Context().Value(routeKey).(*Route)
	return rt
}

// Actor is who the audit log will name for a change made by this request.
func Actor(r *http.Request) domain.Actor {
	via := "web"
	if rt := CurrentRoute(r); rt != nil && rt.API {
		via = "api"
	}
	return domain.Actor{User: User(r), Via: via, IP: ClientIP(r)}
}

// ContactURL is the absolute link an enterprise contact opens with a contact-link token:
// the UI shows it and the API answers it, once, right after issuing.
func ContactURL(r *http.Request, token string) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/c/" + token
}
