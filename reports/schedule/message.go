package schedule

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"time"

	"github.com/voronka/voronka/reports/xlsx"
)

// message is one export mail: a short summary and the workbook attached.
type message struct {
	From, To mail.Address
	Subject  string
	Body     string
	File     *file
	Date     time.Time
}

// write renders the message as MIME: multipart/mixed with a
// quoted-printable text part and the base64 attachment, streamed from
// the file on disk.
func (m message) write(w io.Writer) error {
	mw := multipart.NewWriter(w)
	fmt.Fprintf(w, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n",
		m.From.String(), m.To.String(), mime.QEncoding.Encode("utf-8", m.Subject), m.Date.Format(time.RFC1123Z))
	fmt.Fprintf(w, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n", mw.Boundary())
	text, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"}})
	if err != nil {
		return err
	}
	qp := quotedprintable.NewWriter(text)
	if _, err := io.WriteString(qp, m.Body); err != nil {
		return err
	}
	if err := qp.Close(); err != nil {
		return err
	}
	if err := m.attach(mw); err != nil {
		return err
	}
	return mw.Close()
}

// attach adds the workbook, its name RFC 2231-encoded (Cyrillic names
// survive every client).
func (m message) attach(mw *multipart.Writer) error {
	part, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {mime.FormatMediaType(xlsx.ContentType, map[string]string{"name": m.File.Name})},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": m.File.Name})},
		"Content-Transfer-Encoding": {"base64"}})
	if err != nil {
		return err
	}
	f, err := os.Open(m.File.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := base64.NewEncoder(base64.StdEncoding, &lineWriter{w: part})
	if _, err := io.Copy(enc, f); err != nil {
		return err
	}
	return enc.Close()
}

// lineWriter breaks base64 text into 76-character lines (RFC 2045).
type lineWriter struct {
	w   io.Writer
	col int
}

func (l *lineWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(76-l.col, len(p))
		if _, err := l.w.Write(p[:k]); err != nil {
			return n, err
		}
		n, p, l.col = n+k, p[k:], l.col+k
		if l.col == 76 {
			if _, err := l.w.Write([]byte("\r\n")); err != nil {
				return n, err
			}
			l.col = 0
		}
	}
	return n, nil
}
