// Package reports is the report model: datasets, report definitions,
// validation, compilation to ClickHouse SQL, funnels, stage percentages,
// manager activity, saved reports and exports. It is built in issue 4;
// this file reserves the package.
package reports
