package logrepl_test

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/voronka/voronka/ingest/internal/logrepl/logrepltest"
)

// captureFile holds the workload logrepltest.CaptureSQL as PostgreSQL 15
// sent it, one message a line in hex; ingest's TestCaptureLiveMessages
// -update records it again from the live server.
const captureFile = "testdata/pgoutput_capture.hex"

// TestDecodeCapturedFixture decodes bytes captured from PostgreSQL 15.
func TestDecodeCapturedFixture(t *testing.T) {
	f, err := os.Open(captureFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var msgs [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		b, err := hex.DecodeString(strings.TrimSpace(sc.Text()))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, b)
	}
	logrepltest.CheckCapture(t, msgs)
}
