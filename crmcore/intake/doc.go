// Package intake is how leads come into the CRM: files (CSV and vCard in
// UTF-8 or Windows-1251, read and imported row by row in one transaction:
// Run, Import), public web forms (CreateFormKey, SubmitForm) and
// incoming mail (ReceiveMail, fed by crmcore/mailbox). Each channel is a
// client of the core's records, validation and duplicate rules, not a
// part of them, so it lives above crmcore (it imports crmcore, never the
// reverse) and the core keeps to stdlib, pgx and squirrel while this one
// may use golang.org/x/text for legacy Russian encodings.
package intake
