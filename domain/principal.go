package domain

// Principal is who is acting: the authenticated user. Every store method
// that reads or writes deals and leads takes one and applies SeesAll /
// the responsible-or-observer rule itself, so a caller cannot forget it;
// the report engine turns it into a row filter on the ClickHouse copy.
type Principal struct {
	UserID int64
	Name   string
	Email  string
	Role   Role
}

// SeesAll reports whether the principal reads every deal, lead and
// activity (everyone but a sales manager).
func (p Principal) SeesAll() bool { return p.Role != RoleManager }

// CanWriteAll reports whether the principal may change any deal or lead
// (admin and director); a manager changes only their own, an analyst none.
func (p Principal) CanWriteAll() bool { return p.Role == RoleAdmin || p.Role == RoleDirector }

// ReadOnly is true for analysts: all data, no changes.
func (p Principal) ReadOnly() bool { return p.Role == RoleAnalyst }

// CanBackfill reports whether `at` fields (history imported from another
// CRM) are accepted: admins only.
func (p Principal) CanBackfill() bool { return p.Role == RoleAdmin }

// CanReassign reports whether the principal may change a deal's responsible.
func (p Principal) CanReassign() bool { return p.Role == RoleDirector || p.Role == RoleAdmin }

// System is the principal of seeding and migrations: sees and may do all.
var System = Principal{UserID: 0, Name: "system", Role: RoleAdmin}
