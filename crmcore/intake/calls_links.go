package intake

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
)

// callLink is what a call is linked to: the contact its number matched
// and the deal or lead the activity goes on.
type callLink struct {
	contactID, dealID, leadID *int64
}

// callLinks finds, for the phone keys of a file (crmcore.PhoneKey, the
// duplicate control's), in three queries: the contact with that number
// (the oldest when several have it); its open deal when it has exactly
// one; else the newest open lead (not converted, not disqualified) with
// that number or of that contact.
func callLinks(ctx context.Context, q crmcore.Querier, keys []string) (map[string]callLink, error) {
	// Each key is one lookup in the key's expression index (LATERAL, and
	// array_agg: min() would become a walk of the primary key computing
	// every contact's key, ~50 µs each, as would a join).
	const contactsQ = `
SELECT k.k, c.ids
FROM unnest($1::text[]) AS k (k)
CROSS JOIN LATERAL (SELECT array_agg(c.id) AS ids FROM contacts c WHERE voronka_phone_key(c.phone) = k.k) c
WHERE c.ids IS NOT NULL`
	contacts, err := keyLowest(ctx, q, contactsQ, keys, false)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(contacts))
	for _, id := range contacts {
		ids = append(ids, id)
	}
	const dealsQ = `
SELECT d.contact_id, min(d.id)
FROM deals d
JOIN stages st ON st.id = d.stage_id
WHERE d.contact_id = ANY($1::bigint[]) AND st.kind NOT IN ('won', 'lost')
GROUP BY d.contact_id
HAVING count(*) = 1`
	deals, err := idIDs(ctx, q, dealsQ, ids)
	if err != nil {
		return nil, err
	}
	const leadsByPhoneQ = `
SELECT k.k, l.ids
FROM unnest($1::text[]) AS k (k)
CROSS JOIN LATERAL (SELECT array_agg(l.id) AS ids
                    FROM leads l
                    JOIN stages st ON st.id = l.stage_id
                    WHERE voronka_phone_key(l.contact_phone) = k.k AND st.kind NOT IN ('won', 'lost')) l
WHERE l.ids IS NOT NULL`
	leadsByPhone, err := keyLowest(ctx, q, leadsByPhoneQ, keys, true)
	if err != nil {
		return nil, err
	}
	const leadsByContactQ = `
SELECT l.contact_id, max(l.id)
FROM leads l
JOIN stages st ON st.id = l.stage_id
WHERE l.contact_id = ANY($1::bigint[]) AND st.kind NOT IN ('won', 'lost')
GROUP BY l.contact_id`
	leadsByContact, err := idIDs(ctx, q, leadsByContactQ, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]callLink, len(keys))
	for _, k := range keys {
		var l callLink
		c, hasContact := contacts[k]
		if hasContact {
			l.contactID = ptr(c)
			if d, ok := deals[c]; ok {
				l.dealID = ptr(d)
				out[k] = l
				continue
			}
		}
		lead := leadsByPhone[k]
		if hasContact && leadsByContact[c] > lead {
			lead = leadsByContact[c]
		}
		if lead != 0 {
			l.leadID = ptr(lead)
		}
		out[k] = l
	}
	return out, nil
}

func ptr(id int64) *int64 { return &id }

// keyIDs runs a query of (text key, id) pairs.
func keyIDs(ctx context.Context, q crmcore.Querier, sql string, args ...any) (map[string]int64, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	m := map[string]int64{}
	var k string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&k, &id}, func() error { m[k] = id; return nil })
	return m, err
}

// keyLowest runs a query of (text key, ids) pairs: per key the lowest
// id, or the highest when highest.
func keyLowest(ctx context.Context, q crmcore.Querier, sql string, keys []string, highest bool) (map[string]int64, error) {
	rows, err := q.Query(ctx, sql, keys)
	if err != nil {
		return nil, err
	}
	m := map[string]int64{}
	var k string
	var ids []int64
	_, err = pgx.ForEachRow(rows, []any{&k, &ids}, func() error {
		best := ids[0]
		for _, id := range ids {
			if highest && id > best || !highest && id < best {
				best = id
			}
		}
		m[k] = best
		return nil
	})
	return m, err
}

// idIDs runs a query of (id, id) pairs over ids.
func idIDs(ctx context.Context, q crmcore.Querier, sql string, ids []int64) (map[int64]int64, error) {
	rows, err := q.Query(ctx, sql, ids)
	if err != nil {
		return nil, err
	}
	m := map[int64]int64{}
	var k, id int64
	_, err = pgx.ForEachRow(rows, []any{&k, &id}, func() error { m[k] = id; return nil })
	return m, err
}

// userExtensions maps each active user's extension to the user.
func userExtensions(ctx context.Context, q crmcore.Querier) (map[string]int64, error) {
	return keyIDs(ctx, q, `SELECT extension, id FROM users WHERE extension IS NOT NULL AND active`)
}

// importedCalls maps the source keys among keys already imported to
// their activities.
func importedCalls(ctx context.Context, q crmcore.Querier, keys []string) (map[string]int64, error) {
	return keyIDs(ctx, q, `SELECT source_key, activity_id FROM call_imports WHERE source_key = ANY($1::text[])`, keys)
}
