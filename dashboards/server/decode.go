package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/internal/apperr"
)

// DecodeJSON reads the request body into dst strictly: one JSON value,
// UTF-8 only (no escaped lone surrogate either), no unknown fields, right types. Each failure is an
// apperr naming the field: 400 when the body is not JSON, 422 otherwise.
// The body is read as JSON when it says application/json, says nothing,
// or is curl's `-d` default (application/x-www-form-urlencoded) holding
// a JSON object or array — a form's own encoding never starts with `{`
// or `[`, so no HTML form can pass for JSON. Any other type is 400.
func DecodeJSON(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if !jsonContentType(c.Get(fiber.HeaderContentType), body) {
		return apperr.New(apperr.Malformed, "unsupported_media_type", "send application/json")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.New(apperr.Malformed, "malformed_json", "the request body is empty")
	}
	if !utf8.Valid(body) {
		return &apperr.Error{Kind: apperr.Invalid, Code: "invalid_encoding",
			Message: "text is not valid UTF-8", Field: invalidUTF8Field(body)}
	}
	if err := loneSurrogateError(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, body, dst)
	}
	if dec.More() {
		return apperr.New(apperr.Malformed, "malformed_json", "extra data after the JSON value")
	}
	return nil
}

// jsonContentType says whether a body of this Content-Type is read as JSON.
func jsonContentType(ct string, body []byte) bool {
	mt := strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	switch mt {
	case "", fiber.MIMEApplicationJSON:
		return true
	case fiber.MIMEApplicationForm:
		b := bytes.TrimSpace(body)
		return len(b) > 0 && (b[0] == '{' || b[0] == '[')
	}
	return false
}

func decodeError(err error, body []byte, dst any) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return apperr.New(apperr.Malformed, "malformed_json", fmt.Sprintf("invalid JSON at byte %d: %v", syn.Offset, syn))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return apperr.New(apperr.Malformed, "malformed_json", "the JSON value is incomplete")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return apperr.New(apperr.Malformed, "malformed_json", "the body must be a JSON "+typeName(typ.Type))
		}
		return apperr.Field(field, "invalid_type", "must be "+typeName(typ.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return apperr.Field(name, "unknown_field", "no such field")
	}
	// A field's own UnmarshalJSON failed (e.g. a timestamp): find which.
	return apperr.Field(failingField(body, dst), "invalid_value", err.Error())
}

func typeName(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map:
		return "an object"
	case reflect.Struct:
		if t.Name() == "Money" {
			return "a number"
		}
		if t.Name() == "Time" {
			return "an RFC 3339 timestamp"
		}
		return "an object"
	}
	return t.String()
}

// failingField decodes each top-level member alone into a fresh dst to
// find the one that fails.
func failingField(body []byte, dst any) string {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return ""
	}
	for name, raw := range members {
		one, _ := json.Marshal(map[string]json.RawMessage{name: raw})
		fresh := reflect.New(reflect.TypeOf(dst).Elem()).Interface()
		if json.Unmarshal(one, fresh) != nil {
			return name
		}
	}
	return ""
}

// invalidUTF8Field names the top-level member whose value holds invalid
// UTF-8 (the raw bytes are kept by json.RawMessage).
func invalidUTF8Field(body []byte) string {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return ""
	}
	for name, raw := range members {
		if !utf8.Valid(raw) || !utf8.ValidString(name) {
			return name
		}
	}
	return ""
}
