package dashboards

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports/schedule"
)

// calendarEditors may change the working-days calendar.
var calendarEditors = []domain.Role{domain.RoleDirector, domain.RoleAdmin}

// scheduleRoutes lists the scheduled-export endpoints, served by svc
// (nil answers 503). Who sees which schedule is decided in the service.
func scheduleRoutes(svc *schedule.Service) []route {
	h := scheduleHandlers{svc: svc}
	return []route{
		{method: "GET", path: "/schedules", summary: "The scheduled exports the caller sees (directors and admins: all)",
			handler: h.list, answer: list[schedule.Schedule]{}},
		{method: "POST", path: "/schedules", summary: "Schedule a report export (analyst, director, admin)", roles: reportBuilders,
			handler: h.create, body: schedule.Input{}, answer: schedule.Schedule{}},
		{method: "GET", path: "/schedules/:id", summary: "One scheduled export", handler: h.get, answer: schedule.Schedule{}},
		{method: "PATCH", path: "/schedules/:id", summary: "Change a scheduled export",
			handler: h.update, body: schedule.Input{}, answer: schedule.Schedule{}},
		{method: "DELETE", path: "/schedules/:id", summary: "Delete a scheduled export and its runs",
			handler: h.delete},
		{method: "POST", path: "/schedules/:id/run", summary: "Run a scheduled export now; answers the run after its first attempt",
			status: 200, handler: h.runNow, answer: schedule.Run{}},
		{method: "GET", path: "/schedules/:id/runs", summary: "A schedule's runs, newest first, with status, error and deliveries",
			handler: h.runs, answer: list[schedule.Run]{}},
		{method: "GET", path: "/holidays", summary: "The working-days calendar of a year (?year=, default this year)",
			handler: h.holidays, query: []string{"year"}, answer: list[schedule.Holiday]{}},
		{method: "PUT", path: "/holidays/:day", summary: "Add or change a day of the calendar (director, admin)", roles: calendarEditors,
			status: 200, handler: h.setHoliday, body: holidayBody{}, answer: schedule.Holiday{}},
		{method: "DELETE", path: "/holidays/:day", summary: "Remove a day from the calendar (director, admin)", roles: calendarEditors,
			handler: h.deleteHoliday},
	}
}

// holidayBody is the body of PUT /holidays/{day}.
type holidayBody struct {
	Kind string `json:"kind"` // holiday or workday
	Name string `json:"name"`
}

// scheduleHandlers are thin: decode, call the service, render.
type scheduleHandlers struct{ svc *schedule.Service }

func (h scheduleHandlers) ready() error {
	if h.svc == nil {
		return apperr.New(apperr.Unavailable, "schedules_unavailable", "scheduled exports are not configured")
	}
	return nil
}

// id reads the :id parameter; anything but a positive number is a 404.
func (h scheduleHandlers) id(c *fiber.Ctx) (int64, error) {
	if err := h.ready(); err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || n <= 0 {
		return 0, apperr.NotFoundf("schedule not found")
	}
	return n, nil
}

func (h scheduleHandlers) list(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	out, err := h.svc.List(c.UserContext(), principal(c))
	return answerJSON(c, fiber.StatusOK, list[schedule.Schedule]{Items: out, Total: len(out)}, err)
}

func (h scheduleHandlers) create(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	var in schedule.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Create(c.UserContext(), principal(c), in)
	return answerJSON(c, fiber.StatusCreated, out, err)
}

func (h scheduleHandlers) get(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Get(c.UserContext(), principal(c), id)
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) update(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	var in schedule.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Update(c.UserContext(), principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) delete(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h scheduleHandlers) runNow(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	out, err := h.svc.RunNow(c.UserContext(), principal(c), id)
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) runs(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Runs(c.UserContext(), principal(c), id)
	return answerJSON(c, fiber.StatusOK, list[schedule.Run]{Items: out, Total: len(out)}, err)
}

func (h scheduleHandlers) holidays(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	year := time.Now().Year()
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return apperr.Field("year", "invalid_year", "want a year such as 2026")
		}
		year = n
	}
	out, err := h.svc.Holidays(c.UserContext(), year)
	return answerJSON(c, fiber.StatusOK, list[schedule.Holiday]{Items: out, Total: len(out)}, err)
}

func (h scheduleHandlers) setHoliday(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	var in holidayBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetHoliday(c.UserContext(), principal(c), schedule.Holiday{Day: c.Params("day"), Kind: in.Kind, Name: in.Name})
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) deleteHoliday(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	if err := h.svc.DeleteHoliday(c.UserContext(), principal(c), c.Params("day")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
