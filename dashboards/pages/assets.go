package pages

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/voronka/voronka/dashboards/server"
)

// staticFiles holds dashboards/pages/static: our own CSS and JS, and
// vendor/echarts.min.js when `make assets` has fetched it from npm.
//
//go:embed static
var staticFiles embed.FS

// echartsPath is where pages load ECharts from (never a CDN).
const echartsPath = "/static/vendor/echarts.min.js"

// echartsEmbedded reports whether the build embedded ECharts; pages say
// so clearly when it did not.
func echartsEmbedded() bool {
	_, err := fs.Stat(staticFiles, "static/vendor/echarts.min.js")
	return err == nil
}

// Caching of the embedded files. Pages link each file with its content
// hash in the URL (assetURL: /static/app.css?v=1a2b3c4d5e6f), and that
// URL is cached for a year, immutable: a browser loads the 1 MB ECharts
// once, not once per page, and a new build changes the hash, hence the
// URL, so nobody keeps an old file. A URL without the current hash (the
// error page, a page cached before a rebuild) must revalidate: its ETag
// answers 304 Not Modified while the file is unchanged.
const (
	cacheVersioned   = "public, max-age=31536000, immutable"
	cacheUnversioned = "no-cache"
)

// asset is one embedded file with its hash and, computed on first use,
// its brotli and gzip copies (compressed once per process, not per
// request).
type asset struct {
	body        []byte
	contentType string
	hash        string // the first 12 hex digits of the body's SHA-256
	once        sync.Once
	br, gz      []byte
}

// assets are the embedded files by URL path (/static/app.css).
var assets = func() map[string]*asset {
	out := map[string]*asset{}
	fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		typ := mime.TypeByExtension(path.Ext(p))
		if typ == "" {
			typ = "application/octet-stream"
		}
		out["/"+p] = &asset{body: body, contentType: typ, hash: hex.EncodeToString(sum[:])[:12]}
		return nil
	})
	return out
}()

// assetURL is the cache-busting URL of an embedded file (templates:
// {{asset "/static/app.css"}}); a path that is not embedded stays as it is.
func assetURL(p string) string {
	if a, ok := assets[p]; ok {
		return p + "?v=" + a.hash
	}
	return p
}

// compressed is the body in enc ("" for identity).
func (a *asset) compressed(enc string) []byte {
	a.once.Do(func() {
		a.br = fasthttp.AppendBrotliBytesLevel(nil, a.body, fasthttp.CompressBrotliBestCompression)
		a.gz = fasthttp.AppendGzipBytesLevel(nil, a.body, fasthttp.CompressBestCompression)
	})
	switch enc {
	case server.EncodingBrotli:
		return a.br
	case server.EncodingGzip:
		return a.gz
	}
	return a.body
}

// staticHandler serves the embedded files under /static: precompressed
// per Accept-Encoding, with the caching above; anything else is a 404.
func staticHandler() fiber.Handler {
	return func(c *fiber.Ctx) error {
		a, ok := assets[c.Path()]
		if !ok || (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) {
			return fiber.ErrNotFound
		}
		etag := `W/"` + a.hash + `"` // weak: the br, gzip and plain bodies are one file
		c.Set(fiber.HeaderETag, etag)
		c.Vary(fiber.HeaderAcceptEncoding)
		if c.Query("v") == a.hash {
			c.Set(fiber.HeaderCacheControl, cacheVersioned)
		} else {
			c.Set(fiber.HeaderCacheControl, cacheUnversioned)
		}
		c.Set(fiber.HeaderContentType, a.contentType)
		if matchesETag(c.Get(fiber.HeaderIfNoneMatch), etag) {
			return c.SendStatus(fiber.StatusNotModified)
		}
		enc := server.AcceptedEncoding(c.Get(fiber.HeaderAcceptEncoding))
		if enc != "" {
			c.Set(fiber.HeaderContentEncoding, enc)
		}
		return c.Send(a.compressed(enc))
	}
}

// matchesETag reports whether an If-None-Match header names etag (or *);
// the comparison is weak, as RFC 9110 wants for If-None-Match.
func matchesETag(header, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
