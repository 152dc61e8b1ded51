package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// confirmParam, when "true", creates a record even though it matches
// existing ones (otherwise 409 possible_duplicate with the candidates).
const confirmParam = "confirm_duplicate"

// duplicateRoutes: the duplicates report, merges and their history.
func (s *handlers) duplicateRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/duplicates", Summary: "Groups of leads, contacts or companies sharing a phone, e-mail, name or company name (entity: lead, contact, company)",
			Handler: s.duplicateGroups, Answer: []crmcore.DupGroup{}, Query: []string{"entity"}},
		{Method: "POST", Path: "/duplicates/merge", Status: 200,
			Summary: "Merge merge_id into keep_id (entity: lead, contact, company — director/admin, or responsible of both; deal — as POST /deals/merge): what references it moves, the merge is recorded",
			Handler: s.mergeRecords, Body: crmcore.MergeRequest{}, Answer: crmcore.Merge{}},
		{Method: "GET", Path: "/merges", Summary: "Merge history of one record (entity, id), each with the merged row and, for a deal, the stage and forecast changes deleted with it",
			Handler: s.mergeHistory, Answer: []crmcore.Merge{}, Query: []string{"entity", "id"}},
	}
}

func (s *handlers) duplicateGroups(c *fiber.Ctx) error {
	g, err := s.Store.DuplicateGroups(c.UserContext(), server.Principal(c), c.Query("entity", crmcore.EntityLead))
	return answerJSON(c, fiber.StatusOK, g, err)
}

func (s *handlers) mergeRecords(c *fiber.Ctx) error {
	var in crmcore.MergeRequest
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	m, err := s.Store.MergeRecords(c.UserContext(), server.Principal(c), in)
	return answerJSON(c, fiber.StatusOK, m, err)
}

func (s *handlers) mergeHistory(c *fiber.Ctx) error {
	id, err := queryIDParam(c, "id")
	if err != nil {
		return err
	}
	if id == 0 {
		return apperr.Field("id", "required", "must be a positive integer id")
	}
	h, err := s.Store.MergeHistory(c.UserContext(), server.Principal(c), c.Query("entity"), id)
	return answerJSON(c, fiber.StatusOK, h, err)
}

// confirmed reads ?confirm_duplicate: absent or false → check first.
func confirmed(c *fiber.Ctx) (bool, error) { return boolParam(c, confirmParam) }

// createDedup is createVia with duplicate control: unless the caller
// confirms, a body matching existing records answers 409
// possible_duplicate and creates nothing.
func createDedup[In, Out any](check func(context.Context, domain.Principal, In) error,
	create func(context.Context, domain.Principal, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in In
		if err := server.DecodeJSON(c, &in); err != nil {
			return err
		}
		ok, err := confirmed(c)
		if err != nil {
			return err
		}
		if !ok {
			if err := check(c.UserContext(), server.Principal(c), in); err != nil {
				return err
			}
		}
		out, err := create(c.UserContext(), server.Principal(c), in)
		return answerJSON(c, fiber.StatusCreated, out, err)
	}
}
