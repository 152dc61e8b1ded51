package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"

	"github.com/gofiber/fiber/v2"
)

// CSRFCookie holds the double-submit token of the pages' forms.
const CSRFCookie = "voronka_csrf"

// CSRFToken returns the double-submit token, setting its cookie first.
func (s *Server) CSRFToken(c *fiber.Ctx) string {
	if t := c.Cookies(CSRFCookie); len(t) == 64 {
		return t
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	t := hex.EncodeToString(b)
	c.Cookie(&fiber.Cookie{Name: CSRFCookie, Value: t, Path: "/", HTTPOnly: true, Secure: s.Secure,
		SameSite: fiber.CookieSameSiteStrictMode})
	return t
}

// CSRFOK checks a form's token against its cookie.
func CSRFOK(c *fiber.Ctx) bool {
	cookie, form := c.Cookies(CSRFCookie), c.FormValue("csrf")
	return len(cookie) == 64 && subtle.ConstantTimeCompare([]byte(cookie), []byte(form)) == 1
}
