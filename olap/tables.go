package olap

// Mirror describes one PostgreSQL table copied into ClickHouse under the
// same name and column names.
//
// Invariants (checked by the schema tests against both servers): the
// ClickHouse table has exactly the PostgreSQL columns minus Excluded, each
// of type CHType(format_type, nullable), plus VersionColumn (UInt64, the
// commit LSN of the change) and DeletedColumn (UInt8, 1 = deleted). Its
// engine is ReplacingMergeTree(_version) ordered by OrderBy, so a row
// written again with a higher _version replaces the older one and a
// replayed batch changes nothing. Current state is read with
// `FINAL ... WHERE _deleted = 0` (see CurrentRows).
type Mirror struct {
	Table string
	// OrderBy is the ClickHouse sorting key, which is also the
	// de-duplication key: a delete marker must carry these columns.
	OrderBy []string
	// Excluded columns never leave PostgreSQL (secrets).
	Excluded []string
	// Event marks append-only history, ordered for funnel queries
	// (entity, time, id) rather than by primary key alone.
	Event bool
}

// Extra columns every mirror table carries.
const (
	VersionColumn = "_version"
	DeletedColumn = "_deleted"
)

var mirrors = []Mirror{
	{Table: "users", OrderBy: []string{"id"}, Excluded: []string{"password_hash"}},
	{Table: "currencies", OrderBy: []string{"code"}},
	{Table: "currency_rates", OrderBy: []string{"code", "valid_from"}},
	{Table: "sources", OrderBy: []string{"code"}},
	{Table: "pipelines", OrderBy: []string{"id"}},
	{Table: "stages", OrderBy: []string{"id"}},
	{Table: "stage_transitions", OrderBy: []string{"from_stage_id", "to_stage_id"}},
	{Table: "companies", OrderBy: []string{"id"}},
	{Table: "contacts", OrderBy: []string{"id"}},
	{Table: "deals", OrderBy: []string{"id"}},
	{Table: "deal_observers", OrderBy: []string{"deal_id", "user_id"}},
	{Table: "stage_changes", OrderBy: []string{"deal_id", "changed_at", "id"}, Event: true},
	{Table: "deal_forecast_changes", OrderBy: []string{"deal_id", "changed_at", "id"}, Event: true},
	{Table: "leads", OrderBy: []string{"id"}},
	{Table: "lead_status_changes", OrderBy: []string{"lead_id", "changed_at", "id"}, Event: true},
	{Table: "activities", OrderBy: []string{"id"}},
	{Table: "products", OrderBy: []string{"id"}},
	{Table: "deal_items", OrderBy: []string{"id"}},
	{Table: "contracts", OrderBy: []string{"id"}},
	{Table: "orders", OrderBy: []string{"id"}},
	{Table: "invoices", OrderBy: []string{"id"}},
	{Table: "payments", OrderBy: []string{"id"}},
	{Table: "acts", OrderBy: []string{"id"}},
	{Table: "plans", OrderBy: []string{"id"}},
	{Table: "holidays", OrderBy: []string{"day"}},
}

// Mirrors lists the mirrored tables in dependency order (a copy of the
// package's list: callers may not change it).
func Mirrors() []Mirror {
	out := make([]Mirror, len(mirrors))
	copy(out, mirrors)
	return out
}

// MirrorOf returns the mirror description of table.
func MirrorOf(table string) (Mirror, bool) {
	for _, m := range mirrors {
		if m.Table == table {
			return m, true
		}
	}
	return Mirror{}, false
}

// IsExcluded reports whether column of this table stays in PostgreSQL.
func (m Mirror) IsExcluded(column string) bool {
	for _, c := range m.Excluded {
		if c == column {
			return true
		}
	}
	return false
}
