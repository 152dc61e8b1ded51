// Package bench holds Voronka's benchmarks: seeding, the CRM API under
// concurrent load, and (as later issues land) ingest, reports and exports.
// Figures and the commands that produced them are in BENCHMARKS.md.
package bench

import (
	"bytes"
	"io"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
