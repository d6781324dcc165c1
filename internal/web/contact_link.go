package web

import (
	"fmt"
	"net/http"
	"strings"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

// contactLinkCard is the form that issues an enterprise's contact link (/c/{token}), on a
// problem's page and on the enterprise's own page: the link is shown once, on the page the
// issuing redirects to, since only its hash is kept.
type contactLinkCard struct {
	Action      string // where the form posts
	ContactName string // as typed, else the enterprise's contact person
	Link        string
	Err         string
	// Current is the link in force, if any: issuing another silently cuts off the contact
	// who holds it, so the page says whose it is and asks first.
	Current *store.ContactLink
}

// contactLinkCookie carries a just-issued link's token from the POST that issued it to
// the page it redirects to, for one showing: reloading the page then neither posts again
// (which issued another link and cut off the first) nor shows the link again. The cookie
// is scoped to the page, lives two minutes and is cleared when shown.
const contactLinkCookie = "bz_contact_link"

// contactLinkCardOf is the card a page (/problems/{id}, /enterprises/{id}) shows for the
// enterprise: nil for those who may not issue links; the refused issuing when there is
// one; else the form, with the link just issued if the page was redirected to from
// issuing it and that link is still the one in force; all with the link in force.
func (h *Handler) contactLinkCardOf(w http.ResponseWriter, r *http.Request, e *domain.Enterprise, page string, refused *contactLinkCard) (*contactLinkCard, error) {
	if !auth.CanAtAll(request.User(r), auth.ManageLinks) {
		return nil, nil
	}
	c := refused
	if c == nil {
		c = &contactLinkCard{Action: page + "/contact-link", ContactName: e.ContactPerson}
	}
	var err error
	if c.Current, err = h.Store.CurrentContactLink(r.Context(), e.ID); err != nil {
		return nil, err
	}
	if cookie, err := r.Cookie(contactLinkCookie); err == nil && refused == nil {
		h.setContactLinkCookie(w, page, "", -1)
		// Only the link in force is shown: another coordinator may have replaced it since.
		if c.Current != nil && c.Current.Is(cookie.Value) {
			c.Link = request.ContactURL(r, cookie.Value)
		}
	}
	return c, nil
}

func (h *Handler) setContactLinkCookie(w http.ResponseWriter, page, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: contactLinkCookie, Value: token, Path: page, MaxAge: maxAge,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// issueContactLink issues the enterprise's link from the posted contact_name and
// redirects to its page, which shows the link once; a refusal shows the page again
// through rerender, the card keeping the name as typed and saying why.
func (h *Handler) issueContactLink(w http.ResponseWriter, r *http.Request, enterpriseID int64, page string, rerender func(status int, card *contactLinkCard)) {
	err := parseForm(w, r)
	name := r.PostFormValue("contact_name")
	if err == nil {
		var token string
		if token, err = h.Store.IssueContactLink(r.Context(), request.Actor(r), enterpriseID, name); err == nil {
			h.setContactLinkCookie(w, page, token, 120)
		}
	}
	h.finishWrite(w, r, err, func(status int, err error) {
		rerender(status, &contactLinkCard{Action: page + "/contact-link", ContactName: name, Err: errorText(err)})
	}, page+"#contact-link", "已生成企业联系人链接（只显示这一次），请复制后发给"+strings.TrimSpace(name)+"。")
}

func problemURL(id int64) string    { return fmt.Sprintf("/problems/%d", id) }
func enterpriseURL(id int64) string { return fmt.Sprintf("/enterprises/%d", id) }

// issueProblemContactLink gives the problem's enterprise a new contact link.
func (h *Handler) issueProblemContactLink(w http.ResponseWriter, r *http.Request) {
	if p, ok := h.readableProblem(w, r); ok {
		h.issueContactLink(w, r, p.EnterpriseID, problemURL(p.ID), func(status int, card *contactLinkCard) {
			h.renderProblem(w, r, status, p, problemPage{ContactLink: card})
		})
	}
}

// issueEnterpriseContactLink gives the enterprise a new contact link from its own page, so
// that an enterprise with no problem yet can raise its first one itself.
func (h *Handler) issueEnterpriseContactLink(w http.ResponseWriter, r *http.Request) {
	if e, ok := byPathID(h, w, r, h.Store.FindEnterpriseByID); ok {
		h.issueContactLink(w, r, e.ID, enterpriseURL(e.ID), func(status int, card *contactLinkCard) {
			h.renderEnterprise(w, r, status, e, enterprisePage{ContactLink: card})
		})
	}
}
