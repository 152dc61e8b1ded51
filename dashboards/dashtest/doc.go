// Package dashtest is the test harness of the dashboards packages: the
// whole server (dashboards.New) over a fresh database with one signed-in
// user per role, requests as any of them (API calls, browser-like page
// requests with session and CSRF cookies, form posts, file imports),
// scenario tables, and the report, activity and schedule fixtures the
// tests of several packages share. Only _test.go files import it.
package dashtest
