package ingest

import (
	"bufio"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite testdata/pgoutput_capture.hex from the live server")

const captureFile = "testdata/pgoutput_capture.hex"

// captureSQL is the scripted workload; checkCapture knows, by hand, what
// the server must send for it.
var captureSQL = []string{
	`INSERT INTO currencies (code, name, symbol) VALUES ('KZT', 'Тенге', '₸')`,
	`UPDATE currencies SET symbol = 'T' WHERE code = 'KZT'`,
	`UPDATE currencies SET code = 'KZX' WHERE code = 'KZT'`,
	`DELETE FROM currencies WHERE code = 'KZX'`,
	`TRUNCATE deal_observers`,
	`INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
	 VALUES ('b@x.ru', 'Борис', 'admin', 'secret', '2024-01-02 03:04:05+00', '2024-01-02 03:04:05.5+03')`,
}

// TestCaptureLiveMessages streams the workload from a temporary slot on
// the real server and checks every decoded message; with -update it also
// stores the raw bytes for TestDecodeCapturedFixture.
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
	start, _ := ParseLSN(row[1])
	for _, q := range captureSQL {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := repl.startReplication(ctx, "capture_"+pg.Name, "voronka", start); err != nil {
		t.Fatal(err)
	}
	msgs := receiveCommits(t, ctx, repl, len(captureSQL))
	checkCapture(t, msgs)
	if *update {
		writeCapture(t, msgs)
	}
}

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
	checkCapture(t, msgs)
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
		if x, _ := parseCopyData(data); x != nil {
			if w, ok := x.(*XLogData); ok {
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
