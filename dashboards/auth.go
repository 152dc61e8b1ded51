package dashboards

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

const (
	sessionCookie = "voronka_session"
	sessionTTL    = 7 * 24 * time.Hour
	principalKey  = "principal"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token string       `json:"token"`
	User  crmcore.User `json:"user"`
}

// login checks credentials, sets the session cookie and returns the token
// (usable as a bearer token by scripts).
func (s *Server) login(c *fiber.Ctx) error {
	var in loginRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := s.Store.Authenticate(c.UserContext(), in.Email, in.Password)
	if err != nil {
		return err
	}
	token, err := s.Store.CreateToken(c.UserContext(), p.UserID, "session", c.Get(fiber.HeaderUserAgent), sessionTTL)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HTTPOnly: true,
		Secure: s.Secure, SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(sessionTTL),
	})
	return c.JSON(loginResponse{Token: token, User: principalUser(p)})
}

// logout ends the session (cookie or bearer).
func (s *Server) logout(c *fiber.Ctx) error {
	if t := requestToken(c); t != "" {
		if err := s.Store.DeleteToken(c.UserContext(), t); err != nil {
			return err
		}
	}
	c.ClearCookie(sessionCookie)
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) me(c *fiber.Ctx) error { return c.JSON(principalUser(principal(c))) }

func principalUser(p domain.Principal) crmcore.User {
	return crmcore.User{ID: p.UserID, Email: p.Email, Name: p.Name, Role: p.Role, Active: true}
}

// requireAuth resolves the bearer token or session cookie to a principal.
func (s *Server) requireAuth(c *fiber.Ctx) error {
	token := requestToken(c)
	if token == "" {
		return apperr.New(apperr.Unauthorized, "unauthenticated", "sign in first: POST /api/v1/auth/login")
	}
	p, err := s.Store.PrincipalByToken(c.UserContext(), token)
	if err != nil {
		return err
	}
	c.Locals(principalKey, p)
	return c.Next()
}

func requestToken(c *fiber.Ctx) string {
	if h := c.Get(fiber.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	return c.Cookies(sessionCookie)
}

// principal is the authenticated caller (set by requireAuth).
func principal(c *fiber.Ctx) domain.Principal {
	p, _ := c.Locals(principalKey).(domain.Principal)
	return p
}

// loginLimiter allows 10 attempts a minute per address and e-mail.
func loginLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        10,
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			var in loginRequest
			_ = decodeJSON(c, &in)
			return c.IP() + "|" + strings.ToLower(in.Email)
		},
		LimitReached: func(c *fiber.Ctx) error {
			return apperr.New(apperr.TooMany, "too_many_attempts", "too many sign-in attempts; wait a minute")
		},
	})
}

// requireRole lets only the given roles through.
func requireRole(roles ...domain.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principal(c)
		for _, r := range roles {
			if p.Role == r {
				return c.Next()
			}
		}
		return apperr.New(apperr.Forbidden, "forbidden", "your role may not do this")
	}
}
