package kinds

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// breakdownField is a deals field a funnel (or another kind) may break
// down by: Expr is SQL over the deals table (and the Joins, when the
// field comes from the deals dataset) yielding a String (code, not
// request text); Lookup names the table its labels come from.
type breakdownField struct {
	Key    string
	Expr   string
	Lookup string           // users, sources, companies, contacts, stages, or "" (the key is its own label)
	Joins  []dataset.Lookup // the deals dataset's lookups the expression reads
}

// funnelBreakdowns are the deals fields a funnel breaks down by: the
// dimensions of the deals dataset that are attributes of a deal.
var funnelBreakdowns = []breakdownField{
	{Key: "responsible", Expr: "toString(responsible_id)", Lookup: "users"},
	{Key: "source", Expr: "ifNull(source, '')", Lookup: "sources"},
	{Key: "company", Expr: "toString(ifNull(company_id, 0))", Lookup: "companies"},
	{Key: "contact", Expr: "toString(ifNull(contact_id, 0))", Lookup: "contacts"},
	{Key: "stage", Expr: "toString(stage_id)", Lookup: "stages"},
	{Key: "currency", Expr: "currency"},
	{Key: "created_by", Expr: "toString(ifNull(created_by, 0))", Lookup: "users"},
	{Key: "lost_reason", Expr: "ifNull(lost_reason, '')"},
	{Key: "created_at_month", Expr: "toString(toStartOfMonth(created_at, 'Europe/Moscow'))"},
	{Key: "created_at_quarter", Expr: "toString(toStartOfQuarter(created_at, 'Europe/Moscow'))"},
	{Key: "created_at_year", Expr: "toString(toYear(created_at, 'Europe/Moscow'))"},
}

// FunnelBreakdowns lists the field keys a funnel may break down by: the
// ones above, then every other non-date dimension of the deals dataset.
func FunnelBreakdowns() []string {
	var keys []string
	for _, b := range funnelBreakdowns {
		keys = append(keys, b.Key)
	}
	if ds, ok := dataset.ByKey("deals"); ok {
		for _, f := range ds.Fields {
			if f.Dimension && !f.IsDate() && !slices.Contains(keys, f.Key) {
				keys = append(keys, f.Key)
			}
		}
	}
	return keys
}

// funnelBreakdown finds a breakdown field; "" is none (nil, no error).
func funnelBreakdown(key, field string) (*breakdownField, error) {
	if key == "" {
		return nil, nil
	}
	for i := range funnelBreakdowns {
		if funnelBreakdowns[i].Key == key {
			return &funnelBreakdowns[i], nil
		}
	}
	if ds, ok := dataset.ByKey("deals"); ok {
		if f, ok := ds.Field(key); ok && f.Dimension && !f.IsDate() {
			return &breakdownField{Key: key, Expr: "ifNull(toString(" + f.Expr + "), '')", Joins: ds.LookupOrder(f.Lookups)}, nil
		}
	}
	return nil, &apperr.Error{Kind: apperr.Invalid, Code: "unknown_field", Field: field,
		Message: fmt.Sprintf("cannot break down by %q", key), Details: map[string]any{"allowed": FunnelBreakdowns()}}
}

// labelGroups fills each group's Label from the field's lookup table and
// sorts the groups by label, then key.
func labelGroups(ctx context.Context, db *olap.DB, b *breakdownField, groups []reports.FunnelGroup) error {
	if b == nil || len(groups) == 0 {
		return nil
	}
	keys := make([]string, len(groups))
	for i, g := range groups {
		keys[i] = g.Key
	}
	labels, err := lookupLabels(ctx, db, b.Lookup, keys)
	if err != nil {
		return err
	}
	for i := range groups {
		groups[i].Label = labels[groups[i].Key]
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].Label != groups[j].Label {
			return groups[i].Label < groups[j].Label
		}
		return groups[i].Key < groups[j].Key
	})
	return nil
}

// labelQueries read (key, label) pairs of a lookup table for keys bound
// as an array: the columns, and the key column the array holds (string
// codes for sources, numeric ids otherwise).
var labelQueries = map[string][2]string{
	"users":     {"toString(id), name", "id"},
	"companies": {"toString(id), name", "id"},
	"contacts":  {"toString(id), concat(last_name, ' ', first_name)", "id"},
	"stages":    {"toString(id), name", "id"},
	"sources":   {"code, name", "code"},
}

// lookupLabels maps keys to labels; a key with no row (or a lookup of
// "") is its own label, "0" and "" (no value) are labelled "—".
func lookupLabels(ctx context.Context, db *olap.DB, lookup string, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	var ids []int64
	for _, k := range keys {
		out[k] = k
		if k == "" || k == "0" {
			out[k] = "—"
		}
		if n, err := strconv.ParseInt(k, 10, 64); err == nil {
			ids = append(ids, n)
		}
	}
	lq, ok := labelQueries[lookup]
	if !ok {
		return out, nil
	}
	var arg any = ids
	if lookup == "sources" {
		arg = keys
	}
	if lookup != "sources" && len(ids) == 0 {
		return out, nil
	}
	q := olap.SQL(db.Current(lookup, lq[0])+" AND has(?, "+lq[1]+")", arg)
	err := db.Each(ctx, "labels from "+lookup, q, func(scan func(...any) error) error {
		var k, label string
		if err := scan(&k, &label); err != nil {
			return err
		}
		out[k] = label
		return nil
	})
	return out, err
}
