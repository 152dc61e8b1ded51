package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/voronka/voronka/internal/apperr"
)

// The two sign-in limiters, side by side: the API's reads the e-mail from
// the JSON body and answers the JSON error; the login form's reads it
// from the form and lets the pages answer (in the reader's language).

// loginLimiter allows 10 attempts a minute per address and e-mail.
func loginLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        10,
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			var in loginRequest
			_ = DecodeJSON(c, &in)
			return c.IP() + "|" + strings.ToLower(in.Email)
		},
		LimitReached: func(c *fiber.Ctx) error {
			return apperr.New(apperr.TooMany, "too_many_attempts", "too many sign-in attempts; wait a minute")
		},
	})
}

// PageLoginLimiter allows 10 form sign-ins a minute per address and
// e-mail; past that, limitReached answers.
func PageLoginLimiter(limitReached fiber.Handler) fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        10,
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			return c.IP() + "|" + strings.ToLower(c.FormValue("email"))
		},
		LimitReached: limitReached,
	})
}
