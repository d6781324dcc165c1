package web

import (
	"fmt"
	"net/http"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

// contactLinkCard is the form that issues an enterprise's contact link (/c/{token}), on a
// problem's page and on the enterprise's own page: the link is shown once, right after it
// is issued, since only its hash is kept.
type contactLinkCard struct {
	Action      string // where the form posts
	ContactName string // as typed, else the enterprise's contact person
	Link        string
	Err         string
	// Current is the link in force, if any: issuing another silently cuts off the contact
	// who holds it, so the page says whose it is and asks first.
	Current *store.ContactLink
}

// contactLinkCardOf is the card a page shows for the enterprise: nil for those who may
// not issue links, the issuing's outcome when there is one, else the empty form; both
// with the link now in force.
func (h *Handler) contactLinkCardOf(r *http.Request, e *domain.Enterprise, action string, issued *contactLinkCard) (*contactLinkCard, error) {
	if !auth.CanAtAll(request.User(r), auth.ManageLinks) {
		return nil, nil
	}
	c := issued
	if c == nil {
		c = &contactLinkCard{Action: action, ContactName: e.ContactPerson}
	}
	var err error
	c.Current, err = h.Store.CurrentContactLink(r.Context(), e.ID)
	return c, err
}

// issueContactLink issues the enterprise's link from the posted contact_name: the card
// to show again (the link, or the refusal with the name as typed) and its status.
func (h *Handler) issueContactLink(r *http.Request, enterpriseID int64, action string) (*contactLinkCard, int) {
	c := &contactLinkCard{Action: action, ContactName: r.PostFormValue("contact_name")}
	token, err := h.Store.IssueContactLink(r.Context(), request.Actor(r), enterpriseID, c.ContactName)
	if err != nil {
		c.Err = domain.ErrorMessage(err)
		return c, http.StatusUnprocessableEntity
	}
	c.Link = request.ContactURL(r, token)
	return c, http.StatusOK
}

func problemContactAction(id int64) string    { return fmt.Sprintf("/problems/%d/contact-link", id) }
func enterpriseContactAction(id int64) string { return fmt.Sprintf("/enterprises/%d/contact-link", id) }

// issueProblemContactLink gives the problem's enterprise a new contact link.
func (h *Handler) issueProblemContactLink(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	p, err := h.Store.FindProblemByID(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	card, status := h.issueContactLink(r, p.EnterpriseID, problemContactAction(p.ID))
	h.renderProblem(w, r, status, p, problemPage{ContactLink: card})
}

// issueEnterpriseContactLink gives the enterprise a new contact link from its own page, so
// that an enterprise with no problem yet can raise its first one itself.
func (h *Handler) issueEnterpriseContactLink(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	e, err := h.Store.FindEnterpriseByID(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	card, status := h.issueContactLink(r, e.ID, enterpriseContactAction(e.ID))
	h.renderEnterprise(w, r, status, e, enterprisePage{ContactLink: card})
}
