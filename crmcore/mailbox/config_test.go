package mailbox_test

import (
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore/mailbox"
)

func TestParseURL(t *testing.T) {
	c, err := mailbox.ParseURL("imaps://sales%40firm.ru:p%40ss@mail.firm.ru/Входящие?unseen=false&delete=true&interval=2m&responsible=boss@firm.ru")
	if err != nil {
		t.Fatal(err)
	}
	want := mailbox.Config{Addr: "mail.firm.ru:993", TLS: true, User: "sales@firm.ru", Pass: "p@ss", Mailbox: "Входящие",
		Unseen: false, Delete: true, Interval: 2 * time.Minute, Responsible: "boss@firm.ru"}
	if c != want {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
	d, _ := mailbox.ParseURL("imap://u:p@localhost")
	if d.Addr != "localhost:143" || d.Mailbox != "INBOX" || !d.Unseen || d.Delete || d.Interval != 30*time.Second {
		t.Errorf("defaults %+v", d)
	}
	for _, bad := range []string{"pop3://u:p@h", "imaps://h/INBOX", "imaps://u:p@h?unseen=maybe", "imaps://u:p@h?interval=10ms", "imaps://u:p@h?interval=soon"} {
		if _, err := mailbox.ParseURL(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if r := c.Redacted(); r != "imaps://sales@firm.ru:***@mail.firm.ru:993/Входящие?unseen=false&delete=true&interval=2m0s" {
		t.Errorf("redacted %s", r)
	}
}

func TestCompany(t *testing.T) {
	for _, c := range []struct{ body, from, want string }{
		{"Спасибо.\n--\nИван\nООО «Вектор»", "ivan@mail.ru", "ООО «Вектор»"},
		{"С уважением,\nПётр, АО \"Лютик\"\nтел. 123", "p@lutik.ru", `АО "Лютик"`},
		{"Regards,\nJohn\nAcme LLC", "john@gmail.com", "Acme LLC"},
		{"Привет", "anna@romashka.ru", "romashka"},
		{"Привет", "anna@yandex.ru", ""},
		{"> ООО «Старое»\nПривет", "x@bk.ru", ""},
	} {
		if got := mailbox.Company(c.body, c.from); got != c.want {
			t.Errorf("Company(%q, %s) = %q, want %q", c.body, c.from, got, c.want)
		}
	}
}
