package intake

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/pgerr"
)

// MailMessage is one incoming e-mail as the mailbox reader decoded it.
type MailMessage struct {
	MessageID string
	FromAddr  string
	FromName  string
	Subject   string
	Body      string // plain text
	Company   string // parsed from the signature or the sender's domain; may be empty
	Received  time.Time
}

// MailOutcome says what a message became.
type MailOutcome struct {
	Duplicate  bool  // already processed (same Message-ID): nothing done
	NewLead    bool  // a lead was created for it
	LeadID     int64 // the lead it belongs to, if any
	DealID     int64 // the deal it belongs to, if any
	ActivityID int64 // the incoming e-mail activity recorded
}

// ReceiveMail turns a message into CRM records, through s, in one
// transaction: an incoming e-mail activity on the newest deal (open
// first) whose contact has the sender's address, else on the newest lead
// with that address, else on a new lead (source email) for responsible —
// a user's e-mail, or "" for the first active director (then admin). A
// message already processed (by Message-ID) changes nothing.
func ReceiveMail(ctx context.Context, s *crmcore.Store, m MailMessage, responsible string) (MailOutcome, error) {
	var out MailOutcome
	err := crmcore.InTx(ctx, s.DB(), func(tx pgx.Tx) error {
		out = MailOutcome{} // a retried attempt starts afresh
		var msgRow int64
		err := tx.QueryRow(ctx, `
INSERT INTO mail_messages (message_id, from_addr, from_name, subject, body, received_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (message_id) DO NOTHING
RETURNING id`, m.MessageID, m.FromAddr, m.FromName, m.Subject, m.Body, m.Received).Scan(&msgRow)
		if err == pgx.ErrNoRows {
			out.Duplicate = true
			return nil
		}
		if err != nil {
			return pgerr.Translate(err, "mail message")
		}
		owner, err := mailTarget(ctx, s, tx, m, responsible, &out)
		if err != nil {
			return err
		}
		if err := insertMailActivity(ctx, tx, m, owner, &out); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE mail_messages SET lead_id = $2, activity_id = $3 WHERE id = $1`,
			msgRow, nullZero(out.LeadID), out.ActivityID)
		return err
	})
	return out, err
}

// mailTarget finds (or creates) the deal or lead of a message and
// returns the user who owns its activity.
func mailTarget(ctx context.Context, s *crmcore.Store, tx pgx.Tx, m MailMessage, responsible string, out *MailOutcome) (int64, error) {
	key := crmcore.EmailKey(m.FromAddr)
	var owner int64
	err := tx.QueryRow(ctx, `
SELECT d.id, d.responsible_id
FROM deals d
JOIN contacts c ON c.id = d.contact_id
JOIN stages s ON s.id = d.stage_id
WHERE voronka_email_key(c.email) = $1
ORDER BY (s.kind = 'open') DESC, d.created_at DESC, d.id DESC
LIMIT 1`, key).Scan(&out.DealID, &owner)
	if err != pgx.ErrNoRows {
		return owner, err
	}
	err = tx.QueryRow(ctx, `
SELECT l.id, l.responsible_id
FROM leads l
WHERE l.id IN (SELECT id FROM leads WHERE voronka_email_key(contact_email) = $1
               UNION ALL
               SELECT x.id FROM leads x JOIN contacts c ON c.id = x.contact_id WHERE voronka_email_key(c.email) = $1)
ORDER BY l.created_at DESC, l.id DESC
LIMIT 1`, key).Scan(&out.LeadID, &owner)
	if err != pgx.ErrNoRows {
		return owner, err
	}
	return mailLead(ctx, s, tx, m, responsible, out)
}

// mailLead creates the lead of a message from an unknown sender.
func mailLead(ctx context.Context, s *crmcore.Store, tx pgx.Tx, m MailMessage, responsible string, out *MailOutcome) (int64, error) {
	var owner int64
	err := tx.QueryRow(ctx, `
SELECT id FROM users
WHERE active AND (CASE WHEN $1 = '' THEN role IN ('director', 'admin') ELSE lower(email) = lower($1) END)
ORDER BY role = 'director' DESC, id
LIMIT 1`, responsible).Scan(&owner)
	if err != nil {
		return 0, pgerr.Translate(err, "mail responsible "+responsible)
	}
	pl, err := s.Pipeline(ctx, crmcore.LeadPipeline, "status")
	if err != nil {
		return 0, err
	}
	in := crmcore.NewLead{Title: clip(firstNonEmpty(strings.TrimSpace(m.Subject), "Письмо от "+m.FromAddr)),
		Source: "email", ResponsibleID: owner,
		Contact: crmcore.LeadContact{Name: clip(m.FromName), Email: clip(m.FromAddr)}, Company: crmcore.LeadCompany{Name: clip(m.Company)}}
	out.LeadID, err = s.InsertLead(ctx, tx, domain.System, pl.First(), in)
	out.NewLead = err == nil
	return owner, err
}

// insertMailActivity records the message as a done incoming e-mail.
func insertMailActivity(ctx context.Context, tx pgx.Tx, m MailMessage, owner int64, out *MailOutcome) error {
	const q = `
INSERT INTO activities (type, subject, owner_id, deal_id, lead_id, direction, done_at, created_at, updated_at)
VALUES ('email', $1, $2, $3, $4, 'in', $5, $5, $5)
RETURNING id`
	subject := clip(firstNonEmpty(strings.TrimSpace(m.Subject), "(без темы)"))
	err := tx.QueryRow(ctx, q, subject, owner, nullZero(out.DealID), nullZero(out.LeadID), m.Received).Scan(&out.ActivityID)
	return pgerr.Translate(err, "activity")
}

// clip cuts text to MaxTitle characters.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= domain.MaxTitle {
		return s
	}
	return string([]rune(s)[:domain.MaxTitle])
}

func nullZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
