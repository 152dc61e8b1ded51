package mailbox

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime"
	"regexp"
	"strings"
	"time"

	_ "github.com/emersion/go-message/charset" // KOI8-R, Windows-1251 and other legacy charsets
	"github.com/emersion/go-message/mail"

	"github.com/voronka/voronka/crmcore/intake"
)

// maxBody bounds the body text kept per message.
const maxBody = 64 << 10

// Parse decodes a raw RFC 5322 message: sender, subject (MIME words in
// any charset), the text/plain body (or the text of the HTML one), and a
// company (see Company).
func Parse(raw []byte, received time.Time) (intake.MailMessage, error) {
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if r == nil {
		return intake.MailMessage{}, fmt.Errorf("read message: %w", err)
	}
	m := intake.MailMessage{Received: received}
	if from, err := r.Header.AddressList("From"); err == nil && len(from) > 0 {
		m.FromAddr, m.FromName = from[0].Address, from[0].Name
	}
	if m.FromAddr == "" {
		return m, fmt.Errorf("message without a From address")
	}
	m.Subject, _ = r.Header.Subject()
	m.MessageID, _ = r.Header.MessageID()
	if m.MessageID == "" {
		m.MessageID = fmt.Sprintf("%s|%s|%d", m.FromAddr, m.Subject, received.Unix())
	}
	if d, err := r.Header.Date(); err == nil && !d.IsZero() {
		m.Received = d
	}
	m.Body = bodyText(r)
	m.Company = Company(m.Body, m.FromAddr)
	return m, nil
}

// bodyText is the first text/plain part, else the first text/html part
// turned into text.
func bodyText(r *mail.Reader) string {
	var plain, htm string
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		h, ok := p.Header.(*mail.InlineHeader)
		if !ok {
			continue
		}
		ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
		b, _ := io.ReadAll(io.LimitReader(p.Body, maxBody))
		switch {
		case (ct == "text/plain" || ct == "") && plain == "":
			plain = string(b)
		case ct == "text/html" && htm == "":
			htm = htmlText(string(b))
		}
	}
	return strings.TrimSpace(firstSet(plain, htm))
}

var (
	blockTags = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/tr|/li|/h[1-6])[^>]*>`)
	anyTag    = regexp.MustCompile(`(?s)<[^>]*>`)
	dropTags  = regexp.MustCompile(`(?is)<(script|style|head)[^>]*>.*?</(script|style|head)>`)
	blankRuns = regexp.MustCompile(`\n[ \t]*(\n[ \t]*)+`)
)

// htmlText is the visible text of an HTML body: scripts and styles
// dropped, line breaks kept, entities decoded.
func htmlText(h string) string {
	h = dropTags.ReplaceAllString(h, "")
	h = blockTags.ReplaceAllString(h, "\n")
	h = html.UnescapeString(anyTag.ReplaceAllString(h, ""))
	return blankRuns.ReplaceAllString(strings.TrimSpace(h), "\n")
}
