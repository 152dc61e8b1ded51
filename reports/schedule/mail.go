package schedule

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"net/url"
	"time"
)

// Mailer sends export mail through one SMTP server. It always encrypts:
// smtps:// starts with TLS, smtp:// must offer STARTTLS (unless the URL
// says ?starttls=off, for a relay on the same host). Credentials from
// the URL are sent with AUTH PLAIN, only over TLS.
type Mailer struct {
	Addr     string // host:port
	Host     string
	User     string
	Password string
	From     string
	Implicit bool        // smtps: TLS from the first byte
	NoTLS    bool        // ?starttls=off
	TLS      *tls.Config // nil: the system's roots, ServerName Host
	Timeout  time.Duration
}

// ParseSMTPURL reads VORONKA_SMTP_URL:
// smtp://user:pass@host:587?from=reports@example.ru (port 587 by default,
// 465 for smtps; from defaults to voronka@host).
func ParseSMTPURL(s string) (*Mailer, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("want smtp://user:pass@host:port or smtps://…")
	}
	m := &Mailer{Host: u.Hostname(), Implicit: u.Scheme == "smtps", From: u.Query().Get("from"),
		NoTLS: u.Query().Get("starttls") == "off", Timeout: time.Minute}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "465", false: "587"}[m.Implicit]
	}
	m.Addr = net.JoinHostPort(m.Host, port)
	if u.User != nil {
		m.User = u.User.Username()
		m.Password, _ = u.User.Password()
	}
	if m.From == "" {
		m.From = "voronka@" + m.Host
	}
	return m, nil
}

func (m *Mailer) tlsConfig() *tls.Config {
	if m.TLS != nil {
		return m.TLS
	}
	return &tls.Config{ServerName: m.Host, MinVersion: tls.VersionTLS12}
}

// Send delivers one message to one address; body writes the message
// (headers included).
func (m *Mailer) Send(ctx context.Context, to string, body func(io.Writer) error) error {
	c, err := m.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := m.secure(c); err != nil {
		return err
	}
	if err := c.Mail(m.From); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp RCPT TO %s: %w", to, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := body(w); err != nil {
		return fmt.Errorf("smtp message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp message refused: %w", err)
	}
	return c.Quit()
}

// dial connects (with TLS for smtps) and greets.
func (m *Mailer) dial(ctx context.Context) (*smtp.Client, error) {
	d := &net.Dialer{Timeout: m.Timeout}
	conn, err := d.DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return nil, fmt.Errorf("smtp connect %s: %w", m.Addr, err)
	}
	if m.Implicit {
		conn = tls.Client(conn, m.tlsConfig())
	}
	if m.Timeout > 0 {
		_ = conn.SetDeadline(time.Now().Add(m.Timeout))
	}
	c, err := smtp.NewClient(conn, m.Host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("smtp greeting: %w", err)
	}
	return c, nil
}

// secure upgrades with STARTTLS (required unless NoTLS) and
// authenticates when the URL has a user.
func (m *Mailer) secure(c *smtp.Client) error {
	if !m.Implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(m.tlsConfig()); err != nil {
				return fmt.Errorf("smtp STARTTLS: %w", err)
			}
		} else if !m.NoTLS {
			return fmt.Errorf("smtp server %s does not offer STARTTLS", m.Addr)
		}
	}
	if m.User == "" {
		return nil
	}
	if err := c.Auth(smtp.PlainAuth("", m.User, m.Password, m.Host)); err != nil {
		return fmt.Errorf("smtp AUTH: %w", err)
	}
	return nil
}
