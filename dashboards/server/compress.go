package server

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Content codings Voronka answers in, best first.
const (
	EncodingBrotli = "br"
	EncodingGzip   = "gzip"
)

// compressMinBytes: smaller bodies go out as they are (the coding's own
// overhead would eat the gain).
const compressMinBytes = 1024

// compressibleTypes are the media types worth compressing: pages, their
// scripts and styles, JSON and text. Workbooks (already zip files) and
// anything else go out as they are.
var compressibleTypes = []string{"text/html", "text/css", "text/plain", "text/csv", "text/javascript",
	"application/javascript", "application/json", "image/svg+xml"}

// AcceptedEncoding is the coding a request accepts that Voronka prefers:
// br, else gzip, else "" (identity). A coding with q=0 is refused, as
// RFC 9110 says; "*" accepts both.
func AcceptedEncoding(header string) string {
	accepted := map[string]bool{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.ReplaceAll(strings.TrimSpace(params), " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		name = strings.ToLower(strings.TrimSpace(name))
		if _, seen := accepted[name]; !seen {
			accepted[name] = q > 0
		}
	}
	for _, enc := range []string{EncodingBrotli, EncodingGzip} {
		if ok, named := accepted[enc]; named {
			if ok {
				return enc
			}
		} else if accepted["*"] {
			return enc
		}
	}
	return ""
}

// compressResponses compresses a response after its handler ran: brotli
// or gzip as the request accepts, for compressible types of at least
// compressMinBytes; a response already encoded (the static files carry
// their own precompressed copies) or streamed is left alone. Vary tells
// caches the answer depends on Accept-Encoding.
func compressResponses(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	resp := c.Response()
	if len(resp.Header.ContentEncoding()) > 0 || resp.IsBodyStream() || !compressible(resp.Header.ContentType()) {
		return nil
	}
	c.Vary(fiber.HeaderAcceptEncoding)
	body := resp.Body()
	enc := AcceptedEncoding(c.Get(fiber.HeaderAcceptEncoding))
	if enc == "" || len(body) < compressMinBytes {
		return nil
	}
	var out []byte
	if enc == EncodingBrotli {
		out = fasthttp.AppendBrotliBytesLevel(nil, body, fasthttp.CompressBrotliDefaultCompression)
	} else {
		out = fasthttp.AppendGzipBytesLevel(nil, body, fasthttp.CompressDefaultCompression)
	}
	resp.SetBodyRaw(out)
	resp.Header.Set(fiber.HeaderContentEncoding, enc)
	return nil
}

func compressible(contentType []byte) bool {
	for _, t := range compressibleTypes {
		if bytes.HasPrefix(contentType, []byte(t)) {
			return true
		}
	}
	return false
}
