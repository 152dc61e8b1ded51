package dataset

import (
	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
)

// Access is the principal's row filter on the ClickHouse copy, the same
// rules crmcore applies on PostgreSQL (docs/api.md, "Roles"): every role
// but manager sees all rows; a manager sees deals where responsible or
// observer, leads where responsible, activities they own or that belong
// to what they see, invoices and payments of deals they see. Every query
// of every report kind ANDs one of these conditions in; column names are
// from code, the user id is a bound value.
type Access struct {
	names olap.Names
	p     domain.Principal
}

// NewAccess returns the filter for p over the tables names qualifies.
func NewAccess(names olap.Names, p domain.Principal) Access { return Access{names: names, p: p} }

// All reports whether no filter applies.
func (a Access) All() bool { return a.p.SeesAll() }

// everything is the condition of a principal who sees all rows.
var everything = sq.Expr("1 = 1")

// Deals restricts rows whose deal id is idCol and responsible respCol.
func (a Access) Deals(idCol, respCol string) sq.Sqlizer {
	if a.All() {
		return everything
	}
	return sq.Or{
		sq.Eq{respCol: a.p.UserID},
		sq.Expr(idCol+" IN ("+a.names.Current("deal_observers", "deal_id")+" AND user_id = ?)", a.p.UserID),
	}
}

// DealIDs restricts rows that carry only a deal id (stage changes,
// invoices, deal items) to deals the principal sees.
func (a Access) DealIDs(idCol string) sq.Sqlizer {
	if a.All() {
		return everything
	}
	return a.in(idCol, "deals", a.Deals("id", "responsible_id"))
}

// Leads restricts lead rows to those where the manager is responsible.
func (a Access) Leads(respCol string) sq.Sqlizer {
	if a.All() {
		return everything
	}
	return sq.Eq{respCol: a.p.UserID}
}

// LeadIDs restricts rows carrying a lead id to leads the principal sees.
func (a Access) LeadIDs(idCol string) sq.Sqlizer {
	if a.All() {
		return everything
	}
	return a.in(idCol, "leads", a.Leads("responsible_id"))
}

// Activities restricts activity rows: owned, or on a visible deal or lead.
func (a Access) Activities(ownerCol, dealCol, leadCol string) sq.Sqlizer {
	if a.All() {
		return everything
	}
	return sq.Or{sq.Eq{ownerCol: a.p.UserID}, a.DealIDs(dealCol), a.LeadIDs(leadCol)}
}

// Payments restricts payment rows to invoices of visible deals.
func (a Access) Payments(invoiceCol string) sq.Sqlizer {
	if a.All() {
		return everything
	}
	return a.in(invoiceCol, "invoices", a.DealIDs("deal_id"))
}

// in is col IN (the ids of table's current rows that pass cond).
func (a Access) in(col, table string, cond sq.Sqlizer) sq.Sqlizer {
	return olap.Template{Text: col + " IN (" + a.names.Current(table, "id") + " AND ({cond}))", Slots: olap.Slots{"cond": cond}}
}

// Orders restricts rows carrying an order id (acts) to orders of deals
// the principal sees.
func (a Access) Orders(orderCol string) sq.Sqlizer {
	if a.All() {
		return everything
	}
	return a.in(orderCol, "orders", a.DealIDs("deal_id"))
}
