package rates

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// Store reads and writes currency_rates on one pool.
type Store struct{ DB *pgxpool.Pool }

// listRates is every rate of the filter with the day its successor
// starts: a rate is valid on some day of [from, to] when it starts by
// to and its successor (if any) starts after from.
const listRates = `
WITH r AS (
    SELECT code,
           valid_from,
           rate,
           lead(valid_from) OVER (PARTITION BY code ORDER BY valid_from) AS next
    FROM currency_rates
    WHERE ($1::text = '' AND code <> 'RUB') OR code = $1::text
)
SELECT code,
       to_char(valid_from, 'YYYY-MM-DD'),
       to_char(next - 1, 'YYYY-MM-DD'),
       rate
FROM r
WHERE ($2::date IS NULL OR next IS NULL OR next > $2::date)
  AND ($3::date IS NULL OR valid_from <= $3::date)
ORDER BY code, valid_from`

// List is the rates valid on some day of the filter's span (the one in
// force at From among them), by currency and date. Anyone signed in may
// read them.
func (s Store) List(ctx context.Context, f Filter) ([]Rate, error) {
	from, err := ParseDay("from", f.From, true)
	if err != nil {
		return nil, err
	}
	to, err := ParseDay("to", f.To, true)
	if err != nil {
		return nil, err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return nil, apperr.Field("to", "before_from", "to is before from")
	}
	if f.Currency != "" {
		if !isoCode.MatchString(f.Currency) {
			return nil, apperr.Field("currency", "unknown_currency", fmt.Sprintf("unknown currency %q", f.Currency))
		}
		if err := known(ctx, s.DB, "currency", f.Currency); err != nil {
			return nil, err
		}
	}
	return list(ctx, s.DB, f.Currency, day(from), day(to))
}

// day is a date argument, nil for none.
func day(d time.Time) any {
	if d.IsZero() {
		return nil
	}
	return d.Format(time.DateOnly)
}

func list(ctx context.Context, q crmcore.Querier, currency string, from, to any) ([]Rate, error) {
	rows, err := q.Query(ctx, listRates, currency, from, to)
	if err != nil {
		return nil, pgerr.Translate(err, "currency rates")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Rate, error) {
		var x Rate
		err := r.Scan(&x.Currency, &x.ValidFrom, &x.ValidTo, &x.Rate.Decimal)
		return x, err
	})
	if err != nil {
		return nil, pgerr.Translate(err, "currency rates")
	}
	return out, nil
}

// known answers 422 on field when the currencies table lacks code.
func known(ctx context.Context, q crmcore.Querier, field, code string) error {
	var ok bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM currencies WHERE code = $1)`, code).Scan(&ok); err != nil {
		return pgerr.Translate(err, "currency")
	}
	if !ok {
		return apperr.Field(field, "unknown_currency", fmt.Sprintf("unknown currency %q", code))
	}
	return nil
}

// upsertRate writes a rate unless the same one is stored (so sending it
// again writes nothing and the reports recompute nothing); it returns
// whether the row was new, and no row when nothing changed.
const upsertRate = `
INSERT INTO currency_rates (code, valid_from, rate)
VALUES ($1, $2, $3)
ON CONFLICT (code, valid_from) DO UPDATE SET rate = EXCLUDED.rate
WHERE currency_rates.rate <> EXCLUDED.rate
RETURNING xmax = 0`

// Put sets a currency's rate from a date on (a new date adds a rate, a
// stored one corrects it), directors and admins only, and returns it as
// stored. Sending the same rate again changes nothing.
func (s Store) Put(ctx context.Context, p domain.Principal, in Put) (Rate, error) {
	if !p.CanWriteAll() {
		return Rate{}, apperr.New(apperr.Forbidden, "forbidden", "only a director or an admin sets currency rates")
	}
	d, err := in.validate()
	if err != nil {
		return Rate{}, err
	}
	var out Rate
	err = crmcore.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := known(ctx, tx, "currency", in.Currency); err != nil {
			return err
		}
		if _, err := upsert(ctx, tx, in.Currency, d, in.Rate.Decimal.String()); err != nil {
			return err
		}
		got, err := list(ctx, tx, in.Currency, day(d), day(d))
		if err != nil {
			return err
		}
		for _, r := range got {
			if r.ValidFrom == d.Format(time.DateOnly) {
				out = r
			}
		}
		return nil
	})
	return out, err
}

// upsert is upsertRate: "added", "changed" or "unchanged".
func upsert(ctx context.Context, tx crmcore.Querier, code string, d time.Time, rate string) (string, error) {
	var inserted bool
	err := tx.QueryRow(ctx, upsertRate, code, d.Format(time.DateOnly), rate).Scan(&inserted)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return "unchanged", nil
	case err != nil:
		return "", pgerr.Translate(err, "currency rate")
	case inserted:
		return "added", nil
	}
	return "changed", nil
}

// Delete removes one dated rate (directors and admins): the days it
// covered take the rate before it. A currency's only rate stays (deals
// in it would have no rouble amount): 409 last_rate.
func (s Store) Delete(ctx context.Context, p domain.Principal, currency, validFrom string) error {
	if !p.CanWriteAll() {
		return apperr.New(apperr.Forbidden, "forbidden", "only a director or an admin removes currency rates")
	}
	if err := checkCode("currency", currency); err != nil {
		return err
	}
	d, err := ParseDay("valid_from", validFrom, false)
	if err != nil {
		return err
	}
	return crmcore.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM currency_rates WHERE code = $1 AND valid_from = $2`, currency, d.Format(time.DateOnly))
		if err != nil {
			return pgerr.Translate(err, "currency rate")
		}
		if tag.RowsAffected() == 0 {
			return apperr.NotFoundf("no rate of %s from %s", currency, validFrom)
		}
		var left int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM currency_rates WHERE code = $1`, currency).Scan(&left); err != nil {
			return pgerr.Translate(err, "currency rates")
		}
		if left == 0 {
			return &apperr.Error{Kind: apperr.Conflict, Code: "last_rate", Field: "valid_from",
				Message: "this is the currency's only rate: set another before removing it"}
		}
		return nil
	})
}

// Currency is one of the currencies table: code, Russian name, sign.
type Currency struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Symbol string `json:"symbol"`
}

// Currencies lists the currencies the CRM knows, by code.
func (s Store) Currencies(ctx context.Context) ([]Currency, error) {
	rows, err := s.DB.Query(ctx, `SELECT code, name, symbol FROM currencies ORDER BY code`)
	if err != nil {
		return nil, pgerr.Translate(err, "currencies")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Currency, error) {
		var c Currency
		return c, r.Scan(&c.Code, &c.Name, &c.Symbol)
	})
	return out, pgerr.Translate(err, "currencies")
}
