package mailbox

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/intake"
)

// Poller reads new messages of one IMAP mailbox into the CRM. A message
// is flagged \Seen (or deleted and expunged, when Config.Delete) only
// after intake.ReceiveMail committed it; a message it saw before (same
// Message-ID) is flagged without a second lead.
type Poller struct {
	Store  *crmcore.Store
	Config Config
	Log    *slog.Logger
	TLS    *tls.Config // for imaps; nil = system roots, server name from Addr
	Now    func() time.Time
}

// Stats counts one poll's messages.
type Stats struct {
	Seen, Leads, Activities, Duplicates, Failed int
}

// Run polls every Config.Interval until ctx ends; a failed poll is
// logged and retried at the next tick.
func (p *Poller) Run(ctx context.Context) error {
	log := p.logger()
	log.Info("mailbox intake started", "mailbox", p.Config.Redacted())
	t := time.NewTicker(p.Config.Interval)
	defer t.Stop()
	for {
		if st, err := p.PollOnce(ctx); err != nil {
			log.Warn("mailbox poll failed", "err", err)
		} else if st.Seen > 0 {
			log.Info("mailbox poll", "messages", st.Seen, "leads", st.Leads, "activities", st.Activities,
				"duplicates", st.Duplicates, "failed", st.Failed)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (p *Poller) logger() *slog.Logger {
	if p.Log == nil {
		return slog.Default()
	}
	return p.Log
}

// dial opens and logs in.
func (p *Poller) dial() (*imapclient.Client, error) {
	var c *imapclient.Client
	var err error
	if p.Config.TLS {
		c, err = imapclient.DialTLS(p.Config.Addr, &imapclient.Options{TLSConfig: p.TLS})
	} else {
		c, err = imapclient.DialInsecure(p.Config.Addr, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", p.Config.Addr, err)
	}
	if err := c.Login(p.Config.User, p.Config.Pass).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("login as %s: %w", p.Config.User, err)
	}
	return c, nil
}

// PollOnce reads every new message once: connect, select, search, then
// fetch, record and flag each message in turn.
func (p *Poller) PollOnce(ctx context.Context) (Stats, error) {
	var st Stats
	c, err := p.dial()
	if err != nil {
		return st, err
	}
	defer c.Close()
	if _, err := c.Select(p.Config.Mailbox, nil).Wait(); err != nil {
		return st, fmt.Errorf("select %s: %w", p.Config.Mailbox, err)
	}
	crit := &imap.SearchCriteria{}
	if p.Config.Unseen {
		crit.NotFlag = []imap.Flag{imap.FlagSeen}
	}
	found, err := c.UIDSearch(crit, nil).Wait()
	if err != nil {
		return st, fmt.Errorf("search: %w", err)
	}
	for _, uid := range found.AllUIDs() {
		if ctx.Err() != nil {
			break
		}
		st.Seen++
		if err := p.one(ctx, c, uid, &st); err != nil {
			st.Failed++
			p.logger().Warn("mailbox message not taken", "uid", uid, "err", err)
		}
	}
	if p.Config.Delete && st.Seen > st.Failed {
		if err := c.Expunge().Close(); err != nil {
			return st, fmt.Errorf("expunge: %w", err)
		}
	}
	return st, c.Logout().Wait()
}

// one fetches, records and flags one message.
func (p *Poller) one(ctx context.Context, c *imapclient.Client, uid imap.UID, st *Stats) error {
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, InternalDate: true,
		BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil || len(msgs) == 0 {
		return fmt.Errorf("fetch: %v", err)
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	received := msgs[0].InternalDate
	if received.IsZero() {
		received = now()
	}
	m, err := Parse(msgs[0].FindBodySection(section), received)
	if err != nil {
		return err
	}
	out, err := intake.ReceiveMail(ctx, p.Store, m, p.Config.Responsible)
	if err != nil {
		return err
	}
	switch {
	case out.Duplicate:
		st.Duplicates++
	case out.NewLead:
		st.Leads++
	default:
		st.Activities++
	}
	flag := imap.FlagSeen
	if p.Config.Delete {
		flag = imap.FlagDeleted
	}
	return c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true,
		Flags: []imap.Flag{flag}}, nil).Close()
}
