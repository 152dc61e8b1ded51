// Package apperr holds the one application error type. Every layer returns
// *Error for failures a caller may see; anything else is treated as internal,
// logged at the boundary and never shown to the user.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error; the HTTP layer maps it to a status code.
type Kind int

// Error kinds, in the order of the HTTP statuses they map to.
const (
	Internal     Kind = iota // 500: a bug or a failed dependency; message hidden
	Malformed                // 400: the request cannot be parsed
	Unauthorized             // 401: no or bad credentials
	Forbidden                // 403: authenticated but not allowed
	NotFound                 // 404: absent, or not visible to the caller
	Conflict                 // 409: valid, but clashes with the current state
	Invalid                  // 422: parsed, but a value is unacceptable
	TooMany                  // 429: rate limited
	Unavailable              // 503: a store is unreachable
)

// Error is a failure with a safe, user-facing message. Code is a stable
// machine-readable word (e.g. "transition_not_allowed"); Field names the
// input field at fault, when there is one.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Field   string
	Details any // optional extra payload (e.g. allowed values)
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return e.Code + ": " + e.Message
}

// New returns an error of the given kind.
func New(kind Kind, code, msg string) *Error { return &Error{Kind: kind, Code: code, Message: msg} }

// Field returns a 422 error naming the offending field.
func Field(field, code, msg string) *Error {
	return &Error{Kind: Invalid, Code: code, Message: msg, Field: field}
}

// NotFoundf returns a 404 "not_found" error for the named thing.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is the generic 404.
var ErrNotFound = &Error{Kind: NotFound, Code: "not_found", Message: "not found"}

// As returns the *Error inside err, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// KindOf returns the kind of err (Internal for foreign errors).
func KindOf(err error) Kind {
	if e := As(err); e != nil {
		return e.Kind
	}
	return Internal
}
