package reportstest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message the test server accepted.
type Mail struct {
	From string
	To   []string
	Data []byte
	TLS  bool // sent after STARTTLS
}

// SMTPServer is an in-process SMTP server (emersion/go-smtp) offering
// STARTTLS on a self-signed certificate. It records what it accepts and
// refuses the first Refuse messages with 451 (a temporary failure).
type SMTPServer struct {
	Addr   string
	Client *tls.Config // trusts the server's certificate
	mu     sync.Mutex
	mails  []Mail
	refuse int
}

// NewSMTP starts a server on loopback, closed when the test ends.
func NewSMTP(tb testing.TB, refuse int) *SMTPServer {
	tb.Helper()
	cert, pool := selfSigned(tb)
	s := &SMTPServer{refuse: refuse, Client: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return s
}

// Mails is what the server has accepted so far.
func (s *SMTPServer) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

type session struct {
	s    *SMTPServer
	conn *smtp.Conn
	m    Mail
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error { x.m.From = from; return nil }
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error   { x.m.To = append(x.m.To, to); return nil }
func (x *session) Reset()                                      { x.m = Mail{} }
func (x *session) Logout() error                               { return nil }

// Data accepts the message, or refuses it while refusals are left.
func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.refuse > 0 {
		x.s.refuse--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	_, isTLS := x.conn.TLSConnectionState()
	x.m.Data, x.m.TLS = b, isTLS
	x.s.mails = append(x.s.mails, x.m)
	return nil
}

// selfSigned makes a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(tb testing.TB) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "voronka test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, pool
}

var errNoAttachment = errors.New("no attachment")
