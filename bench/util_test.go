// Package bench holds Voronka's benchmarks: seeding, the CRM API under
// concurrent load, the change stream, reports and dashboards side by side
// with hand-written ClickHouse SQL and PostgreSQL, Excel exports and the
// lead import. Figures and the commands that produced them are in
// BENCHMARKS.md.
package bench

import (
	"bytes"
	"io"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
