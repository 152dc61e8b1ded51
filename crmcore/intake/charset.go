package intake

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/voronka/voronka/internal/apperr"
)

// Encodings a file may be read in; "" or "auto" detects.
const (
	EncodingAuto   = "auto"
	EncodingUTF8   = "utf-8"
	EncodingCP1251 = "cp1251"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// normEncoding maps accepted spellings to the constants above.
func normEncoding(e string) (string, error) {
	switch e {
	case "", EncodingAuto:
		return EncodingAuto, nil
	case "utf-8", "utf8", "UTF-8", "UTF8":
		return EncodingUTF8, nil
	case "cp1251", "windows-1251", "CP1251", "Windows-1251", "win1251":
		return EncodingCP1251, nil
	}
	return "", apperr.Field("encoding", "invalid_value", "must be one of: auto, utf-8, cp1251")
}

// ToUTF8 decodes data in the given encoding (auto: a UTF-8 BOM or valid
// UTF-8 is UTF-8, anything else is Windows-1251, which Excel writes on
// Russian Windows) and returns the text and the encoding used.
func ToUTF8(data []byte, encoding string) (string, string, error) {
	enc, err := normEncoding(encoding)
	if err != nil {
		return "", "", err
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if enc == EncodingAuto {
		enc = EncodingCP1251
		if utf8.Valid(data) {
			enc = EncodingUTF8
		}
	}
	if enc == EncodingUTF8 {
		if !utf8.Valid(data) {
			return "", "", apperr.Field("encoding", "invalid_encoding", "the file is not valid UTF-8; try encoding cp1251")
		}
		return string(data), enc, nil
	}
	out, err := charmap.Windows1251.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", apperr.Field("encoding", "invalid_encoding", "the file is not Windows-1251 text")
	}
	return string(out), enc, nil
}
