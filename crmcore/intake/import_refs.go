package intake

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/apperr"
)

// importRefs resolves and checks the references of import rows once per
// distinct value (responsible users, sources), inside the import's
// transaction.
type importRefs struct {
	q       crmcore.Querier
	users   map[string]respRef
	sources map[string]bool
}

// respRef is a resolved responsible: the user id, or the row's error.
type respRef struct {
	id  int64
	err *apperr.Error
}

func newImportRefs(q crmcore.Querier) *importRefs {
	return &importRefs{q: q, users: map[string]respRef{}, sources: map[string]bool{}}
}

// defaults checks the import's default responsible and source: a bad one
// fails the whole import with 422 naming the option.
func (r *importRefs) defaults(ctx context.Context, o ImportOptions) error {
	refs := crmcore.NewRefs(ctx, r.q)
	refs.User("responsible_id", o.ResponsibleID)
	if o.Kind == ImportLeads {
		refs.Source("source", &o.Source)
	}
	return refs.Err()
}

// responsible resolves a row's "responsible" (a user's e-mail or id);
// blank means the import's default.
func (r *importRefs) responsible(ctx context.Context, v string, def int64) (respRef, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return respRef{id: def}, nil
	}
	if got, ok := r.users[v]; ok {
		return got, nil
	}
	const q = `SELECT coalesce((SELECT id FROM users WHERE active AND (lower(email) = lower($1) OR id::text = $1)), 0)`
	var id int64
	if err := r.q.QueryRow(ctx, q, v).Scan(&id); err != nil {
		return respRef{}, fmt.Errorf("look up responsible: %w", err)
	}
	ref := respRef{id: id}
	if id == 0 {
		ref = respRef{id: def, err: apperr.Field("responsible", "unknown_user", "no active user "+strconv.Quote(v))}
	}
	r.users[v] = ref
	return ref, nil
}

// source checks a lead row's source code.
func (r *importRefs) source(ctx context.Context, code string) (*apperr.Error, error) {
	ok, seen := r.sources[code]
	if !seen {
		if err := r.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sources WHERE code = $1)`, code).Scan(&ok); err != nil {
			return nil, fmt.Errorf("look up source: %w", err)
		}
		r.sources[code] = ok
	}
	if !ok {
		return apperr.Field("source", "unknown_source", "unknown source "+strconv.Quote(code)), nil
	}
	return nil, nil
}
