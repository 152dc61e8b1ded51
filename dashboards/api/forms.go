package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
)

// formAdmins manage web forms.
var formAdmins = []domain.Role{domain.RoleAdmin}

func (s *handlers) formRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/forms", Summary: "Web forms and their keys (admin)", Roles: formAdmins,
			Handler: s.listForms, Answer: []crmcore.FormKey{}},
		{Method: "POST", Path: "/forms", Summary: "Create a web form: mapping form field → lead field, responsible, source (admin)",
			Roles: formAdmins, Handler: s.createForm, Body: crmcore.NewFormKey{}, Answer: crmcore.FormKey{}},
		{Method: "DELETE", Path: "/forms/:key", Summary: "Disable a web form (its key then answers 404)", Roles: formAdmins,
			Handler: s.disableForm},
	}
}

func (s *handlers) listForms(c *fiber.Ctx) error {
	f, err := intake.ListFormKeys(c.UserContext(), s.Store, server.Principal(c))
	return answerJSON(c, fiber.StatusOK, f, err)
}

func (s *handlers) createForm(c *fiber.Ctx) error {
	var in crmcore.NewFormKey
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	f, err := intake.CreateFormKey(c.UserContext(), s.Store, server.Principal(c), in)
	return answerJSON(c, fiber.StatusCreated, f, err)
}

func (s *handlers) disableForm(c *fiber.Ctx) error {
	if err := intake.DisableFormKey(c.UserContext(), s.Store, server.Principal(c), c.Params("key")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// publicFormRoutes registers POST /forms/{key} (and its CORS preflight):
// public, rate limited per key and address and per key.
func (s *handlers) publicFormRoutes() {
	lim := s.Forms.WithDefaults()
	s.App().Options("/forms/:key", formCORS, func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
	s.App().Post("/forms/:key", formCORS,
		formLimiter(lim.PerAddress, func(c *fiber.Ctx) string { return c.Params("key") + "|" + c.IP() }),
		formLimiter(lim.PerKey, func(c *fiber.Ctx) string { return c.Params("key") }),
		s.submitForm)
}

// formCORS lets a page on any site post to a form.
func formCORS(c *fiber.Ctx) error {
	c.Set("Access-Control-Allow-Origin", "*")
	c.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	c.Set("Access-Control-Allow-Headers", "Content-Type")
	return c.Next()
}

func formLimiter(max int, key func(*fiber.Ctx) string) fiber.Handler {
	return limiter.New(limiter.Config{Max: max, Expiration: time.Minute, KeyGenerator: key,
		LimitReached: func(c *fiber.Ctx) error {
			return apperr.New(apperr.TooMany, "too_many_requests", "too many submissions; try again in a minute")
		}})
}

// formAnswer is all a visitor learns: accepted, with a thank-you.
type formAnswer struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

func (s *handlers) submitForm(c *fiber.Ctx) error {
	values, err := formValues(c)
	if err != nil {
		return err
	}
	if _, err := intake.SubmitForm(c.UserContext(), s.Store, c.Params("key"), values); err != nil {
		return err
	}
	thanks := i18n.T("Спасибо! Заявка принята, мы свяжемся с вами.",
		"Thank you! Your request has been received; we will be in touch.").In(formLang(c))
	return c.JSON(formAnswer{OK: true, Message: thanks})
}

// formLang is ?lang=en or Russian: a visitor has no session or cookie.
func formLang(c *fiber.Ctx) string { return i18n.Parse(c.Query("lang")) }

// Limits of one submission.
const (
	maxFormFields = 50
	maxFormValue  = crmcore.MaxText
)

// formValues reads a form-encoded, multipart or JSON (flat object of
// strings and numbers) body into field → value.
func formValues(c *fiber.Ctx) (map[string]string, error) {
	values := map[string]string{}
	ct := c.Get(fiber.HeaderContentType)
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationJSON):
		var raw map[string]any
		if err := json.Unmarshal(c.Body(), &raw); err != nil {
			return nil, apperr.New(apperr.Malformed, "malformed_json", "the body must be a JSON object of strings")
		}
		for k, v := range raw {
			switch v.(type) {
			case string, float64, bool:
				values[k] = fmt.Sprint(v)
			default:
				return nil, apperr.Field(k, "invalid_type", "must be a string")
			}
		}
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm), strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		form, err := c.MultipartForm()
		if err == nil {
			for k, v := range form.Value {
				values[k] = strings.Join(v, ", ")
			}
		} else {
			c.Request().PostArgs().VisitAll(func(k, v []byte) { values[string(k)] = string(v) })
		}
	default:
		return nil, apperr.New(apperr.Malformed, "unsupported_media_type", "send a form (urlencoded or multipart) or JSON")
	}
	return values, checkFormValues(values)
}

func checkFormValues(values map[string]string) error {
	if len(values) > maxFormFields {
		return apperr.New(apperr.Malformed, "too_many_fields", "a form has at most 50 fields")
	}
	for k, v := range values {
		if code := domain.CheckText(k, false, domain.MaxTitle); code != "" {
			return domain.TextError(k, code, domain.MaxTitle)
		}
		if err := domain.CheckTextField(k, v, false, maxFormValue); err != nil {
			return err
		}
	}
	return nil
}
