package crmcore

import (
	"context"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

const activityCols = `a.id, a.type, a.subject, a.owner_id, a.deal_id, a.lead_id, a.direction,
       a.duration_s, a.due_at, a.done_at, a.created_at, a.updated_at`

func scanActivity(r pgx.Row) (Activity, error) {
	var a Activity
	err := r.Scan(&a.ID, &a.Type, &a.Subject, &a.OwnerID, &a.DealID, &a.LeadID, &a.Direction,
		&a.DurationS, &a.DueAt, &a.DoneAt, &a.CreatedAt, &a.UpdatedAt)
	return a, err
}

// ActivityVisible restricts activities (alias a) to those p may read: a
// manager sees the activities they own and those of the deals and leads
// they see; every other role sees all.
func ActivityVisible(p domain.Principal) sq.Sqlizer {
	if p.SeesAll() {
		return sq.Expr("TRUE")
	}
	return sq.Or{
		sq.Eq{"a.owner_id": p.UserID},
		sq.Expr("EXISTS (SELECT 1 FROM deals d WHERE d.id = a.deal_id AND ?)", DealVisible(p, "d.id", "d.responsible_id")),
		sq.Expr("EXISTS (SELECT 1 FROM leads l WHERE l.id = a.lead_id AND ?)", LeadVisible(p, "l.responsible_id")),
	}
}

// CreateActivity records an activity. The caller must be able to change
// the deal and lead it belongs to: 404 when they cannot see one, 403 when
// they only read it.
func (s *Store) CreateActivity(ctx context.Context, p domain.Principal, in NewActivity) (Activity, error) {
	if p.ReadOnly() {
		return Activity{}, apperr.New(apperr.Forbidden, "read_only", "your role reads activities but records none")
	}
	if err := in.Validate(); err != nil {
		return Activity{}, err
	}
	owner, err := activityOwner(p, in)
	if err != nil {
		return Activity{}, err
	}
	if in.DealID != nil {
		if err := s.CheckDealWrite(ctx, p, *in.DealID); err != nil {
			return Activity{}, err
		}
	}
	if in.LeadID != nil {
		if err := s.activityLeadWritable(ctx, p, *in.LeadID); err != nil {
			return Activity{}, err
		}
	}
	const q = `
INSERT INTO activities AS a (type, subject, owner_id, deal_id, lead_id, direction, duration_s,
                             due_at, done_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
RETURNING ` + activityCols
	a, err := writeRow(ctx, s.db, scanActivity, q, in.Type, in.Subject, owner, in.DealID, in.LeadID,
		in.Direction, in.DurationS, in.DueAt, in.DoneAt, s.Now())
	return a, pgerr.Translate(err, "activity")
}

// activityLeadWritable applies LeadVisible to one lead: a manager works
// only the leads they are responsible for, and cannot see the others.
func (s *Store) activityLeadWritable(ctx context.Context, p domain.Principal, leadID int64) error {
	var responsible int64
	err := s.db.QueryRow(ctx, `SELECT responsible_id FROM leads WHERE id = $1`, leadID).Scan(&responsible)
	switch {
	case err != nil:
		return pgerr.Translate(err, "lead")
	case p.CanWriteAll() || (p.Role == domain.RoleManager && responsible == p.UserID):
		return nil
	case p.SeesAll():
		return apperr.New(apperr.Forbidden, "read_only", "you may read this lead but not change it")
	}
	return apperr.NotFoundf("lead not found")
}

// GetActivity returns one activity p may see (404 otherwise).
func (s *Store) GetActivity(ctx context.Context, p domain.Principal, id int64) (Activity, error) {
	query, args, err := psql.Select(activityCols).From("activities a").
		Where(sq.And{sq.Eq{"a.id": id}, ActivityVisible(p)}).ToSql()
	if err != nil {
		return Activity{}, err
	}
	a, err := scanActivity(s.db.QueryRow(ctx, query, args...))
	return a, pgerr.Translate(err, "activity")
}

// UpdateActivity changes the subject, due or done time. Admins and
// directors change any activity, a manager their own; others they see
// are read only.
func (s *Store) UpdateActivity(ctx context.Context, p domain.Principal, id int64, in ActivityPatch) (Activity, error) {
	if p.ReadOnly() {
		return Activity{}, apperr.New(apperr.Forbidden, "read_only", "your role reads activities but changes none")
	}
	cur, err := s.GetActivity(ctx, p, id)
	if err != nil {
		return Activity{}, err
	}
	if !p.CanWriteAll() && cur.OwnerID != p.UserID {
		return Activity{}, apperr.New(apperr.Forbidden, "read_only", "only the owner changes this activity")
	}
	if err := in.Validate(); err != nil {
		return Activity{}, err
	}
	set := map[string]any{}
	if in.Subject != nil {
		set["subject"] = *in.Subject
	}
	if in.DueAt != nil {
		set["due_at"] = *in.DueAt
	}
	if in.DoneAt != nil {
		set["done_at"] = *in.DoneAt
	}
	return updateRow(ctx, s, "activities AS a", "activity", id, set, activityCols, scanActivity)
}

// ListActivities returns a page of the activities p may see, newest
// first, and the number matching the filter.
func (s *Store) ListActivities(ctx context.Context, p domain.Principal, f ActivityFilter) ([]Activity, int, error) {
	where := sq.And{ActivityVisible(p)}
	for col, v := range map[string]int64{"a.owner_id": f.OwnerID, "a.deal_id": f.DealID, "a.lead_id": f.LeadID} {
		if v != 0 {
			where = append(where, sq.Eq{col: v})
		}
	}
	if f.Type != "" {
		var v check
		if v.oneOf("type", f.Type, ActivityCall, ActivityEmail, ActivityMeeting, ActivityTask); v.Err != nil {
			return nil, 0, v.Err
		}
		where = append(where, sq.Eq{"a.type": f.Type})
	}
	if f.From != nil {
		where = append(where, sq.GtOrEq{"a.created_at": *f.From})
	}
	if f.To != nil {
		where = append(where, sq.Lt{"a.created_at": *f.To})
	}
	return listRows(ctx, s.db, "activities a", where, "a.created_at DESC, a.id DESC",
		f.Limit, f.Offset, activityCols, scanActivity)
}
