// Package reports is the report model, the vocabulary every part of
// reporting speaks: a report definition (Definition: JSON, the same from
// the builder, the API, a saved report or a schedule) with its period,
// the tabular answer (Result, Column, Meta), the funnel request and
// answer, the names of the report kinds, field types, aggregations and
// filter operators, and the standard catalog. It imports no store and no
// other reporting package; the parts that act on it sit below it:
//
//	reports/dataset   what a report may query: datasets, fields, lookups, row access
//	reports/compile   a grouped definition → a plan → ClickHouse SQL (pure, no database)
//	reports/kinds     the report kinds: the grouped run, funnels, stage percentages, movement, activity
//	reports/engine    runs a definition once planned: cache, run slots, exports
//	reports/saved     saved reports in PostgreSQL beside the standard catalog
//	reports/xlsx      Excel workbooks of results
//	reports/schedule  scheduled exports and their delivery
//
// docs/architecture.md draws the whole path.
package reports
