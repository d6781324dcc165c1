package api

import (
	"net/http"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// tokenJSON is a token's record; the secret is never stored and so never listed.
type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func tokenOut(t *domain.APIToken) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt,
		LastUsedAt: timeOrNil(t.LastUsedAt), RevokedAt: timeOrNil(t.RevokedAt)}
}

// newTokenJSON is the one answer that carries the secret.
type newTokenJSON struct {
	Token string `json:"token"`
	tokenJSON
}

// listTokens answers all of the caller's tokens in one page: a person has a handful.
func (h *Handler) listTokens(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	tokens, err := h.store.FindTokens(r.Context(), request.User(r).ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[tokenJSON]{Items: make([]tokenJSON, 0, len(tokens)), Total: len(tokens), Limit: len(tokens)}
	for _, t := range tokens {
		out.Items = append(out.Items, tokenOut(t))
	}
	writeJSON(w, http.StatusOK, out)
}

// tokenCreate is the body of POST /tokens: what the token is for.
type tokenCreate struct {
	Name string `json:"name"`
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	var in tokenCreate
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	secret, t, err := h.auth.CreateToken(r.Context(), request.Actor(r), request.User(r), in.Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newTokenJSON{Token: secret, tokenJSON: tokenOut(t)})
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The store matches the owner too: another user's token id is simply not found.
	if err := h.store.RevokeToken(r.Context(), request.Actor(r), request.User(r).ID, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
