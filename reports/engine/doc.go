// Package engine runs reports: Engine plans a definition or funnel once
// with its clock (reports/kinds), answers from its cache when the same
// question was answered for the same access scope, bounds the runs that
// reach ClickHouse at once (run slots), and streams exports. What a
// report computes is its kind's business; the engine only runs, caches
// and queues.
package engine
