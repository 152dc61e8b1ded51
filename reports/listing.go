package reports

import (
	"context"
	"strconv"
	"strings"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// ReportEntry is one report of GET /reports: a standard report (string
// id, read-only) or a saved one (its number as the id).
type ReportEntry struct {
	ID          string     `json:"id"`
	Source      string     `json:"source"` // standard or saved
	Name        string     `json:"name"`
	NameEN      string     `json:"name_en,omitempty"`
	Description string     `json:"description,omitempty"`
	Shared      bool       `json:"shared"`
	OwnerID     int64      `json:"owner_id,omitempty"`
	Definition  Definition `json:"definition"`
}

func standardEntry(s StandardReport) ReportEntry {
	return ReportEntry{ID: s.ID, Source: "standard", Name: s.NameRU, NameEN: s.NameEN,
		Description: s.Description, Shared: true, Definition: s.Definition}
}

func savedEntry(s SavedReport) ReportEntry {
	return ReportEntry{ID: strconv.FormatInt(s.ID, 10), Source: "saved", Name: s.Name,
		Shared: s.Shared, OwnerID: s.OwnerID, Definition: s.Definition}
}

// Entries lists the standard catalog, then the saved reports p
// sees.
func (st *SavedStore) Entries(ctx context.Context, p domain.Principal) ([]ReportEntry, error) {
	out := []ReportEntry{}
	for _, s := range StandardReports() {
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
func (st *SavedStore) Entry(ctx context.Context, p domain.Principal, id string) (ReportEntry, error) {
	if s, ok := Standard(id); ok {
		return standardEntry(s), nil
	}
	n, err := SavedID(id)
	if err != nil {
		return ReportEntry{}, err
	}
	s, err := st.Get(ctx, p, n)
	return savedEntry(s), err
}

// SavedID reads a saved report's id: a positive integer, else 404; a
// standard report's id is 403 (the catalog is read-only).
func SavedID(id string) (int64, error) {
	if _, ok := Standard(id); ok {
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
func (st *SavedStore) Definition(ctx context.Context, p domain.Principal, id, from, to string) (ReportEntry, Definition, error) {
	r, err := st.Entry(ctx, p, id)
	if err != nil {
		return r, Definition{}, err
	}
	def := r.Definition
	if from == "" && to == "" {
		return r, def, nil
	}
	per := Period{From: from, To: to}
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
