package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/reports/engine"
)

// freshWhenAsked honours `Cache-Control: no-cache` on an API request:
// its reports are computed anew rather than answered from the report
// cache (the new answer is kept for the next caller).
func freshWhenAsked(c *fiber.Ctx) error {
	if strings.Contains(strings.ToLower(c.Get(fiber.HeaderCacheControl)), "no-cache") {
		c.SetUserContext(engine.WithoutCache(c.UserContext()))
	}
	return c.Next()
}
