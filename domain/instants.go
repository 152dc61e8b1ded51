package domain

import "time"

// The instants Voronka stores: the analytics copy counts time in
// ClickHouse's DateTime (seconds from 1970 in 32 bits, to 2106-02-07), and
// reports work in whole days, so every date or time a user gives lies in
// [FirstInstant, EndInstant) — 1970-01-01 to 2105-12-31 UTC. Values outside
// are refused (422 out_of_range) rather than silently clamped.
var (
	FirstInstant = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	EndInstant   = time.Date(2106, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Storable reports whether t lies in [FirstInstant, EndInstant).
func Storable(t time.Time) bool { return !t.Before(FirstInstant) && t.Before(EndInstant) }

// StorableRange says the range in a message: "1970-01-01 – 2105-12-31".
const StorableRange = "1970-01-01 – 2105-12-31"
