package ingest

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/ingest/internal/logrepl/logrepltest"
	"github.com/voronka/voronka/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite "+captureFile+" from the live server")

// captureFile is the decoder's fixture, which its own
// TestDecodeCapturedFixture decodes.
const captureFile = "internal/logrepl/testdata/pgoutput_capture.hex"

// TestCaptureLiveMessages streams the workload from a temporary slot on
// the real server and checks every decoded message; with -update it also
// stores the raw bytes for logrepl's TestDecodeCapturedFixture.
func TestCaptureLiveMessages(t *testing.T) {
	pg := testenv.NewPG(t)
	// Creating a logical slot waits for every transaction open anywhere
	// in the cluster to end: allow for other tests' long transactions.
	ctx, cancel := context.WithTimeout(context.Background(), syncTimeout)
	defer cancel()
	conn, err := connectPG(ctx, pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := ensurePublication(ctx, conn, "voronka"); err != nil {
		t.Fatal(err)
	}
	repl, err := dialRepl(ctx, pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer repl.Close()
	row, err := repl.command(ctx, "CREATE_REPLICATION_SLOT capture_"+pg.Name+" TEMPORARY LOGICAL pgoutput (SNAPSHOT 'nothing')")
	if err != nil {
		t.Fatal(err)
	}
	start, _ := logrepl.ParseLSN(row[1])
	for _, q := range logrepltest.CaptureSQL {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := repl.startReplication(ctx, "capture_"+pg.Name, "voronka", start); err != nil {
		t.Fatal(err)
	}
	msgs := receiveCommits(t, ctx, repl, len(logrepltest.CaptureSQL))
	logrepltest.CheckCapture(t, msgs)
	if *update {
		writeCapture(t, msgs)
	}
}

func receiveCommits(t *testing.T, ctx context.Context, repl *replConn, commits int) [][]byte {
	t.Helper()
	var msgs [][]byte
	for commits > 0 {
		data, err := repl.receive(ctx, time.Now().Add(time.Second))
		if err == errIdle {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if x, _ := logrepl.ParseCopyData(data); x != nil {
			if w, ok := x.(*logrepl.XLogData); ok {
				msgs = append(msgs, append([]byte(nil), w.Data...))
				if w.Data[0] == 'C' {
					commits--
				}
			}
		}
	}
	return msgs
}

func writeCapture(t *testing.T, msgs [][]byte) {
	var b strings.Builder
	for _, m := range msgs {
		fmt.Fprintln(&b, hex.EncodeToString(m))
	}
	if err := os.WriteFile(captureFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
