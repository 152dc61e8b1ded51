package server

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// SignIn checks an e-mail and password under the sign-in limits — the
// one way in for the API's sign-in and the login form's, so both share
// one count per account (the e-mail as Authenticate reads it) and per
// client address (c.IP()). A locked account or a limited address is
// refused before its password is checked (429 with Retry-After); every
// refusal is logged and counted (voronka_login_refused_total).
func (s *Server) SignIn(c *fiber.Ctx, email, password string) (domain.Principal, error) {
	// Copies: Fiber's strings point into the request's buffer, and these
	// outlive it as the limits' keys.
	account, addr := strings.Clone(NormalizeAccount(email)), strings.Clone(c.IP())
	if reason, wait := s.logins.refusal(account, addr); reason != "" {
		s.refuseLogin(reason, account, addr)
		return domain.Principal{}, tooManyLogins(c, reason, wait)
	}
	p, err := s.Store.Authenticate(c.UserContext(), account, password)
	if e := apperr.As(err); e != nil && e.Code == "invalid_credentials" {
		s.logins.failed(account, addr)
		s.refuseLogin("invalid_credentials", account, addr)
		return p, err
	}
	if err != nil {
		return p, err
	}
	s.logins.clear(account)
	return p, nil
}

// refuseLogin logs and counts one refused sign-in.
func (s *Server) refuseLogin(reason, account, addr string) {
	s.loginRefused.WithLabelValues(reason).Inc()
	s.Log.Warn("sign-in refused", "reason", reason, "account", account, "address", addr)
}

// tooManyLogins is the 429 of a locked account or a limited address,
// with Retry-After in whole seconds.
func tooManyLogins(c *fiber.Ctx, reason string, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	details := map[string]any{"retry_after_seconds": secs}
	if reason == "account_locked" {
		return &apperr.Error{Kind: apperr.TooMany, Code: "account_locked", Details: details,
			Message: fmt.Sprintf("too many failed sign-ins for this account; try again in %d s or ask an admin to unlock it", secs)}
	}
	return &apperr.Error{Kind: apperr.TooMany, Code: "too_many_attempts", Details: details,
		Message: fmt.Sprintf("too many failed sign-ins from your address; try again in %d s", secs)}
}

// newLoginMetrics is the refused sign-ins counter, registered on reg
// when there is one.
func newLoginMetrics(reg prometheus.Registerer) *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "voronka_login_refused_total",
		Help: "Sign-ins refused, by reason: invalid_credentials, account_locked, address_limited.",
	}, []string{"reason"})
	for _, r := range []string{"invalid_credentials", "account_locked", "address_limited"} {
		v.WithLabelValues(r) // shown as 0 before the first refusal
	}
	if reg != nil {
		reg.MustRegister(v)
	}
	return v
}

// lockoutRoutes let an admin see and lift account lockouts.
func (s *Server) lockoutRoutes() []Route {
	admin := []domain.Role{domain.RoleAdmin}
	return []Route{
		{Method: "GET", Path: "/auth/lockouts", Summary: "Accounts locked after failed sign-ins (admin)",
			Roles: admin, Handler: s.listLockouts, Answer: lockoutList{}},
		{Method: "DELETE", Path: "/auth/lockouts/:email", Summary: "Lift an account's lockout and forget its failures (admin)",
			Roles: admin, Handler: s.liftLockout},
	}
}

type lockoutList struct {
	Items []Lockout `json:"items"`
	Total int       `json:"total"`
}

func (s *Server) listLockouts(c *fiber.Ctx) error {
	ls := s.logins.lockouts()
	return c.JSON(lockoutList{Items: ls, Total: len(ls)})
}

// liftLockout answers 204 when the account had failures or a lock, 404
// when there was nothing to lift.
func (s *Server) liftLockout(c *fiber.Ctx) error {
	email, err := url.PathUnescape(c.Params("email"))
	if err != nil {
		return apperr.Field("email", "invalid_value", "not a valid e-mail in the path")
	}
	account := NormalizeAccount(email)
	if !s.logins.clear(account) {
		return apperr.New(apperr.NotFound, "not_found", "this account has no failed sign-ins")
	}
	s.Log.Info("sign-in lockout lifted", "account", account, "by", Principal(c).Email)
	return c.SendStatus(fiber.StatusNoContent)
}
