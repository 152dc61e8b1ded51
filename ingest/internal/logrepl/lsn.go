package logrepl

import (
	"fmt"
)

// LSN is a PostgreSQL write-ahead log position (a byte offset into the
// WAL stream). Its text form is two hex numbers, "16/B374D848".
type LSN uint64

// String formats the LSN the way PostgreSQL does.
func (l LSN) String() string { return fmt.Sprintf("%X/%X", uint64(l)>>32, uint32(l)) }

// ParseLSN parses the "XXX/XXX" text form.
func ParseLSN(s string) (LSN, error) {
	var hi, lo uint32
	if _, err := fmt.Sscanf(s, "%X/%X", &hi, &lo); err != nil {
		return 0, fmt.Errorf("parse LSN %q: %w", s, err)
	}
	return LSN(uint64(hi)<<32 | uint64(lo)), nil
}
