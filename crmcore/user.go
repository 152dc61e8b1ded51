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
	// Extension is the user's internal number or SIP login on the PBX
	// (101, ivanov), unique among users; nil when not set. Call logs
	// are imported to the user it names.
	Extension *string `json:"extension"`
}

// NewUser is the input of CreateUser.
type NewUser struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
	// Extension is the PBX extension or SIP login; "" for none.
	Extension string `json:"extension,omitempty"`
}

// UserPatch is the input of UpdateUser (admin): nil leaves a field as it
// is; an Extension of "" removes it.
type UserPatch struct {
	Extension *string `json:"extension,omitempty"`
}

// MaxExtension is the longest extension or SIP login.
const MaxExtension = 32

// extension accepts an extension or SIP login: Latin letters,
// digits and . _ - @, at most MaxExtension; "" is none.
func (v *check) extension(field, s string) {
	v.text(field, s, false, MaxExtension)
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)) {
			v.fail(field, "invalid_value", "an extension is Latin letters, digits and . _ - @ (101, ivanov)")
			return
		}
	}
}

// extensionValue is the column's value: NULL for none.
func extensionValue(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
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
	v.extension("extension", strings.TrimSpace(in.Extension))
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
INSERT INTO users (email, name, role, password_hash, extension)
VALUES ($1, $2, $3, $4, $5)
RETURNING ` + userCols
	var u User
	err = write(ctx, func() error {
		u, err = scanUser(s.db.QueryRow(ctx, q, strings.TrimSpace(in.Email), in.Name, in.Role, hash, extensionValue(in.Extension)))
		return err
	})
	return u, pgerr.Translate(err, "user")
}

// UpdateUser changes a user's extension (admins only); 409 on
// extension when another user has it.
func (s *Store) UpdateUser(ctx context.Context, p domain.Principal, id int64, in UserPatch) (User, error) {
	if p.Role != domain.RoleAdmin {
		return User{}, apperr.New(apperr.Forbidden, "forbidden", "only an admin changes users")
	}
	set := map[string]any{}
	if in.Extension != nil {
		var v check
		if v.extension("extension", strings.TrimSpace(*in.Extension)); v.Err != nil {
			return User{}, v.Err
		}
		set["extension"] = extensionValue(*in.Extension)
	}
	return updateRow(ctx, s, "users", "user", id, set, userCols, scanUser)
}

const userCols = `id, email, name, role, active, created_at, extension`

func scanUser(r pgx.Row) (User, error) {
	var u User
	err := r.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.CreatedAt, &u.Extension)
	return u, err
}

// ListUsers returns every user ordered by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	const q = `SELECT ` + userCols + ` FROM users ORDER BY name, id`
	rows, err := s.db.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) { return scanUser(r) })
}

// User is one active user by id (GET /me); 404 when there is none.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	const q = `SELECT ` + userCols + ` FROM users WHERE id = $1 AND active`
	u, err := scanUser(s.db.QueryRow(ctx, q, id))
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
