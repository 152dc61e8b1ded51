package compile

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// recordFields are the columns a drill lists per dataset: what makes a
// useful list. A dataset not named here lists its id and its fields that
// need no lookup.
var recordFields = map[string][]string{
	"deals": {"id", "title", "pipeline_name", "stage_name", "responsible_name", "company", "amount", "amount_original",
		"currency", "created_at", "closed_at"},
	"leads":      {"id", "title", "stage_name", "responsible_name", "source_name", "company_name", "deal_id", "created_at", "converted_at"},
	"activities": {"id", "type", "subject", "owner_name", "deal_id", "lead_id", "due_at", "done_at", "created_at"},
	"invoices": {"id", "number", "deal_id", "deal_title", "responsible_name", "company_name", "status", "amount", "amount_original",
		"currency", "issued_at", "due_at", "outstanding"},
	"payments": {"id", "invoice_id", "invoice_number", "deal_id", "responsible_name", "status", "amount", "amount_original",
		"currency", "planned_at", "paid_at"},
	"companies": {"id", "name", "inn", "responsible_name", "created_at"},
	"contracts": {"id", "number", "company_name", "signed_at", "valid_to"},
	"orders": {"id", "number", "deal_id", "deal_title", "responsible_name", "company_name", "contract_number", "amount",
		"amount_original", "currency", "created_at"},
	"acts": {"id", "number", "order_number", "deal_id", "deal_title", "responsible_name", "company_name", "amount",
		"amount_original", "currency", "signed_at"},
	"stage_changes": {"id", "deal_id", "deal_title", "from_stage_name", "to_stage_name", "changed_at", "changed_by_name",
		"responsible_name", "reason"},
}

// maxFallbackFields bounds the columns of a dataset recordFields omits.
const maxFallbackFields = 12

