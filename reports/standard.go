package reports

import (
	"sync"
)

// StandardReport is a ready report of the standard catalog (catalog.go
// registers them): a stable string id (GET /reports/{id}/run), its names,
// what it shows, and the definition it runs (its period is the default
// one; ?from=&to= override it).
type StandardReport struct {
	ID          string     `json:"id"`
	NameRU      string     `json:"name_ru"`
	NameEN      string     `json:"name_en"`
	Description string     `json:"description,omitempty"`
	Definition  Definition `json:"definition"`
}

var standard = struct {
	sync.RWMutex
	list []StandardReport
}{}

// RegisterStandard adds r to the standard catalog (for init functions).
// Registering an id twice panics.
func RegisterStandard(r StandardReport) {
	standard.Lock()
	defer standard.Unlock()
	for _, s := range standard.list {
		if s.ID == r.ID {
			panic("reports: standard report " + r.ID + " registered twice")
		}
	}
	standard.list = append(standard.list, r)
}

// StandardReports lists the standard catalog in registration order (a
// copy).
func StandardReports() []StandardReport {
	standard.RLock()
	defer standard.RUnlock()
	return append([]StandardReport(nil), standard.list...)
}

// Standard finds a standard report by id.
func Standard(id string) (StandardReport, bool) {
	standard.RLock()
	defer standard.RUnlock()
	for _, s := range standard.list {
		if s.ID == id {
			return s, true
		}
	}
	return StandardReport{}, false
}
