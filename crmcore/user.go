package crmcore

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// User is a person who signs in. The password hash never leaves the store.
type User struct {
	ID        int64       `json:"id"`
	Email     string      `json:"email"`
	Name      string      `json:"name"`
	Role      domain.Role `json:"role"`
	Active    bool        `json:"active"`
	CreatedAt time.Time   `json:"created_at"`
}

// NewUser is the input of CreateUser.
type NewUser struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// Validate checks the fields of a new user.
func (in NewUser) Validate() error {
	var v check
	v.text("email", in.Email, true, 254)
	v.email("email", &in.Email)
	v.text("name", in.Name, true, domain.MaxTitle)
	if _, err := domain.ParseRole(in.Role); err != nil {
		v.fail("role", "invalid_value", "%v", err)
	}
	if len(in.Password) < 4 || len(in.Password) > 72 {
		v.fail("password", "invalid_length", "must be 4 to 72 bytes")
	}
	return v.Err
}

// CreateUser adds a user with a bcrypt-hashed password.
func (s *Store) CreateUser(ctx context.Context, in NewUser) (User, error) {
	if err := in.Validate(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	const q = `
INSERT INTO users (email, name, role, password_hash)
VALUES ($1, $2, $3, $4)
RETURNING id, email, name, role, active, created_at`
	var u User
	err = write(ctx, func() error {
		return s.db.QueryRow(ctx, q, strings.TrimSpace(in.Email), in.Name, in.Role, hash).
			Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.CreatedAt)
	})
	return u, pgerr.Translate(err, "user")
}

// ListUsers returns every user ordered by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	const q = `SELECT id, email, name, role, active, created_at FROM users ORDER BY name, id`
	rows, err := s.db.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) {
		var u User
		err := r.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.CreatedAt)
		return u, err
	})
}

// User is one active user by id (GET /me); 404 when there is none.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	const q = `SELECT id, email, name, role, active, created_at FROM users WHERE id = $1 AND active`
	var u User
	err := s.db.QueryRow(ctx, q, id).Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.CreatedAt)
	return u, pgerr.Translate(err, "user")
}

var errBadLogin = &apperr.Error{Kind: apperr.Unauthorized, Code: "invalid_credentials", Message: "wrong e-mail or password"}

// Authenticate checks an e-mail and password and returns the principal.
func (s *Store) Authenticate(ctx context.Context, email, password string) (domain.Principal, error) {
	if err := domain.CheckTextField("email", email, false, maxEmail); err != nil {
		return domain.Principal{}, err // NUL or bad UTF-8 cannot name a user: 422, not a failed query
	}
	const q = `
SELECT id, name, email, role, password_hash
FROM users
WHERE lower(email) = lower($1) AND active`
	var p domain.Principal
	var hash string
	err := s.db.QueryRow(ctx, q, strings.TrimSpace(email)).Scan(&p.UserID, &p.Name, &p.Email, &p.Role, &hash)
	if err == pgx.ErrNoRows {
		CheckPassword(dummyHash, password) // same work as a real check: no user enumeration by timing
		return domain.Principal{}, errBadLogin
	}
	if err != nil {
		return domain.Principal{}, pgerr.Translate(err, "user")
	}
	if !CheckPassword(hash, password) {
		return domain.Principal{}, errBadLogin
	}
	return p, nil
}

// dummyHash is a bcrypt hash of a random string at PasswordCost.
var dummyHash, _ = HashPassword("voronka-no-such-user")

// CreateToken issues a session or API token for a user; ttl 0 = no expiry.
func (s *Store) CreateToken(ctx context.Context, userID int64, kind, name string, ttl time.Duration) (string, error) {
	token, hash := NewToken()
	var expires *time.Time
	if ttl > 0 {
		t := s.Now().Add(ttl)
		expires = &t
	}
	const q = `INSERT INTO auth_tokens (token_hash, user_id, kind, name, expires_at) VALUES ($1, $2, $3, $4, $5)`
	err := write(ctx, func() error {
		_, err := s.db.Exec(ctx, q, hash, userID, kind, name, expires)
		return err
	})
	return token, pgerr.Translate(err, "token")
}

// PrincipalByToken resolves a session or API token.
func (s *Store) PrincipalByToken(ctx context.Context, token string) (domain.Principal, error) {
	const q = `
SELECT u.id, u.name, u.email, u.role
FROM auth_tokens t
JOIN users u ON u.id = t.user_id
WHERE t.token_hash = $1
  AND u.active
  AND (t.expires_at IS NULL OR t.expires_at > $2)`
	var p domain.Principal
	err := s.db.QueryRow(ctx, q, TokenHash(token), s.Now()).Scan(&p.UserID, &p.Name, &p.Email, &p.Role)
	if err == pgx.ErrNoRows {
		return domain.Principal{}, &apperr.Error{Kind: apperr.Unauthorized, Code: "unauthenticated", Message: "sign in first"}
	}
	return p, pgerr.Translate(err, "session")
}

// DeleteToken ends a session.
func (s *Store) DeleteToken(ctx context.Context, token string) error {
	return write(ctx, func() error {
		_, err := s.db.Exec(ctx, `DELETE FROM auth_tokens WHERE token_hash = $1`, TokenHash(token))
		return err
	})
}

// PrincipalByEmail is an active user as a principal (`voronka export
// --as`); 404 when there is none.
func (s *Store) PrincipalByEmail(ctx context.Context, email string) (domain.Principal, error) {
	const q = `SELECT id, name, email, role FROM users WHERE lower(email) = lower($1) AND active`
	var p domain.Principal
	err := s.db.QueryRow(ctx, q, email).Scan(&p.UserID, &p.Name, &p.Email, &p.Role)
	if err == pgx.ErrNoRows {
		return domain.Principal{}, apperr.NotFoundf("no active user %s", email)
	}
	return p, err
}
