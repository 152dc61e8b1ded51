package api

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/apperr"
)

// pathRecordID reads the :id path parameter: anything but a positive
// integer names no record, so it is 404.
func pathRecordID(c *fiber.Ctx, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("%s not found", what)
	}
	return id, nil
}

// idAndBody reads the :id path parameter, then the strict JSON body.
func idAndBody(c *fiber.Ctx, what string, dst any) (int64, error) {
	id, err := pathRecordID(c, what)
	if err != nil {
		return 0, err
	}
	return id, server.DecodeJSON(c, dst)
}

// answerJSON renders v with status, or returns err to the error handler.
func answerJSON(c *fiber.Ctx, status int, v any, err error) error {
	if err != nil {
		return err
	}
	return c.Status(status).JSON(v)
}

// queryIDParam reads an optional positive integer query parameter (0 when
// absent); anything else is 422 naming it.
func queryIDParam(c *fiber.Ctx, name string) (int64, error) {
	raw := c.Query(name)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		return 0, apperr.Field(name, "invalid_value", "must be a positive integer id")
	}
	return n, nil
}

// pageParams reads limit (1–500, default 50) and offset (≥ 0, default 0).
func pageParams(c *fiber.Ctx) (limit, offset int, err error) {
	limit, offset = crmcore.ListLimitDefault, 0
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > crmcore.ListLimitMax {
			return 0, 0, apperr.Field("limit", "out_of_range", fmt.Sprintf("must be an integer from 1 to %d", crmcore.ListLimitMax))
		}
		limit = n
	}
	if raw := c.Query("offset"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return 0, 0, apperr.Field("offset", "out_of_range", "must be a non-negative integer")
		}
		offset = n
	}
	return limit, offset, nil
}
