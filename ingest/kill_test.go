package ingest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
)

// child is an ingest process (this test binary in child mode).
type child struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

func (e *env) startChild(copyBatch int) *child {
	e.t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
	c.cmd.Env = append(os.Environ(), "VORONKA_INGEST_CHILD=1",
		"VORONKA_INGEST_PG_URL="+e.pg.URL, "VORONKA_INGEST_CH_ADDR="+e.ch.Addr,
		"VORONKA_INGEST_CH_DB="+e.ch.Database, "VORONKA_INGEST_CH_CLUSTER="+e.ch.DB.Cluster(), "VORONKA_INGEST_SLOT="+e.slot,
		"VORONKA_INGEST_COPY_BATCH="+strconv.Itoa(copyBatch))
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
	if err := c.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		c.kill()
		if e.t.Failed() {
			e.t.Logf("ingest child's log:\n%s", c.out.String())
		}
	})
	return c
}

// kill sends SIGKILL: no deferred function, no final status update runs.
func (c *child) kill() {
	if c.cmd.ProcessState == nil {
		c.cmd.Process.Signal(syscall.SIGKILL)
		c.cmd.Wait()
	}
}

func (e *env) chCount(table string) int {
	n, _ := strconv.Atoi(e.chStrings("SELECT toString(count()) FROM " + e.ch.Database + "." + table)[0])
	return n
}

// TestKillDuringCopyAndLargeTransaction: the ingest process is killed
// with SIGKILL during the initial copy, and again while a large
// transaction streams; after each restart the mirror is complete and the
// reconcile check is clean.
func TestKillDuringCopyAndLargeTransaction(t *testing.T) {
	e := newEnv(t)
	e.seed(20000)
	c := e.startChild(100)
	waitFor(t, syncTimeout, "copying deals", func() bool { return e.chCount("deals") > 0 })
	c.kill()
	if n := e.chCount("deals"); n >= 20000 {
		t.Fatalf("copy finished (%d deals) before the kill", n)
	}
	e.exec(`DELETE FROM deals WHERE id <= 10`) // copied by the first attempt
	c = e.startChild(5000)
	e.waitSynced(syncTimeout, mirrored()...)

	e.exec(`BEGIN;
INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at)
SELECT id, pipeline_id, stage_id, created_at + g * interval '1 minute' FROM deals, generate_series(1, 2) g;
UPDATE deals SET amount = amount + 1;
COMMIT`)
	// Kill as soon as part of the transaction is in ClickHouse (its first
	// table written, the rest not yet).
	waitFor(t, syncTimeout, "the transaction's first rows", func() bool { return e.chCount("stage_changes") > 0 })
	c.kill()
	t.Logf("at the kill ClickHouse held %d stage_changes rows of 39980", e.chCount("stage_changes"))
	c = e.startChild(5000)
	e.waitSynced(syncTimeout, "deals", "stage_changes")
	e.verifyClean()
}

// verifyClean runs the reconcile check (`voronka ingest verify`).
func (e *env) verifyClean() {
	e.t.Helper()
	rep, err := Verify(context.Background(), e.pg.Pool, e.ch.DB)
	if err != nil {
		e.t.Fatalf("verify: %v", err)
	}
	if !rep.OK() {
		var b bytes.Buffer
		rep.WriteText(&b)
		e.t.Fatalf("verify found differences:\n%s", b.String())
	}
}
