package reports

import (
	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
)

// Access is the principal's row filter on the ClickHouse copy, the same
// rules crmcore applies on PostgreSQL (API.md roles): every role but
// manager sees all rows; a manager sees deals where responsible or
// observer, leads where responsible, activities they own or that belong
// to what they see, invoices and payments of deals they see. Every query
// of every report kind ANDs one of these conditions in; column names are
// from code, the user id is a bound value.
type Access struct {
	db *olap.DB
	p  domain.Principal
}

// NewAccess returns the filter for p over db.
func NewAccess(db *olap.DB, p domain.Principal) Access { return Access{db: db, p: p} }

// All reports whether no filter applies.
func (a Access) All() bool { return a.p.SeesAll() }

// Deals restricts rows whose deal id is idCol and responsible respCol.
func (a Access) Deals(idCol, respCol string) (sq.Sqlizer, error) {
	if a.All() {
		return sq.Expr("1 = 1"), nil
	}
	obs := a.db.Table("deal_observers")
	return sq.Or{
		sq.Eq{respCol: a.p.UserID},
		sq.Expr(idCol+" IN (SELECT deal_id FROM "+obs+" FINAL WHERE _deleted = 0 AND user_id = ?)", a.p.UserID),
	}, nil
}

// DealIDs restricts rows that carry only a deal id (stage changes,
// invoices, deal items) to deals the principal sees.
func (a Access) DealIDs(idCol string) (sq.Sqlizer, error) {
	if a.All() {
		return sq.Expr("1 = 1"), nil
	}
	deals := a.db.Table("deals")
	visible, err := a.Deals("id", "responsible_id")
	if err != nil {
		return nil, err
	}
	sub, args, err := visible.ToSql()
	if err != nil {
		return nil, err
	}
	return sq.Expr(idCol+" IN (SELECT id FROM "+deals+" FINAL WHERE _deleted = 0 AND ("+sub+"))", args...), nil
}

// Leads restricts lead rows to those where the manager is responsible.
func (a Access) Leads(respCol string) sq.Sqlizer {
	if a.All() {
		return sq.Expr("1 = 1")
	}
	return sq.Eq{respCol: a.p.UserID}
}

// LeadIDs restricts rows carrying a lead id to leads the principal sees.
func (a Access) LeadIDs(idCol string) (sq.Sqlizer, error) {
	if a.All() {
		return sq.Expr("1 = 1"), nil
	}
	leads := a.db.Table("leads")
	return sq.Expr(idCol+" IN (SELECT id FROM "+leads+" FINAL WHERE _deleted = 0 AND responsible_id = ?)", a.p.UserID), nil
}

// Activities restricts activity rows: owned, or on a visible deal or lead.
func (a Access) Activities(ownerCol, dealCol, leadCol string) (sq.Sqlizer, error) {
	if a.All() {
		return sq.Expr("1 = 1"), nil
	}
	deals, err := a.DealIDs(dealCol)
	if err != nil {
		return nil, err
	}
	leads, err := a.LeadIDs(leadCol)
	if err != nil {
		return nil, err
	}
	return sq.Or{sq.Eq{ownerCol: a.p.UserID}, deals, leads}, nil
}

// Payments restricts payment rows to invoices of visible deals.
func (a Access) Payments(invoiceCol string) (sq.Sqlizer, error) {
	if a.All() {
		return sq.Expr("1 = 1"), nil
	}
	invoices := a.db.Table("invoices")
	visible, err := a.DealIDs("deal_id")
	if err != nil {
		return nil, err
	}
	sub, args, err := visible.ToSql()
	if err != nil {
		return nil, err
	}
	return sq.Expr(invoiceCol+" IN (SELECT id FROM "+invoices+" FINAL WHERE _deleted = 0 AND "+sub+")", args...), nil
}
