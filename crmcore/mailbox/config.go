// Package mailbox is the mailbox intake channel's transport: it polls an
// IMAP account, decodes each new message and hands it to
// intake.ReceiveMail, which makes it a lead or an activity. It is a
// subpackage of crmcore (importing crmcore and intake, never the reverse)
// so the core and intake keep free of go-imap and go-message.
package mailbox

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Config is an IMAP account and how to poll it, parsed from a URL like
// imaps://user:pass@host/INBOX?unseen=true&delete=false&interval=30s&responsible=director@firm.ru
type Config struct {
	Addr        string        // host:port (993 for imaps, 143 for imap by default)
	TLS         bool          // imaps: TLS from the first byte; imap: plain (tests, local relays)
	User, Pass  string        // login
	Mailbox     string        // default INBOX
	Unseen      bool          // only messages without \Seen (default true)
	Delete      bool          // delete processed messages instead of flagging them \Seen
	Interval    time.Duration // between polls (default 30s, at least 1s)
	Responsible string        // e-mail of the user new leads go to ("" = first director)
}

// ParseURL reads a mailbox URL; errors name the part at fault.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("mailbox url: %w", err)
	}
	c := Config{Mailbox: "INBOX", Unseen: true, Interval: 30 * time.Second}
	port := "993"
	switch u.Scheme {
	case "imaps":
		c.TLS = true
	case "imap":
		port = "143"
	default:
		return Config{}, fmt.Errorf("mailbox url: scheme must be imaps or imap, got %q", u.Scheme)
	}
	if u.Hostname() == "" || u.User == nil || u.User.Username() == "" {
		return Config{}, fmt.Errorf("mailbox url: needs user:password@host")
	}
	c.Addr = u.Hostname() + ":" + firstSet(u.Port(), port)
	c.User = u.User.Username()
	c.Pass, _ = u.User.Password()
	if m := u.Path; len(m) > 1 {
		c.Mailbox = m[1:]
	}
	return c, c.query(u.Query())
}

func (c *Config) query(q url.Values) error {
	var err error
	for name, dst := range map[string]*bool{"unseen": &c.Unseen, "delete": &c.Delete} {
		if v := q.Get(name); v != "" {
			if *dst, err = strconv.ParseBool(v); err != nil {
				return fmt.Errorf("mailbox url: %s must be true or false", name)
			}
		}
	}
	if v := q.Get("interval"); v != "" {
		if c.Interval, err = time.ParseDuration(v); err != nil || c.Interval < time.Second {
			return fmt.Errorf("mailbox url: interval must be a duration of at least 1s, like 30s")
		}
	}
	c.Responsible = q.Get("responsible")
	return nil
}

// Redacted is the URL with the password masked, for logs.
func (c Config) Redacted() string {
	scheme := "imap"
	if c.TLS {
		scheme = "imaps"
	}
	return fmt.Sprintf("%s://%s:***@%s/%s?unseen=%t&delete=%t&interval=%s", scheme, c.User, c.Addr, c.Mailbox,
		c.Unseen, c.Delete, c.Interval)
}

func firstSet(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
