package api

import (
	"beizeng/internal/auth"
	"beizeng/internal/request"
)

// Prefix is where the API lives; every pattern below starts with it.
const Prefix = "/api/v1"

// Routes lists every API endpoint with the action the policy checks before the handler
// runs. openapi.yaml documents exactly these (see TestOpenAPIMatchesRoutes).
func (h *Handler) Routes() []request.Route {
	routes := []request.Route{
		{Method: "GET", Pattern: "/openapi.yaml", Action: auth.Public, Handler: h.openAPI},
		{Method: "GET", Pattern: "/me", Action: auth.Self, Handler: h.me},

		{Method: "GET", Pattern: "/units", Action: auth.ReadOrg, Handler: h.listUnits},
		{Method: "POST", Pattern: "/units", Action: auth.ManageUnits, Handler: h.createUnit},
		{Method: "GET", Pattern: "/units/{id}", Action: auth.ReadOrg, Handler: h.getUnit},
		{Method: "PUT", Pattern: "/units/{id}", Action: auth.ManageUnits, Handler: h.updateUnit},
		{Method: "PUT", Pattern: "/units/{id}/contact", Action: auth.EditUnitContact, Handler: h.updateUnitContact},

		{Method: "GET", Pattern: "/users", Action: auth.ManageUsers, Handler: h.listUsers},
		{Method: "POST", Pattern: "/users", Action: auth.ManageUsers, Handler: h.createUser},
		{Method: "GET", Pattern: "/users/{id}", Action: auth.ManageUsers, Handler: h.getUser},
		{Method: "PUT", Pattern: "/users/{id}", Action: auth.ManageUsers, Handler: h.updateUser},
		{Method: "POST", Pattern: "/users/{id}/password", Action: auth.ManageUsers, Handler: h.resetPassword},

		{Method: "GET", Pattern: "/tokens", Action: auth.Self, Handler: h.listTokens},
		{Method: "POST", Pattern: "/tokens", Action: auth.Self, Handler: h.createToken},
		{Method: "DELETE", Pattern: "/tokens/{id}", Action: auth.Self, Handler: h.revokeToken},

		{Method: "GET", Pattern: "/audit", Action: auth.ReadAudit, Handler: h.listAudit},
		{Method: "GET", Pattern: "/audit/verify", Action: auth.ReadAudit, Handler: h.verifyAudit},
	}
	for i := range routes {
		routes[i].Pattern = Prefix + routes[i].Pattern
		routes[i].API = true
	}
	return routes
}
