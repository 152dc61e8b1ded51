package dashboards

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
)

// loginPage shows the sign-in form.
func (s *Server) loginPage(c *fiber.Ctx) error {
	return render(c, "login", s.newPage(c, "login"))
}

// loginSubmit checks the CSRF token and the credentials, then sets the
// session cookie and goes to the home page.
func (s *Server) loginSubmit(c *fiber.Ctx) error {
	d := s.newPage(c, "login")
	if !csrfOK(c) {
		d.Error = d.T("csrf")
		return render(c.Status(fiber.StatusForbidden), "login", d)
	}
	p, err := s.Store.Authenticate(c.UserContext(), c.FormValue("email"), c.FormValue("password"))
	if err != nil {
		d.Error = d.T("bad_login")
		return render(c.Status(fiber.StatusUnauthorized), "login", d)
	}
	token, err := s.Store.CreateToken(c.UserContext(), p.UserID, "session", c.Get(fiber.HeaderUserAgent), sessionTTL)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HTTPOnly: true,
		Secure: s.Secure, SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(sessionTTL),
	})
	return c.Redirect("/", fiber.StatusSeeOther)
}

// logoutSubmit ends the session (CSRF-checked) and returns to the login
// page.
func (s *Server) logoutSubmit(c *fiber.Ctx) error {
	if !csrfOK(c) {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	if err := s.Store.DeleteToken(c.UserContext(), c.Cookies(sessionCookie)); err != nil {
		return err
	}
	c.ClearCookie(sessionCookie)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// pageLoginLimiter allows 10 form sign-ins a minute per address and
// e-mail.
func pageLoginLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        10,
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			return c.IP() + "|" + strings.ToLower(c.FormValue("email"))
		},
		LimitReached: func(c *fiber.Ctx) error {
			t := translator(c.Cookies(langCookie))
			return c.Status(fiber.StatusTooManyRequests).SendString(t("too_many"))
		},
	})
}
