package saved

import (
	"context"
	"strconv"
	"strings"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// Entry is one report of GET /reports: a standard report (string
// id, read-only) or a saved one (its number as the id).
type Entry struct {
	ID          string             `json:"id"`
	Source      string             `json:"source"` // standard or saved
	Name        string             `json:"name"`
	NameEN      string             `json:"name_en,omitempty"`
	Description string             `json:"description,omitempty"`
	Shared      bool               `json:"shared"`
	OwnerID     int64              `json:"owner_id,omitempty"`
	Definition  reports.Definition `json:"definition"`
}

func standardEntry(s reports.StandardReport) Entry {
	return Entry{ID: s.ID, Source: "standard", Name: s.NameRU, NameEN: s.NameEN,
		Description: s.Description, Shared: true, Definition: s.Definition}
}

func savedEntry(s Report) Entry {
	return Entry{ID: strconv.FormatInt(s.ID, 10), Source: "saved", Name: s.Name,
		Shared: s.Shared, OwnerID: s.OwnerID, Definition: s.Definition}
}

// Entries lists the standard catalog, then the saved reports p
// sees.
func (st *Store) Entries(ctx context.Context, p domain.Principal) ([]Entry, error) {
	out := []Entry{}
	for _, s := range reports.StandardReports() {
		out = append(out, standardEntry(s))
	}
	saved, err := st.List(ctx, p)
	for _, s := range saved {
		out = append(out, savedEntry(s))
	}
	return out, err
}

// Entry finds a standard report by id, or a saved one p sees by
// its number; 404 otherwise.
func (st *Store) Entry(ctx context.Context, p domain.Principal, id string) (Entry, error) {
	if s, ok := reports.Standard(id); ok {
		return standardEntry(s), nil
	}
	n, err := ParseID(id)
	if err != nil {
		return Entry{}, err
	}
	s, err := st.Get(ctx, p, n)
	return savedEntry(s), err
}

// ParseID reads a saved report's id: a positive integer, else 404; a
// standard report's id is 403 (the catalog is read-only).
func ParseID(id string) (int64, error) {
	if _, ok := reports.Standard(id); ok {
		return 0, apperr.New(apperr.Forbidden, "read_only", "standard reports cannot be changed; save a copy")
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, apperr.NotFoundf("report not found")
	}
	return n, nil
}

// Definition is the standard or saved report p asks for by id, and
// its definition with from and to (dates or RFC 3339 times, both or
// neither) replacing its period, keeping its date field and time zone.
// Errors name "from" and "to".
func (st *Store) Definition(ctx context.Context, p domain.Principal, id, from, to string) (Entry, reports.Definition, error) {
	r, err := st.Entry(ctx, p, id)
	if err != nil {
		return r, reports.Definition{}, err
	}
	def := r.Definition
	if from == "" && to == "" {
		return r, def, nil
	}
	per := reports.Period{From: from, To: to}
	if def.Period != nil {
		per.Field, per.TZ = def.Period.Field, def.Period.TZ
	}
	if _, err := per.Resolve(st.now(), "period"); err != nil {
		if ae := apperr.As(err); ae != nil && ae.Field != "" {
			c := *ae
			c.Field = strings.TrimPrefix(strings.TrimPrefix(ae.Field, "period"), ".")
			if c.Field == "" {
				c.Field = "from"
			}
			return r, def, &c
		}
		return r, def, err
	}
	def.Period = &per
	return r, def, nil
}

// Overrides are what a run of a standard or saved report by id may
// change: From and To its period (as Definition takes them), AsOf the
// instant of a snapshot (reports.WithAsOf; 422 on field as_of for a
// report that is not one).
type Overrides struct{ From, To, AsOf string }

// DefinitionWith is Definition with every override of o applied.
func (st *Store) DefinitionWith(ctx context.Context, p domain.Principal, id string, o Overrides) (Entry, reports.Definition, error) {
	r, def, err := st.Definition(ctx, p, id, o.From, o.To)
	if err != nil {
		return r, def, err
	}
	def, err = reports.WithAsOf(def, o.AsOf)
	return r, def, err
}
