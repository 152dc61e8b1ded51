package pages_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestStaticAssets: our own files and ECharts (fetched by `make assets`;
// TestEChartsEmbedded) are served from the binary; pages load ECharts
// from there only.
func TestStaticAssets(t *testing.T) {
	ts := dashtest.New(t)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "app.js", Method: "GET", URL: "/static/app.js", Status: 200, Contains: []string{"echarts.init"}},
		{Name: "ECharts", Method: "GET", URL: "/static/vendor/echarts.min.js", Status: 200, Contains: []string{"Apache"}},
		{Name: "missing file", Method: "GET", URL: "/static/nope.js", Status: 404},
		{Name: "the login page loads ECharts from Voronka", Method: "GET", URL: "/login", Status: 200,
			Contains:    []string{`<script src="/static/vendor/echarts.min.js?v=` + fileHash(t, "static/vendor/echarts.min.js") + `">`},
			NotContains: []string{"https://", "http://", `id="no-echarts"`}},
	})
}

// fileHash is the first 12 hex digits of a file's SHA-256, read from the
// source tree (not from the server).
func fileHash(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:12]
}

// get sends a GET with the given headers through the app.
func get(t *testing.T, ts *dashtest.Server, target, as string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if as != "" {
		req.AddCookie(&http.Cookie{Name: "voronka_session", Value: ts.Tokens[as]})
	}
	resp, err := ts.Srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// decode undoes a response's Content-Encoding with decoders of its own.
func decode(t *testing.T, resp *http.Response, body []byte) []byte {
	t.Helper()
	switch enc := resp.Header.Get("Content-Encoding"); enc {
	case "":
		return body
	case "gzip":
		r, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return out
	case "br":
		out, err := fasthttp.AppendUnbrotliBytes(nil, body)
		if err != nil {
			t.Fatal(err)
		}
		return out
	default:
		t.Fatalf("unexpected Content-Encoding %q", enc)
		return nil
	}
}

// TestCompression: the embedded files, the pages and the JSON answers go
// out in brotli or gzip as Accept-Encoding asks (q=0 refuses a coding),
// decode to the very bytes of the file, and say Vary: Accept-Encoding;
// without Accept-Encoding they go out as they are.
func TestCompression(t *testing.T) {
	ts := dashtest.New(t)
	echarts, err := os.ReadFile("static/vendor/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []struct {
		name, url, as, accept, enc string
		want                       func(body []byte) bool
	}{
		{"ECharts in brotli", "/static/vendor/echarts.min.js", "", "gzip, deflate, br", "br", func(b []byte) bool { return bytes.Equal(b, echarts) }},
		{"ECharts in gzip", "/static/vendor/echarts.min.js", "", "gzip", "gzip", func(b []byte) bool { return bytes.Equal(b, echarts) }},
		{"br refused with q=0", "/static/vendor/echarts.min.js", "", "br;q=0, gzip;q=0.5", "gzip", func(b []byte) bool { return bytes.Equal(b, echarts) }},
		{"ECharts as it is", "/static/vendor/echarts.min.js", "", "", "", func(b []byte) bool { return bytes.Equal(b, echarts) }},
		{"the login page", "/login", "", "br", "br", func(b []byte) bool { return bytes.Contains(b, []byte(`name="password"`)) }},
		{"a page in gzip", "/kanban/sales", "director", "gzip", "gzip", func(b []byte) bool { return bytes.Contains(b, []byte(`class="kanban"`)) }},
		{"JSON", "/api/v1/pipelines", "director", "br", "br", func(b []byte) bool { return bytes.Contains(b, []byte(`"code":"sales"`)) }},
	} {
		t.Run(sc.name, func(t *testing.T) {
			h := map[string]string{}
			if sc.accept != "" {
				h["Accept-Encoding"] = sc.accept
			}
			if sc.url == "/api/v1/pipelines" {
				h["Authorization"] = "Bearer " + ts.Tokens[sc.as]
				sc.as = ""
			}
			resp, body := get(t, ts, sc.url, sc.as, h)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != sc.enc {
				t.Fatalf("%d, Content-Encoding %q, want 200 %q", resp.StatusCode, resp.Header.Get("Content-Encoding"), sc.enc)
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q", resp.Header.Get("Vary"))
			}
			plain := decode(t, resp, body)
			if !sc.want(plain) {
				t.Errorf("decoded body is not the resource (%d bytes)", len(plain))
			}
			if sc.enc != "" && len(plain) > 10000 && len(body)*2 > len(plain) {
				t.Errorf("%d bytes for %d: hardly compressed", len(body), len(plain))
			}
		})
	}
}

// TestAssetCaching: pages link the embedded files with their content hash;
// that URL is cached for a year (immutable), a URL without it must
// revalidate, and its ETag answers 304 while the file is unchanged.
func TestAssetCaching(t *testing.T) {
	ts := dashtest.New(t)
	hash := fileHash(t, "static/app.css")
	_, page := get(t, ts, "/login", "", nil)
	if !bytes.Contains(page, []byte(`href="/static/app.css?v=`+hash+`"`)) {
		t.Fatalf("the login page does not link app.css by its hash %s", hash)
	}
	resp, _ := get(t, ts, "/static/app.css?v="+hash, "", nil)
	if cc := resp.Header.Get("Cache-Control"); resp.StatusCode != 200 || cc != "public, max-age=31536000, immutable" {
		t.Errorf("versioned: %d, Cache-Control %q", resp.StatusCode, cc)
	}
	for _, u := range []string{"/static/app.css", "/static/app.css?v=0123456789ab"} { // none, or an old build's
		resp, _ := get(t, ts, u, "", nil)
		etag := resp.Header.Get("ETag")
		if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" || !strings.Contains(etag, hash) {
			t.Errorf("%s: Cache-Control %q, ETag %q", u, cc, etag)
		}
		again, body := get(t, ts, u, "", map[string]string{"If-None-Match": etag})
		if again.StatusCode != 304 || len(body) != 0 {
			t.Errorf("%s revalidated: %d with %d bytes, want 304", u, again.StatusCode, len(body))
		}
	}
	if resp, _ := get(t, ts, "/static/app.css", "", map[string]string{"If-None-Match": `W/"000000000000"`}); resp.StatusCode != 200 {
		t.Errorf("a stale ETag: %d, want 200", resp.StatusCode)
	}
}
