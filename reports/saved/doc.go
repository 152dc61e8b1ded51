// Package saved keeps saved reports in PostgreSQL (a name, a definition,
// an owner, shared or not) and lists them beside the standard catalog:
// the library of reports a user picks by id — a standard report's string
// id or a saved one's number — with its period overridden on request.
// Definitions are validated by their kind before they are saved.
package saved
