// Package kinds holds the report kinds and the one path every report
// takes: PlanReport finds the kind a definition names and plans it for a
// principal at an instant (validation included, no database), and the
// Plan runs on the ClickHouse copy. The grouped kind hands its
// definition to reports/compile and reads the statements; the funnel
// (reached and current), stage percentages, stage movement, manager
// activity and activities-against-outcomes share one scope (who, which
// deals, which instants) and one deal set (the pipeline's deals in the
// period under the principal's access, amounts in roubles), and build
// their SQL with olap.Build.
package kinds
