// Package compile turns a grouped report definition into ClickHouse SQL
// without touching a database: NewPlan validates the definition against
// its dataset (422 errors naming the JSON path at fault) and resolves its
// period at the instant given; Plan.Compile builds the statements —
// the dataset's rows under the principal's access condition, the lookups
// joined one per SELECT, grouped WITH TOTALS, or the queries of a pivot —
// with every value from the definition bound, never pasted. Compiled
// also lays the answers out (flat, pivot, additive pivot) once the caller
// has read them: the compiler owns the shape, reports/kinds the I/O.
package compile
