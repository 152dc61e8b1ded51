package pages

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
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

// staticHandler serves the embedded files under /static.
func staticHandler() fiber.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	return filesystem.New(filesystem.Config{Root: http.FS(sub), MaxAge: 3600})
}
