// Package dataset declares what a report may query: each dataset is a
// ClickHouse mirror table read in its current state, the lookups it may
// join, its whitelisted fields (label in Russian and English, type, SQL
// expression written in code, allowed aggregations) and its access
// condition. Access is the principal's row filter over the mirror, the
// same rules crmcore applies on PostgreSQL. Every identifier in compiled
// SQL comes from here, never from a request.
package dataset
