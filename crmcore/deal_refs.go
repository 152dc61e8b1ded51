package crmcore

import (
	"context"
	"fmt"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// dealRefs checks references of deals and leads explicitly, inside the
// writing transaction, so a bad id or code answers 422 naming the input
// field instead of surfacing as a foreign-key violation. The first
// failure sticks in err; callers chain the checks and read err once.
type dealRefs struct {
	ctx context.Context
	q   Querier
	err error
}

// Refs checks the references of a subpackage's input (intake's import
// options and web forms) as the core checks its own: explicitly, on q —
// the writing transaction or the pool — so a bad id or code answers 422
// naming the input field. The first failure sticks; chain the checks and
// read Err once.
type Refs struct{ r dealRefs }

// NewRefs starts the checks of one input on q.
func NewRefs(ctx context.Context, q Querier) *Refs { return &Refs{dealRefs{ctx: ctx, q: q}} }

// User requires an active user with this id.
func (r *Refs) User(field string, id int64) { r.r.user(field, id) }

// Source requires a known source code, when one is given.
func (r *Refs) Source(field string, code *string) { r.r.source(field, code) }

// Err is the first failure, or nil.
func (r *Refs) Err() error { return r.r.err }

func (r *dealRefs) exists(field, code, msg, query string, arg any) {
	if r.err != nil {
		return
	}
	var ok bool
	if err := r.q.QueryRow(r.ctx, query, arg).Scan(&ok); err != nil {
		r.err = fmt.Errorf("check %s: %w", field, err)
		return
	}
	if !ok {
		r.err = apperr.Field(field, code, msg)
	}
}

// user requires an active user with this id.
func (r *dealRefs) user(field string, id int64) {
	const q = `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND active)`
	r.exists(field, "unknown_user", fmt.Sprintf("no active user with id %d", id), q, id)
}

// currency requires a known currency code.
func (r *dealRefs) currency(field, code string) {
	const q = `SELECT EXISTS (SELECT 1 FROM currencies WHERE code = $1)`
	r.exists(field, "unknown_currency", fmt.Sprintf("unknown currency %q", code), q, code)
}

// source requires a known source code, when one is given.
func (r *dealRefs) source(field string, code *string) {
	if code == nil {
		return
	}
	const q = `SELECT EXISTS (SELECT 1 FROM sources WHERE code = $1)`
	r.exists(field, "unknown_source", fmt.Sprintf("unknown source %q", *code), q, *code)
}

// company requires an existing company, when an id is given.
func (r *dealRefs) company(field string, id *int64) {
	if id == nil {
		return
	}
	const q = `SELECT EXISTS (SELECT 1 FROM companies WHERE id = $1)`
	r.exists(field, "unknown_company", fmt.Sprintf("no company with id %d", *id), q, *id)
}

// contact requires an existing contact, when an id is given.
func (r *dealRefs) contact(field string, id *int64) {
	if id == nil {
		return
	}
	const q = `SELECT EXISTS (SELECT 1 FROM contacts WHERE id = $1)`
	r.exists(field, "unknown_contact", fmt.Sprintf("no contact with id %d", *id), q, *id)
}

// Actor is the user id recorded as created_by / changed_by / run_by:
// NULL (nil) for the System principal, which is no user.
func Actor(p domain.Principal) *int64 {
	if p.UserID == 0 {
		return nil
	}
	id := p.UserID
	return &id
}

// changeTime is when a change happens: the admin's backfill time, or now.
func (s *Store) changeTime(at *time.Time) time.Time {
	if at != nil {
		return *at
	}
	return s.Now()
}