// RecordKeys lists the record columns a drill over the dataset shows.
func RecordKeys(ds *dataset.Dataset) []string {
	var out []string
	for _, k := range recordFields[ds.Key] {
		if _, ok := ds.Field(k); ok {
			out = append(out, k)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, f := range ds.Fields {
		if len(f.Lookups) == 0 && !f.Flag && len(out) < maxFallbackFields {
			out = append(out, f.Key)
		}
	}
	return out
}

// Records is a record list over a plan's rows: the fields shown, the
// order and the limit.
type Records struct {
	pl     *Plan
	fields []dataset.Field
	sort   []sortPlan // col indexes fields
	limit  int
	offset int
}

// NewRecords is the record list of a dataset (all its rows under the
// conditions its Compile adds) in zone loc and language lang: the base
// of a drill that is not a grouped cell (a funnel step's deals).
func NewRecords(datasetKey string, loc *time.Location, lang string, opts DrillOptions) (*Records, error) {
	ds, ok := dataset.ByKey(datasetKey)
	if !ok {
		return nil, fmt.Errorf("drill: no dataset %q", datasetKey)
	}
	return (&Plan{ds: ds, loc: loc, lang: lang}).records(opts)
}

// records resolves the record fields, the sort and the limit.
func (pl *Plan) records(opts DrillOptions) (*Records, error) {
	r := &Records{pl: pl}
	keys := RecordKeys(pl.ds)
	for _, k := range keys {
		f, _ := pl.ds.Field(k)
		r.fields = append(r.fields, f)
	}
	for i, s := range opts.Sort {
		j := slices.Index(keys, s.By)
		if j < 0 {
			return nil, invalid(at("sort", i)+".by", "unknown_column", fmt.Sprintf("%q is not a column of the list", s.By), keys)
		}
		r.sort = append(r.sort, sortPlan{col: j, desc: s.Desc})
	}
	if id := slices.Index(keys, "id"); id >= 0 && !slices.ContainsFunc(r.sort, func(s sortPlan) bool { return s.col == id }) {
		r.sort = append(r.sort, sortPlan{col: id})
	}
	switch {
	case opts.Limit == 0:
		r.limit = DefaultDrillLimit
	case opts.Limit < 0 || opts.Limit > MaxDrillLimit:
		return nil, apperr.Field("limit", "out_of_range", fmt.Sprintf("limit is 1 to %d (default %d)", MaxDrillLimit, DefaultDrillLimit))
	default:
		r.limit = opts.Limit
	}
	if opts.Offset < 0 {
		return nil, apperr.Field("offset", "out_of_range", "offset is how many records of the order to skip: 0 or more")
	}
	r.offset = opts.Offset
	return r, nil
}

// Compile is the list of the rows that pass cond (on the base table,
// before the joins) for p.
func (r *Records) Compile(names olap.Names, p domain.Principal, cond sq.Sqlizer) (*Drill, error) {
	return r.compile(names, p, []sq.Sqlizer{cond}, nil)
}

// compile builds the count over the plan's own source and the list over
// the same source with the record fields' lookups added (left joins,
// which keep every row), both with the extra conditions.
func (r *Records) compile(names olap.Names, p domain.Principal, inner, outer []sq.Sqlizer) (*Drill, error) {
	acc := dataset.NewAccess(names, p)
	counted := r.pl.narrowed(nil, inner, outer)
	count := sq.Select("count()").FromSelect(counted.source(names, acc), "t")
	for _, c := range counted.outer {
		count = count.Where(c)
	}
	listed := r.pl.narrowed(r.fields, inner, outer)
	list := sq.Select().FromSelect(listed.listSource(names, acc, r), "t")
	d := &Drill{Loc: r.pl.loc, Limit: r.limit, Offset: r.offset, Period: r.pl.rng}
	for i, f := range r.fields {
		list = list.Column(f.Expr + " AS r" + strconv.Itoa(i))
		d.Cols = append(d.Cols, r.pl.recordColumn(f))
	}
	for _, c := range listed.outer {
		list = list.Where(c)
	}
	var order []string
	for _, s := range r.sort {
		order = append(order, "r"+strconv.Itoa(s.col)+map[bool]string{true: " DESC", false: ""}[s.desc])
	}
	if len(order) > 0 {
		list = list.OrderBy(order...)
	}
	var err error
	if d.Count, err = toQuery(count); err != nil {
		return nil, err
	}
	if list = list.Limit(uint64(r.limit)); r.offset > 0 {
		list = list.Offset(uint64(r.offset))
	}
	d.Rows, err = toQuery(list)
	return d, err
}

// listSource is the plan's source for the list. When no condition waits
// for the joins and the order needs no lookup (by id, by default), the
// base rows are sorted and limited before the joins (to the page's end:
// offset + limit), so a list of the first 10,000 of a million deals
// joins 10,000 rows, not a million; the list is ordered again after them
// (a join keeps no order) and the page cut there.
func (pl *Plan) listSource(names olap.Names, acc dataset.Access, r *Records) sq.SelectBuilder {
	var order []string
	for _, s := range r.sort {
		f := r.fields[s.col]
		if len(f.Lookups) > 0 || len(pl.outer) > 0 {
			return pl.source(names, acc)
		}
		order = append(order, f.Expr+map[bool]string{true: " DESC", false: ""}[s.desc])
	}
	lookups := pl.ds.LookupOrder(pl.lookups)
	src := sq.Select(pl.baseColumns(lookups)...).From(names.Table(pl.ds.Table) + " FINAL").Where("_deleted = 0").Where(pl.ds.Access(acc))
	for _, c := range pl.inner {
		src = src.Where(c)
	}
	for _, s := range pl.semi {
		src = src.Where(s.sql(names))
	}
	if len(order) > 0 {
		src = src.OrderBy(order...)
	}
	return names.JoinLookups(src.Limit(uint64(r.offset+r.limit)), "l", dataset.Joins(lookups))
}

// narrowed is a copy of the plan reading fields too, with more
// conditions; the plan itself is unchanged.
func (pl *Plan) narrowed(fields []dataset.Field, inner, outer []sq.Sqlizer) *Plan {
	c := *pl
	c.lookups, c.exprs = slices.Clone(pl.lookups), slices.Clone(pl.exprs)
	c.inner = append(slices.Clone(pl.inner), inner...)
	c.outer = append(slices.Clone(pl.outer), outer...)
	for _, f := range fields {
		c.use(f)
	}
	return &c
}

// recordColumn is a record field's column.
func (pl *Plan) recordColumn(f dataset.Field) OutCol {
	c := reports.Column{Key: f.Key, LabelRU: f.LabelRU, LabelEN: f.LabelEN, Type: f.Type, Definition: f.Description(pl.lang)}
	c.Label = labelIn(c, pl.lang)
	return OutCol{Column: c}
}

func toQuery(b sq.SelectBuilder) (*olap.Query, error) {
	text, args, err := b.ToSql()
	if err != nil {
		return nil, err
	}
	return &olap.Query{SQL: text, Args: args}, nil
}
