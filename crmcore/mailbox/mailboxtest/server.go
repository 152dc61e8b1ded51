// Package mailboxtest runs a real IMAP server in-process for tests: the
// go-imap v2 server with its memory backend, spoken to over TCP.
package mailboxtest

import (
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// User and Password are the account of every test server.
const (
	User     = "sales"
	Password = "secret"
)

// Server starts an IMAP server on loopback with an empty INBOX for
// User/Password, stopped at the end of the test; it returns its address.
func Server(tb testing.TB) string {
	tb.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(User, Password)
	u.Create("INBOX", nil)
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		InsecureAuth: true,
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// Client is a signed-in client of the server at addr, closed at the end
// of the test.
func Client(tb testing.TB, addr string) *imapclient.Client {
	tb.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Login(User, Password).Wait(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// Deliver appends a message (LF line ends become CRLF) to INBOX.
func Deliver(tb testing.TB, c *imapclient.Client, raw string) {
	tb.Helper()
	raw = strings.ReplaceAll(raw, "\n", "\r\n")
	cmd := c.Append("INBOX", int64(len(raw)), nil)
	cmd.Write([]byte(raw))
	cmd.Close()
	if _, err := cmd.Wait(); err != nil {
		tb.Fatal(err)
	}
}

// Inbox starts a server holding msgs and returns its mailbox URL
// (imap://sales:secret@127.0.0.1:port/INBOX).
func Inbox(tb testing.TB, msgs ...string) string {
	tb.Helper()
	addr := Server(tb)
	c := Client(tb, addr)
	for _, m := range msgs {
		Deliver(tb, c, m)
	}
	return "imap://" + User + ":" + Password + "@" + addr + "/INBOX"
}
