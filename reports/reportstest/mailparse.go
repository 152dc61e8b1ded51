package reportstest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
)

// Parsed is a received export mail, read with the standard library's
// MIME readers.
type Parsed struct {
	To, Subject, Body string
	FileName          string
	File              []byte
}

// ParseMail reads the text part and the one attachment of a message.
func ParseMail(data []byte) (Parsed, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Parsed{}, err
	}
	var p Parsed
	p.To = msg.Header.Get("To")
	p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return p, err
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return p, err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable itself
		if err == io.EOF {
			break
		}
		if err != nil {
			return p, err
		}
		if name := part.FileName(); name != "" {
			p.FileName = name
			p.File, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, part)) // skips line breaks
		} else {
			var b []byte
			b, err = io.ReadAll(part)
			p.Body = string(b)
		}
		if err != nil {
			return p, err
		}
	}
	if p.File == nil {
		return p, errNoAttachment
	}
	return p, nil
}

// ParseText reads a one-part text message (an alert): its subject and
// its decoded text.
func ParseText(data []byte) (Parsed, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Parsed{}, err
	}
	p := Parsed{To: msg.Header.Get("To")}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return p, err
	}
	var body io.Reader = msg.Body
	if msg.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
		body = quotedprintable.NewReader(msg.Body)
	}
	b, err := io.ReadAll(body)
	p.Body = string(b)
	return p, err
}
