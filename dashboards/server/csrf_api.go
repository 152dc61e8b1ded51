package server

import (
	"crypto/subtle"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/internal/apperr"
)

// CSRFHeader carries the pages' double-submit token (the CSRFCookie's
// value) on an API call authenticated by the session cookie.
const CSRFHeader = "X-CSRF-Token"

var errCrossOrigin = apperr.New(apperr.Forbidden, "cross_origin",
	"this request comes from another site; send the X-CSRF-Token header, or use a bearer token")

// apiCSRF lets a cookie-authenticated call that changes something
// through only when it shows it comes from Voronka's own pages: the
// X-CSRF-Token header equal to the CSRF cookie, or else an Origin (or,
// without one, a Referer) of this very host. A call with neither is
// refused too: browsers send Origin on every cross-site POST, and
// scripts use bearer tokens, which no other site can send.
func apiCSRF(c *fiber.Ctx) error {
	if t := c.Get(CSRFHeader); t != "" {
		cookie := c.Cookies(CSRFCookie)
		if len(cookie) == 64 && subtle.ConstantTimeCompare([]byte(cookie), []byte(t)) == 1 {
			return nil
		}
		return errCrossOrigin
	}
	if present, same := requestOrigin(c); present && same {
		return nil
	}
	return errCrossOrigin
}

// requestOrigin says whether the request names the page it comes from
// (Origin, else Referer) and whether that page is on this host (the host
// and port the request was sent to; the scheme is not compared, so a
// proxy ending TLS changes nothing). "Origin: null" is another site.
func requestOrigin(c *fiber.Ctx) (present, same bool) {
	from := c.Get(fiber.HeaderOrigin)
	if from == "" {
		from = c.Get(fiber.HeaderReferer)
	}
	if from == "" {
		return false, false
	}
	u, err := url.Parse(from)
	if err != nil || u.Host == "" {
		return true, false
	}
	return true, strings.EqualFold(u.Host, c.Hostname())
}

// safeMethod: methods that change nothing.
func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}
