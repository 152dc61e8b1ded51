package dashtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/voronka/voronka/dashboards/server"
)

// CSRF is the CSRF token Page sends, as cookie (the form field is the
// caller's).
const CSRF = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// Page sends a browser-like request: the alias's session cookie (none for
// ""), the CSRF cookie, and form as a urlencoded body when not nil.
func (ts *Server) Page(method, target, as string, form url.Values) *http.Response {
	ts.T.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, rd)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: server.CSRFCookie, Value: CSRF})
	if as != "" {
		req.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: ts.Tokens[as]})
	}
	resp, err := ts.Srv.App().Test(req, -1)
	if err != nil {
		ts.T.Fatalf("%s %s: %v", method, target, err)
	}
	return resp
}

// PageBody is Page's status and body text.
func (ts *Server) PageBody(method, target, as string, form url.Values) (int, string, http.Header) {
	ts.T.Helper()
	resp := ts.Page(method, target, as, form)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}
