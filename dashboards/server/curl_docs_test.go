package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// curlCall is one curl command of the docs, as curl would send it.
type curlCall struct {
	where   string // file:line
	method  string
	target  string // path and query
	headers http.Header
	body    string
	skip    string // why it is not sent (a file upload)
}

// TestDocsCurlExamples sends every curl command of README.md and
// docs/*.md that has a body, exactly as curl would — `-d` without a
// Content-Type header goes as application/x-www-form-urlencoded — with
// $TOKEN and $ADMIN an admin's token, and checks the server read the
// body as JSON: no 400 (malformed_json, unsupported_media_type), and
// (every service being there) no 503 before the body was read either.
func TestDocsCurlExamples(t *testing.T) {
	root, _ := filepath.Abs("../..")
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append([]string{filepath.Join(root, "README.md")}, files...)
	var calls []curlCall
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, curlCalls(filepath.Base(f), string(text))...)
	}
	ts := dashtest.NewScheduleWithoutMail(t).Server // reports, schedules and holidays served
	sent, withoutType := 0, 0
	for _, c := range calls {
		if c.body == "" || c.skip != "" {
			continue
		}
		sent++
		if !strings.HasPrefix(c.headers.Get("Content-Type"), "application/json") {
			withoutType++
		}
		req := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
		vars := strings.NewReplacer("$TOKEN", ts.Tokens["admin"], "$ADMIN", ts.Tokens["admin"])
		for k := range c.headers {
			req.Header.Set(k, vars.Replace(c.headers.Get(k)))
		}
		resp, err := ts.Srv.App().Test(req, -1)
		if err != nil {
			t.Fatalf("%s: %v", c.where, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		a := answer{status: resp.StatusCode, body: string(b)}
		if a.status == 400 || a.status == 415 || a.status == 503 {
			t.Errorf("%s: %s %s (Content-Type %q) answered %d %s", c.where, c.method, c.target, c.headers.Get("Content-Type"), a.status, a.body)
		}
		t.Logf("%s: %s %s → %d", c.where, c.method, c.target, a.status)
	}
	if sent < 8 {
		t.Fatalf("found %d curl commands with a body in the docs; the extractor is broken (%d commands in all)", sent, len(calls))
	}
	t.Logf("%d commands with a body, %d of them without Content-Type: application/json", sent, withoutType)
}

// curlCalls finds the curl commands in the fenced code blocks of a
// Markdown text.
func curlCalls(name, text string) []curlCall {
	var out []curlCall
	inCode := false
	lines := strings.SplitAfter(text, "\n")
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inCode = !inCode
			continue
		}
		if !inCode {
			continue
		}
		at := strings.Index(line, "curl ")
		if at < 0 || (at > 0 && !strings.ContainsRune(" \t($", rune(line[at-1]))) {
			continue
		}
		rest := strings.Join(lines[i:], "")[at+len("curl "):]
		c := parseCurl(shellWords(rest))
		c.where = name + ":" + strconv.Itoa(i+1)
		out = append(out, c)
	}
	return out
}

// parseCurl reads curl's arguments as far as the docs use them.
func parseCurl(words []string) curlCall {
	c := curlCall{headers: http.Header{}}
	for i := 0; i < len(words); i++ {
		w, next := words[i], ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch w {
		case "-X":
			c.method, i = next, i+1
		case "-H":
			if k, v, ok := strings.Cut(next, ":"); ok {
				c.headers.Set(strings.TrimSpace(k), strings.TrimSpace(v))
			}
			i++
		case "-d", "--data", "--data-raw", "--data-binary":
			if strings.HasPrefix(next, "@") && w != "--data-raw" {
				c.skip = "a file body"
			}
			c.body, i = next, i+1
		case "-F":
			c.skip, i = "a multipart upload", i+1
		case "-o":
			i++
		default:
			if !strings.HasPrefix(w, "-") && c.target == "" {
				c.target = w
			}
		}
	}
	if c.method == "" {
		c.method = "GET"
		if c.body != "" || c.skip != "" {
			c.method = "POST"
		}
	}
	if c.body != "" && c.headers.Get("Content-Type") == "" {
		c.headers.Set("Content-Type", "application/x-www-form-urlencoded") // curl's -d default
	}
	c.target = strings.TrimPrefix(strings.TrimPrefix(c.target, "http://"), "localhost:8080")
	return c
}

// shellWords splits a shell command line the way sh would for these
// examples (quotes, backslash-newline as a space; variables are left as
// they are); it stops at an unquoted newline, |, ), ; or #.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, cur.String())
		}
		cur.Reset()
		inWord = false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\\' && i+1 < len(s) && s[i+1] == '\n':
			flush()
			i++
		case ch == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			cur.WriteString(s[i+1 : i+1+end])
			inWord, i = true, i+1+end
		case ch == '"':
			end := strings.IndexByte(s[i+1:], '"')
			cur.WriteString(s[i+1 : i+1+end])
			inWord, i = true, i+1+end
		case ch == ' ' || ch == '\t':
			flush()
		case ch == '\n' || ch == '|' || ch == ')' || ch == ';' || (ch == '#' && !inWord):
			flush()
			return words
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	flush()
	return words
}
