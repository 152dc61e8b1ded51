package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// RetryAfterSeconds is the Retry-After of every 503: a store restarting
// or busy is usually back within a few seconds.
const RetryAfterSeconds = 5

// outage is a foreign error no store translated that still says a store
// is down or busy (pgerr.Outage): a 503, not a 500.
func outage(err error) *apperr.Error {
	if e := pgerr.Outage(err); e != nil {
		return apperr.As(e)
	}
	return nil
}

// retryAfter tells the client of a 503 when to try again.
func retryAfter(c *fiber.Ctx, status int) {
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(RetryAfterSeconds))
	}
}
