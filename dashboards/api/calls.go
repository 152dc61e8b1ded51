package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// callImporters may load call logs: they record activities for others.
var callImporters = []domain.Role{domain.RoleAdmin, domain.RoleDirector}

func (s *handlers) callRoutes() []server.Route {
	return []server.Route{
		{Method: "POST", Path: "/calls/import", Status: 200, Roles: callImporters,
			Summary: "Import a PBX call log (Asterisk Master.csv or the plain CSV; raw body or multipart field file) as call activities of the users whose extensions they are: per-row report; dry_run=true writes nothing; a file with an error row writes nothing",
			Handler: s.importCalls, Answer: intake.CallResult{},
			Query: []string{"format", "encoding", "separator", "zone", "min_digits", "dry_run", "file_name"}},
	}
}

func (s *handlers) importCalls(c *fiber.Ctx) error {
	data, name, err := importBody(c)
	if err != nil {
		return err
	}
	o := intake.CallOptions{Format: c.Query("format"), Encoding: c.Query("encoding"), Separator: c.Query("separator"),
		Zone: c.Query("zone"), FileName: name}
	if o.DryRun, err = boolParam(c, "dry_run"); err != nil {
		return err
	}
	if raw := c.Query("min_digits"); raw != "" {
		if o.MinDigits, err = strconv.Atoi(raw); err != nil || o.MinDigits < 1 {
			return apperr.Field("min_digits", "invalid_value", "must be a whole number of digits, 1 to 15")
		}
	}
	res, err := intake.ImportCalls(c.UserContext(), s.Store, server.Principal(c), data, o)
	return answerJSON(c, fiber.StatusOK, res, err)
}
