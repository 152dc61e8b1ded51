package pages

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
)

// loginBody is what the sign-in form shows again after a failed attempt.
type loginBody struct{ Email string }

// loginPage shows the sign-in form.
func (s *handlers) loginPage(c *fiber.Ctx) error {
	d := s.newPage(c, "login")
	d.Body = loginBody{}
	return render(c, "login", d)
}

// loginSubmit checks the CSRF token and the credentials, then sets the
// session cookie and goes to the home page.
func (s *handlers) loginSubmit(c *fiber.Ctx) error {
	d := s.newPage(c, "login")
	d.Body = loginBody{Email: c.FormValue("email")}
	if !server.CSRFOK(c) {
		d.Error = d.T("csrf")
		return render(c.Status(fiber.StatusForbidden), "login", d)
	}
	p, err := s.Store.Authenticate(c.UserContext(), c.FormValue("email"), c.FormValue("password"))
	if err != nil {
		d.Error = d.T("bad_login")
		return render(c.Status(fiber.StatusUnauthorized), "login", d)
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

// tooManyLogins is the login form's answer past its limit
// (server.PageLoginLimiter).
func tooManyLogins(c *fiber.Ctx) error {
	t := messages.Translator(c.Cookies(langCookie))
	return c.Status(fiber.StatusTooManyRequests).SendString(t("too_many"))
}
