package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports/schedule"
)

// calendarEditors may change the working-days calendar.
var calendarEditors = []domain.Role{domain.RoleDirector, domain.RoleAdmin}

// scheduleRoutes lists the scheduled-export endpoints, served by svc
// (nil answers 503). Who sees which schedule is decided in the service.
func scheduleRoutes(svc *schedule.Service) []server.Route {
	h := scheduleHandlers{svc: svc}
	return []server.Route{
		{Method: "GET", Path: "/schedules", Summary: "The scheduled exports the caller sees (directors and admins: all)",
			Handler: h.list, Answer: list[schedule.Schedule]{}},
		{Method: "POST", Path: "/schedules", Summary: "Schedule a report export (analyst, director, admin)", Roles: reportBuilders,
			Handler: h.create, Body: schedule.Input{}, Answer: schedule.Schedule{}},
		{Method: "GET", Path: "/schedules/:id", Summary: "One scheduled export", Handler: h.get, Answer: schedule.Schedule{}},
		{Method: "PATCH", Path: "/schedules/:id", Summary: "Change a scheduled export",
			Handler: h.update, Body: schedule.Input{}, Answer: schedule.Schedule{}},
		{Method: "DELETE", Path: "/schedules/:id", Summary: "Delete a scheduled export and its runs",
			Handler: h.delete},
		{Method: "POST", Path: "/schedules/:id/run", Summary: "Run a scheduled export now; answers the run after its first attempt",
			Status: 200, Handler: h.runNow, Answer: schedule.Run{}},
		{Method: "GET", Path: "/schedules/:id/runs", Summary: "A schedule's runs, newest first, with status, error and deliveries",
			Handler: h.runs, Answer: list[schedule.Run]{}},
		{Method: "GET", Path: "/alerts", Summary: "The alerts the caller sees (directors and admins: all)",
			Handler: h.alerts, Answer: list[schedule.Alert]{}},
		{Method: "POST", Path: "/alerts", Summary: "Set an alert on one figure of a report (analyst, director, admin)", Roles: reportBuilders,
			Handler: h.createAlert, Body: schedule.AlertInput{}, Answer: schedule.Alert{}},
		{Method: "GET", Path: "/alerts/:id", Summary: "One alert", Handler: h.alert, Answer: schedule.Alert{}},
		{Method: "PATCH", Path: "/alerts/:id", Summary: "Change an alert (a new figure or condition starts every recipient afresh)",
			Handler: h.updateAlert, Body: schedule.AlertInput{}, Answer: schedule.Alert{}},
		{Method: "DELETE", Path: "/alerts/:id", Summary: "Delete an alert and its checks", Handler: h.deleteAlert},
		{Method: "POST", Path: "/alerts/:id/check", Summary: "Check an alert now; answers the check after its first attempt",
			Status: 200, Handler: h.checkAlert, Answer: schedule.AlertRun{}},
		{Method: "GET", Path: "/alerts/:id/runs", Summary: "An alert's checks, newest first, with each recipient's figure and what they were told",
			Handler: h.alertRuns, Answer: list[schedule.AlertRun]{}},
		{Method: "GET", Path: "/holidays", Summary: "The working-days calendar of a year (?year=, default this year)",
			Handler: h.holidays, Query: []string{"year"}, Answer: list[schedule.Holiday]{}},
		{Method: "PUT", Path: "/holidays/:day", Summary: "Add or change a day of the calendar (director, admin)", Roles: calendarEditors,
			Status: 200, Handler: h.setHoliday, Body: holidayBody{}, Answer: schedule.Holiday{}},
		{Method: "DELETE", Path: "/holidays/:day", Summary: "Remove a day from the calendar (director, admin)", Roles: calendarEditors,
			Handler: h.deleteHoliday},
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

// id reads a schedule's :id parameter; anything but a positive number is
// a 404.
func (h scheduleHandlers) id(c *fiber.Ctx) (int64, error) { return h.idOf(c, "schedule") }

// alertID is id for an alert.
func (h scheduleHandlers) alertID(c *fiber.Ctx) (int64, error) { return h.idOf(c, "alert") }

func (h scheduleHandlers) idOf(c *fiber.Ctx, what string) (int64, error) {
	if err := h.ready(); err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || n <= 0 {
		return 0, apperr.NotFoundf("%s not found", what)
	}
	return n, nil
}

func (h scheduleHandlers) list(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	out, err := h.svc.List(c.UserContext(), server.Principal(c))
	return answerJSON(c, fiber.StatusOK, list[schedule.Schedule]{Items: out, Total: len(out)}, err)
}

func (h scheduleHandlers) create(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	var in schedule.Input
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Create(c.UserContext(), server.Principal(c), in)
	return answerJSON(c, fiber.StatusCreated, out, err)
}

func (h scheduleHandlers) get(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Get(c.UserContext(), server.Principal(c), id)
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) update(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	var in schedule.Input
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Update(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) delete(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.UserContext(), server.Principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h scheduleHandlers) runNow(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	out, err := h.svc.RunNow(c.UserContext(), server.Principal(c), id)
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) runs(c *fiber.Ctx) error {
	id, err := h.id(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Runs(c.UserContext(), server.Principal(c), id)
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
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetHoliday(c.UserContext(), server.Principal(c), schedule.Holiday{Day: c.Params("day"), Kind: in.Kind, Name: in.Name})
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) deleteHoliday(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	if err := h.svc.DeleteHoliday(c.UserContext(), server.Principal(c), c.Params("day")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h scheduleHandlers) alerts(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	out, err := h.svc.Alerts(c.UserContext(), server.Principal(c))
	return answerJSON(c, fiber.StatusOK, list[schedule.Alert]{Items: out, Total: len(out)}, err)
}

func (h scheduleHandlers) createAlert(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	var in schedule.AlertInput
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateAlert(c.UserContext(), server.Principal(c), in)
	return answerJSON(c, fiber.StatusCreated, out, err)
}

func (h scheduleHandlers) alert(c *fiber.Ctx) error {
	id, err := h.alertID(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Alert(c.UserContext(), server.Principal(c), id)
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) updateAlert(c *fiber.Ctx) error {
	id, err := h.alertID(c)
	if err != nil {
		return err
	}
	var in schedule.AlertInput
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	out, err := h.svc.UpdateAlert(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) deleteAlert(c *fiber.Ctx) error {
	id, err := h.alertID(c)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteAlert(c.UserContext(), server.Principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h scheduleHandlers) checkAlert(c *fiber.Ctx) error {
	id, err := h.alertID(c)
	if err != nil {
		return err
	}
	out, err := h.svc.CheckAlert(c.UserContext(), server.Principal(c), id)
	return answerJSON(c, fiber.StatusOK, out, err)
}

func (h scheduleHandlers) alertRuns(c *fiber.Ctx) error {
	id, err := h.alertID(c)
	if err != nil {
		return err
	}
	out, err := h.svc.AlertRuns(c.UserContext(), server.Principal(c), id)
	return answerJSON(c, fiber.StatusOK, list[schedule.AlertRun]{Items: out, Total: len(out)}, err)
}
