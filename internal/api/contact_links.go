package api

import (
	"net/http"
	"strings"

	"beizeng/internal/request"
)

// contactLinkIn is the body of POST /enterprises/{id}/contact-link: whom the link is for.
type contactLinkIn struct {
	ContactName string `json:"contact_name"`
}

// contactLinkJSON is the one answer that carries a contact link's token: only its hash is
// kept, so it cannot be read again; a new link replaces the enterprise's earlier one.
type contactLinkJSON struct {
	EnterpriseID int64  `json:"enterprise_id"`
	ContactName  string `json:"contact_name"`
	Token        string `json:"token"`
	URL          string `json:"url"`
}

// issueContactLink gives an enterprise's contact a new link (/c/{token}) to raise and
// follow its problems without an account.
func (h *Handler) issueContactLink(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var in contactLinkIn
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	var token string
	if err == nil {
		token, err = h.store.IssueContactLink(r.Context(), request.Actor(r), id, in.ContactName)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, contactLinkJSON{EnterpriseID: id, ContactName: strings.TrimSpace(in.ContactName), Token: token, URL: request.ContactURL(r, token)})
}
