package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"testing"

	"github.com/voronka/voronka/olap"
)

// TestMain doubles as the ingest child process of the SIGKILL tests:
// with VORONKA_INGEST_CHILD set the test binary runs a Streamer from the
// environment until it is killed.
func TestMain(m *testing.M) {
	if os.Getenv("VORONKA_INGEST_CHILD") != "" {
		if err := runChild(); err != nil {
			fmt.Fprintln(os.Stderr, "ingest child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runChild() error {
	ctx := context.Background()
	db, err := olap.OpenCluster(ctx, os.Getenv("VORONKA_INGEST_CH_ADDR"), os.Getenv("VORONKA_INGEST_CH_DB"), os.Getenv("VORONKA_INGEST_CH_CLUSTER"))
	if err != nil {
		return err
	}
	batch, _ := strconv.Atoi(os.Getenv("VORONKA_INGEST_COPY_BATCH"))
	s, err := New(Config{PGURL: os.Getenv("VORONKA_INGEST_PG_URL"), Slot: os.Getenv("VORONKA_INGEST_SLOT"),
		CopyBatch: batch, CopyWorkers: 1, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}, db)
	if err != nil {
		return err
	}
	return s.Run(ctx)
}
