package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// SessionCookie holds a browser's session token (the bearer token of
// scripts, by another name).
const SessionCookie = "voronka_session"

const (
	sessionTTL   = 7 * 24 * time.Hour
	principalKey = "principal"
)

// authRoutes are the sign-in routes of the API table (MountAPI serves
// them first).
func (s *Server) authRoutes() []Route {
	return append([]Route{
		{Method: "POST", Path: "/auth/login", Summary: "Sign in: returns a bearer token and sets the session cookie",
			Public: true, Status: 200, Handler: s.login, Body: loginRequest{}, Answer: loginResponse{}},
		{Method: "POST", Path: "/auth/logout", Summary: "End the session", Handler: s.logout},
		{Method: "GET", Path: "/me", Summary: "The signed-in user", Handler: s.me, Answer: crmcore.User{}},
	}, s.lockoutRoutes()...)
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token string       `json:"token"`
	User  crmcore.User `json:"user"`
}

// login checks credentials (SignIn: the sign-in limits), sets the session
// cookie and returns the token (usable as a bearer token by scripts). A
// sign-in sent from another site's page (its Origin) is refused, so no
// page elsewhere can sign a browser in to an account of its choosing.
func (s *Server) login(c *fiber.Ctx) error {
	if origin, same := requestOrigin(c); origin && !same {
		return errCrossOrigin
	}
	var in loginRequest
	if err := DecodeJSON(c, &in); err != nil {
		return err
	}
	p, err := s.SignIn(c, in.Email, in.Password)
	if err != nil {
		return err
	}
	token, err := s.StartSession(c, p)
	if err != nil {
		return err
	}
	u, err := s.Store.User(c.UserContext(), p.UserID)
	if err != nil {
		return err
	}
	return c.JSON(loginResponse{Token: token, User: u})
}

// StartSession creates a session token for the signed-in p and sets the
// session cookie: the one place its flags live, for the API's sign-in
// and the login form's. HttpOnly (no script reads it), Secure behind TLS
// (VORONKA_SECURE_COOKIES), SameSite=Lax (a link from a mail or another
// site opens a page signed in; a cross-site form post carries no
// session), expiring with the token.
func (s *Server) StartSession(c *fiber.Ctx, p domain.Principal) (string, error) {
	token, err := s.Store.CreateToken(c.UserContext(), p.UserID, "session", c.Get(fiber.HeaderUserAgent), sessionTTL)
	if err != nil {
		return "", err
	}
	c.Cookie(&fiber.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HTTPOnly: true,
		Secure: s.Secure, SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(sessionTTL),
	})
	return token, nil
}

// logout ends the session (cookie or bearer).
func (s *Server) logout(c *fiber.Ctx) error {
	if t, _ := requestToken(c); t != "" {
		if err := s.Store.DeleteToken(c.UserContext(), t); err != nil {
			return err
		}
	}
	c.ClearCookie(SessionCookie)
	return c.SendStatus(fiber.StatusNoContent)
}

// me is the signed-in user as stored (with its creation time).
func (s *Server) me(c *fiber.Ctx) error {
	u, err := s.Store.User(c.UserContext(), Principal(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// requireAuth resolves the bearer token or session cookie to a principal.
// A call that changes something on the strength of the cookie alone
// must also prove it comes from Voronka's own pages (apiCSRF).
func (s *Server) requireAuth(c *fiber.Ctx) error {
	token, cookie := requestToken(c)
	if token == "" {
		return apperr.New(apperr.Unauthorized, "unauthenticated", "sign in first: POST /api/v1/auth/login")
	}
	p, err := s.Store.PrincipalByToken(c.UserContext(), token)
	if err != nil {
		return err
	}
	if cookie && !safeMethod(c.Method()) {
		if err := apiCSRF(c); err != nil {
			return err
		}
	}
	return s.nextAsSignedIn(c, p)
}

// RequirePage resolves the session cookie of a page request; without a
// valid one the browser goes to the login page.
func (s *Server) RequirePage(c *fiber.Ctx) error {
	token := c.Cookies(SessionCookie)
	if token == "" {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	p, err := s.Store.PrincipalByToken(c.UserContext(), token)
	if err != nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return s.nextAsSignedIn(c, p)
}

// requestToken is the bearer token, else the session cookie (cookie true).
func requestToken(c *fiber.Ctx) (token string, cookie bool) {
	if h := c.Get(fiber.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), false
	}
	t := c.Cookies(SessionCookie)
	return t, t != ""
}

// Principal is the authenticated caller (set by requireAuth or
// RequirePage).
func Principal(c *fiber.Ctx) domain.Principal {
	p, _ := c.Locals(principalKey).(domain.Principal)
	return p
}

// requireRole lets only the given roles through.
func requireRole(roles ...domain.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := Principal(c)
		for _, r := range roles {
			if p.Role == r {
				return c.Next()
			}
		}
		return apperr.New(apperr.Forbidden, "forbidden", "your role may not do this")
	}
}
