package pages

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/apperr"
)

// loginBody is what the sign-in form shows again after a failed attempt.
type loginBody struct{ Email string }

// loginPage shows the sign-in form.
func (s *handlers) loginPage(c *fiber.Ctx) error {
	d := s.newPage(c, "login")
	d.Body = loginBody{}
	return render(c, "login", d)
}

// loginSubmit checks the CSRF token and the credentials (server.SignIn,
// under the same sign-in limits as the API's), then sets the session
// cookie and goes to the home page.
func (s *handlers) loginSubmit(c *fiber.Ctx) error {
	d := s.newPage(c, "login")
	d.Body = loginBody{Email: c.FormValue("email")}
	if !server.CSRFOK(c) {
		d.Error = d.T("csrf")
		return render(c.Status(fiber.StatusForbidden), "login", d)
	}
	p, err := s.SignIn(c, c.FormValue("email"), c.FormValue("password"))
	if e := apperr.As(err); e != nil && e.Kind == apperr.TooMany {
		d.Error = d.T("too_many")
		if e.Code == "account_locked" {
			d.Error = d.T("locked")
		}
		return render(c.Status(fiber.StatusTooManyRequests), "login", d)
	}
	if e := apperr.As(err); e != nil && e.Kind == apperr.Unauthorized {
		d.Error = d.T("bad_login")
		return render(c.Status(fiber.StatusUnauthorized), "login", d)
	}
	if err != nil {
		return err
	}
	if _, err := s.StartSession(c, p); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

// logoutSubmit ends the session (CSRF-checked) and returns to the login
// page.
func (s *handlers) logoutSubmit(c *fiber.Ctx) error {
	if !server.CSRFOK(c) {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	if err := s.Store.DeleteToken(c.UserContext(), c.Cookies(server.SessionCookie)); err != nil {
		return err
	}
	c.ClearCookie(server.SessionCookie)
	return c.Redirect("/login", fiber.StatusSeeOther)
}
