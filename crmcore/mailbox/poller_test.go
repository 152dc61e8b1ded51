package mailbox_test

import (
	"context"
	"mime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"golang.org/x/text/encoding/charmap"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/mailbox"
	"github.com/voronka/voronka/crmcore/mailbox/mailboxtest"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
)

func encode(t *testing.T, cm *charmap.Charmap, s string) string {
	t.Helper()
	b, err := cm.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// koi8Mail is a Russian plain-text message from an unknown sender, in
// KOI8-R with a MIME-encoded subject, signed by its company.
func koi8Mail(t *testing.T) string {
	subj := mime.BEncoding.Encode("koi8-r", encode(t, charmap.KOI8R, "Запрос цены на бумагу"))
	body := encode(t, charmap.KOI8R, "Добрый день!\nПришлите, пожалуйста, прайс.\n\n--\nСергей Волков\nООО \"Ромашка\", отдел закупок\n")
	return "From: =?utf-8?B?0KHQtdGA0LPQtdC5INCS0L7Qu9C60L7Qsg==?= <volkov@romashka-trade.ru>\nTo: sales@firm.ru\n" +
		"Subject: " + subj + "\nMessage-ID: <m1@romashka-trade.ru>\nDate: Mon, 03 Mar 2025 10:00:00 +0300\n" +
		"MIME-Version: 1.0\nContent-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n" + body
}

// cp1251HTMLMail is an HTML-only message in Windows-1251 (quoted-printable
// would be usual; 8bit is legal too) from the given address.
func cp1251HTMLMail(t *testing.T, from, id, subject string) string {
	body := encode(t, charmap.Windows1251, "<html><head><style>p{}</style></head><body><p>Счёт&nbsp;получили,</p><p>спасибо!</p></body></html>")
	return "From: " + from + "\nSubject: " + mime.QEncoding.Encode("windows-1251", encode(t, charmap.Windows1251, subject)) +
		"\nMessage-ID: <" + id + ">\nMIME-Version: 1.0\nContent-Type: text/html; charset=windows-1251\n" +
		"Content-Transfer-Encoding: 8bit\n\n" + body
}

func TestPollerTurnsMailIntoLeadsAndActivities(t *testing.T) {
	pg := testenv.NewPG(t)
	ctx := context.Background()
	s := crmcore.NewStore(pg.Pool)
	dir, err := s.CreateUser(ctx, crmcore.NewUser{Email: "boss@firm.ru", Name: "Орлова Марина", Role: "director", Password: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	mgr, _ := s.CreateUser(ctx, crmcore.NewUser{Email: "mgr@firm.ru", Name: "Иванов Иван", Role: "manager", Password: "secret"})
	contact, _ := s.CreateContact(ctx, domain.System, crmcore.NewContact{FirstName: "Анна", LastName: "Клиентова", Email: strp("Anna@Client.ru")})
	deal, err := s.CreateDeal(ctx, domain.System, crmcore.NewDeal{Title: "Поставка", Pipeline: "sales", Currency: "RUB",
		ResponsibleID: mgr.ID, ContactID: &contact.ID})
	if err != nil {
		t.Fatal(err)
	}
	lead, _ := s.CreateLead(ctx, domain.System, crmcore.NewLead{Title: "Старый лид", Source: "call", ResponsibleID: mgr.ID,
		Contact: crmcore.LeadContact{Name: "Пётр", Email: "petr@known.ru"}})

	addr := mailboxtest.Server(t)
	c := mailboxtest.Client(t, addr)
	mailboxtest.Deliver(t, c, koi8Mail(t))
	mailboxtest.Deliver(t, c, cp1251HTMLMail(t, "Анна <anna@client.ru>", "m2@client.ru", "Re: счёт"))
	mailboxtest.Deliver(t, c, cp1251HTMLMail(t, "petr@known.ru", "m3@known.ru", "Вопрос"))
	mailboxtest.Deliver(t, c, "From: someone@gmail.com\nSubject: Hi\nMessage-ID: <m4@gmail.com>\n\nplain ascii\n")
	mailboxtest.Deliver(t, c, koi8Mail(t)) // the same message again (same Message-ID)

	cfg, err := mailbox.ParseURL("imap://sales:secret@" + addr + "/INBOX?unseen=true&interval=1s")
	if err != nil {
		t.Fatal(err)
	}
	p := &mailbox.Poller{Store: s, Config: cfg}
	st, err := p.PollOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st != (mailbox.Stats{Seen: 5, Leads: 2, Activities: 2, Duplicates: 1}) {
		t.Errorf("stats %+v", st)
	}
	var title, name, email, company, source string
	var resp int64
	pg.Pool.QueryRow(ctx, `SELECT title, contact_name, contact_email, company_name, source, responsible_id FROM leads
WHERE contact_email = 'volkov@romashka-trade.ru'`).Scan(&title, &name, &email, &company, &source, &resp)
	if title != "Запрос цены на бумагу" || name != "Сергей Волков" || company != `ООО "Ромашка"` || source != "email" || resp != dir.ID {
		t.Errorf("KOI8-R lead: %q %q %q %q %d", title, name, company, source, resp)
	}
	var body string
	pg.Pool.QueryRow(ctx, `SELECT body FROM mail_messages WHERE message_id = 'm1@romashka-trade.ru'`).Scan(&body)
	if !strings.Contains(body, "Пришлите, пожалуйста, прайс.") {
		t.Errorf("body %q", body)
	}
	pg.Pool.QueryRow(ctx, `SELECT body FROM mail_messages WHERE message_id = 'm2@client.ru'`).Scan(&body)
	if body != "Счёт\u00a0получили,\nспасибо!" {
		t.Errorf("HTML body as text: %q", body)
	}
	count := func(q string, args ...any) int {
		var n int
		pg.Pool.QueryRow(ctx, q, args...).Scan(&n)
		return n
	}
	if count(`SELECT count(*) FROM activities WHERE deal_id = $1 AND type = 'email' AND direction = 'in' AND subject = 'Re: счёт' AND owner_id = $2`, deal.ID, mgr.ID) != 1 {
		t.Error("the reply of the deal's contact is not an activity on the deal")
	}
	if count(`SELECT count(*) FROM activities WHERE lead_id = $1 AND subject = 'Вопрос'`, lead.ID) != 1 {
		t.Error("the known lead's mail is not an activity on it")
	}
	if count(`SELECT count(*) FROM leads WHERE contact_email = 'someone@gmail.com' AND company_name = ''`) != 1 {
		t.Error("a free-mail sender makes a lead without a company")
	}
	if count(`SELECT count(*) FROM leads`) != 3 {
		t.Errorf("leads %d, want 3 (one before, two new)", count(`SELECT count(*) FROM leads`))
	}
	assertFlags(t, c, 5, imap.FlagSeen)
	if st, err := p.PollOnce(ctx); err != nil || st.Seen != 0 {
		t.Errorf("second poll: %+v %v", st, err)
	}
}

// assertFlags checks that each of the n messages of INBOX has flag.
func assertFlags(t *testing.T, c *imapclient.Client, n int, flag imap.Flag) {
	t.Helper()
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	var all imap.SeqSet
	all.AddRange(1, 0)
	msgs, err := c.Fetch(all, &imap.FetchOptions{Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != n {
		t.Fatalf("%d messages, want %d", len(msgs), n)
	}
	for _, m := range msgs {
		if !slices.Contains(m.Flags, flag) {
			t.Errorf("message %d flags %v, want %s", m.SeqNum, m.Flags, flag)
		}
	}
}

func TestPollerDeletesWhenAsked(t *testing.T) {
	pg := testenv.NewPG(t)
	s := crmcore.NewStore(pg.Pool)
	s.CreateUser(context.Background(), crmcore.NewUser{Email: "boss@firm.ru", Name: "Орлова", Role: "director", Password: "secret"})
	addr := mailboxtest.Server(t)
	c := mailboxtest.Client(t, addr)
	mailboxtest.Deliver(t, c, koi8Mail(t))
	cfg, _ := mailbox.ParseURL("imap://sales:secret@" + addr + "/INBOX?delete=true&responsible=boss@firm.ru")
	st, err := (&mailbox.Poller{Store: s, Config: cfg, Now: func() time.Time { return time.Now() }}).PollOnce(context.Background())
	if err != nil || st.Leads != 1 {
		t.Fatalf("poll %+v %v", st, err)
	}
	sel, err := c.Select("INBOX", nil).Wait()
	if err != nil || sel.NumMessages != 0 {
		t.Errorf("mailbox still holds %d messages (%v)", sel.NumMessages, err)
	}
}

func strp(s string) *string { return &s }
