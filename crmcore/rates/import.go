package rates

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/pgerr"
)

// Summary is what an import did: rates added (a new date), changed (a
// stored date, another rate), unchanged (the same rate stored already)
// and skipped (a currency not in the currencies table, or the rouble),
// with the skipped currencies named.
type Summary struct {
	Kind      string   `json:"kind"` // daily or dynamic
	Added     int      `json:"added"`
	Changed   int      `json:"changed"`
	Unchanged int      `json:"unchanged"`
	Skipped   int      `json:"skipped"`
	SkippedIn []string `json:"skipped_currencies"`
	From      string   `json:"from,omitempty"` // the first and last date of the rates read
	To        string   `json:"to,omitempty"`
}

// Import writes a parsed file's rates in one transaction: each currency
// in the currencies table is upserted on (currency, date), the others
// are skipped. Importing the same file again changes nothing. It is an
// operator's (the CLI) or a director's or admin's (the API checks) act.
func (s Store) Import(ctx context.Context, f File) (Summary, error) {
	var sum Summary
	err := crmcore.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		sum = summarize(f)
		codes, err := currencies(ctx, tx)
		if err != nil {
			return err
		}
		for _, r := range f.Rates {
			if !codes[r.Currency] || r.Currency == Rouble {
				sum.Skipped++
				if !slices.Contains(sum.SkippedIn, r.Currency) {
					sum.SkippedIn = append(sum.SkippedIn, r.Currency)
				}
				continue
			}
			what, err := upsert(ctx, tx, r.Currency, r.Date, r.Rate.String())
			if err != nil {
				return err
			}
			switch what {
			case "added":
				sum.Added++
			case "changed":
				sum.Changed++
			default:
				sum.Unchanged++
			}
		}
		slices.Sort(sum.SkippedIn)
		return nil
	})
	return sum, err
}

// summarize is an empty summary with the file's kind and span.
func summarize(f File) Summary {
	sum := Summary{Kind: f.Kind, SkippedIn: []string{}}
	var first, last time.Time
	for _, r := range f.Rates {
		if first.IsZero() || r.Date.Before(first) {
			first = r.Date
		}
		if r.Date.After(last) {
			last = r.Date
		}
	}
	if !first.IsZero() {
		sum.From, sum.To = first.Format(time.DateOnly), last.Format(time.DateOnly)
	}
	return sum
}

// currencies is the set of currency codes the CRM knows.
func currencies(ctx context.Context, tx pgx.Tx) (map[string]bool, error) {
	rows, err := tx.Query(ctx, `SELECT code FROM currencies`)
	if err != nil {
		return nil, pgerr.Translate(err, "currencies")
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, pgerr.Translate(err, "currencies")
	}
	out := map[string]bool{}
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}
