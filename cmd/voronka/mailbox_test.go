package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/voronka/voronka/crmcore/mailbox/mailboxtest"
	"github.com/voronka/voronka/internal/testenv"
)

// TestServePollsMailbox: `voronka serve` with VORONKA_IMAP_URL turns a
// message waiting on a real (in-process) IMAP server into a lead.
func TestServePollsMailbox(t *testing.T) {
	pg := testenv.NewPG(t)
	inbox := mailboxtest.Inbox(t, "From: Ольга <olga@stroy.ru>\nSubject: Заявка\nMessage-ID: <s1@stroy.ru>\n\nНужна смета\n")
	vars := map[string]string{"VORONKA_PG_URL": pg.URL, "VORONKA_CH_DATABASE": testenv.NewCH(t).Database,
		"VORONKA_HTTP_ADDR": freeAddr(t), "VORONKA_LOG_LEVEL": "warn", "VORONKA_NO_INGEST": "1",
		"VORONKA_IMAP_URL": inbox + "?interval=1s"}
	if _, err := runCLI(t, vars, "user", "add", "--email", "dir@example.ru", "--name", "Директор", "--role", "director", "--password", "пароль1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, cliGetenv(vars), io.Discard, io.Discard) }()
	waitFor(t, "the mailed lead", func() bool {
		var n int
		pg.Pool.QueryRow(context.Background(), `SELECT count(*) FROM leads WHERE source = 'email' AND contact_email = 'olga@stroy.ru' AND title = 'Заявка'`).Scan(&n)
		return n == 1
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	vars["VORONKA_IMAP_URL"] = "pop3://x@y"
	if _, err := runCLI(t, vars, "serve"); err == nil || !strings.Contains(err.Error(), "VORONKA_IMAP_URL") {
		t.Errorf("a bad mailbox URL: %v", err)
	}
}
