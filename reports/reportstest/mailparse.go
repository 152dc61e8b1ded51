package reportstest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
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
