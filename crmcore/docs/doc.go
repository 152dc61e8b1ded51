// Package docs keeps the documents of a deal (issue 19, as in Citeck
// ECOS): contracts with companies, the orders of deals (under a contract
// of the deal's company, or none) with the deal's products when the order
// was made, and the acts that close an order. Invoices name their order
// in crmcore (billing.go). Every write is one transaction on the core's
// pool; bad input is a 422 naming the field and writes nothing.
//
// Who sees what follows crmcore: a contract is directory data like its
// company (every signed-in user reads it, everyone but analysts writes
// it); an order and its acts are seen by whoever sees the order's deal
// and written by whoever may change it, and a deal the caller cannot see
// is a 404, so is its order.
package docs

import (
	"time"

	"github.com/voronka/voronka/crmcore"
)

// maxNumber bounds a document number ("Д-2025/017").
const maxNumber = 64

// Store is the documents' repository over the core's pool and clock.
type Store struct {
	core *crmcore.Store
}

// New keeps the documents on core's pool, with core's clock.
func New(core *crmcore.Store) *Store { return &Store{core: core} }

func (s *Store) now() time.Time { return s.core.Now() }
