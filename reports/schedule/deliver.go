package schedule

import (
	"context"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/xlsx"
)

// file is a workbook rendered for a run, in a temporary file.
type file struct {
	Path  string
	Name  string // the name it is delivered under
	Rows  int
	Bytes int64
	Res   *reports.Result
}

// job is what one run delivers: the schedule, its report and the engine
// whose clock is the scheduled instant.
type job struct {
	sch   Schedule
	run   Run
	name  string // the report's name in the schedule's language
	def   reports.Definition
	eng   *engine.Engine
	owner domain.Principal
	body  string // the message's text when not the summary (a digest's)
}

// render writes the report read with who's access to a temporary file.
func (svc *Service) render(ctx context.Context, j *job, who domain.Principal) (*file, error) {
	tmp, err := os.CreateTemp("", "voronka-export-*.xlsx")
	if err != nil {
		return nil, err
	}
	defer tmp.Close()
	def := j.def
	rep := xlsx.Report{Name: j.name, Lang: j.sch.Lang, Def: &def, Now: svc.now()}
	res, rows, err := xlsx.Export(ctx, j.eng, who, rep, xlsx.Options{}, tmp)
	if err != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("render %s for %s: %w", j.sch.ReportID, who.Email, err)
	}
	size, _ := tmp.Seek(0, io.SeekCurrent)
	return &file{Path: tmp.Name(), Name: xlsx.FileName(j.name, res.Meta, &def), Rows: rows, Bytes: size, Res: res}, nil
}

// via is how a schedule delivers: auto means e-mail when SMTP is set up.
func (svc *Service) via(s Schedule) string {
	if s.Delivery == DeliveryAuto {
		if svc.Mailer != nil {
			return DeliveryEmail
		}
		return DeliveryFolder
	}
	return s.Delivery
}

// deliver sends f to u and says where it went.
func (svc *Service) deliver(ctx context.Context, j *job, u domain.Principal, f *file) (Sent, error) {
	s := Sent{UserID: u.UserID, Via: svc.via(j.sch), FileName: f.Name, Rows: f.Rows, Bytes: f.Bytes, DeliveredAt: svc.now()}
	if s.Via == DeliveryFolder {
		path, err := svc.toFolder(j, u, f)
		s.Target = path
		return s, err
	}
	if svc.Mailer == nil {
		return s, fmt.Errorf("delivery by e-mail but no SMTP server is configured (VORONKA_SMTP_URL)")
	}
	s.Target = u.Email
	msg := message{From: mail.Address{Name: "Voronka", Address: svc.Mailer.From}, To: mail.Address{Name: u.Name, Address: u.Email},
		Subject: "Voronka: " + j.name + periodSuffix(f), Body: j.text(u, f), File: f, Date: svc.now()}
	return s, svc.Mailer.Send(ctx, u.Email, msg.write)
}

// toFolder copies f to Dir/<schedule>/<recipient>/<report period>.xlsx
// (the recipient level only for per-recipient schedules), through a
// temporary name so a reader never sees half a file.
func (svc *Service) toFolder(j *job, u domain.Principal, f *file) (string, error) {
	dir := filepath.Join(svc.Dir, xlsx.SafeName(fmt.Sprintf("%d %s", j.sch.ID, j.sch.Name)))
	if j.sch.PerRecipient {
		dir = filepath.Join(dir, xlsx.SafeName(u.Email))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, f.Name)
	src, err := os.Open(f.Path)
	if err != nil {
		return dst, err
	}
	defer src.Close()
	part, err := os.CreateTemp(dir, ".part-*")
	if err != nil {
		return dst, err
	}
	_, err = io.Copy(part, src)
	if cerr := part.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(part.Name(), dst)
	}
	if err != nil {
		os.Remove(part.Name())
	}
	return dst, err
}

// periodSuffix is " — 01.02.2025–28.02.2025" from the file name's period.
func periodSuffix(f *file) string {
	name := strings.TrimSuffix(f.Name, ".xlsx")
	if i := strings.LastIndex(name, " "); i > 0 && strings.Contains(name[i:], "–") {
		return " —" + name[i:]
	}
	return ""
}

// summaryText is the mail's text in both languages; its verbs take the
// recipient, the report, the period suffix, the rows, the schedule, its
// cron and its time zone.
var summaryText = i18n.T(
	"Здравствуйте, %s!\r\n\r\nВо вложении отчёт «%s»%s: строк — %d, по вашим правам доступа.\r\nРасписание «%s» (%s, %s).\r\n\r\nВоронка\r\n",
	"Hello, %s.\r\n\r\nThe report \"%s\"%s is attached: %d rows, read with your access.\r\nSchedule \"%s\" (%s, %s).\r\n\r\nVoronka\r\n")

// text is the job's message: its own body (a digest's), else the
// summary.
func (j *job) text(u domain.Principal, f *file) string {
	if j.body != "" {
		return j.body
	}
	return summary(j, u, f)
}

// summary is the mail's text: what the file holds and for whom.
func summary(j *job, u domain.Principal, f *file) string {
	return fmt.Sprintf(summaryText.In(j.sch.Lang), u.Name, j.name, periodSuffix(f), f.Rows, j.sch.Name, j.sch.Cron, j.sch.Timezone)
}
