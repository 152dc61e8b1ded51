package dashboards

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/xlsx"
)

// dashboardXLSX downloads one panel's table (?panel=) of a dashboard with
// the same period and pipeline as the page: the same report, run for the
// same user, so it holds exactly the rows the page shows.
func (s *handlers) dashboardXLSX(c *fiber.Ctx) error {
	which := c.Params("which")
	if which == "director" && server.Principal(c).Role == domain.RoleManager {
		which = "manager"
	}
	id := c.Query("panel")
	if !slices.Contains(panelIDs[which], id) {
		return apperr.New(apperr.NotFound, "not_found", "no such panel")
	}
	d := s.newPage(c, which)
	_, q, err := s.dashFilter(c, d, which)
	if err != nil {
		return err
	}
	pn := s.panel(c.UserContext(), q, id)
	if pn.result == nil {
		return apperr.New(apperr.Unavailable, "reports_unavailable", pn.Err)
	}
	return sendXLSX(c, s.pageLang(c), pn.Title, fmt.Sprintf("%s-%s-%s", which, id, q.preset), pn.result)
}

// sendXLSX answers with a result already in memory as a workbook named
// ascii.xlsx (ASCII, built from whitelisted values).
func sendXLSX(c *fiber.Ctx, lang, title, ascii string, res *reports.Result) error {
	rep := xlsx.Report{Name: title, Lang: lang, By: server.Principal(c)}
	return sendWorkbook(c, ascii+".xlsx", xlsx.SafeName(title)+".xlsx", func(w io.Writer) error {
		return xlsx.FromResult(rep, res, w)
	})
}

// exportXLSX streams def's full answer for the caller into a workbook
// (reports/xlsx.Export) and sends it as a file named by the report
// name and period (id and period in ASCII for old clients).
func exportXLSX(c *fiber.Ctx, eng *reports.Engine, name, id string, def *reports.Definition) error {
	rep := xlsx.Report{Name: name, Lang: def.Lang, Def: def}
	var res *reports.Result
	return sendWorkbook(c, "report.xlsx", "", func(w io.Writer) (err error) {
		res, _, err = xlsx.Export(c.UserContext(), eng, server.Principal(c), rep, xlsx.Options{}, w)
		if err == nil {
			c.Set(fiber.HeaderContentDisposition, disposition(asciiName(id, res.Meta, def), xlsx.FileName(name, res.Meta, def)))
		}
		return err
	})
}

// sendWorkbook writes a workbook to a temporary file first (so a failure
// is a proper error answer, not half a file), then streams it; the file
// is removed once sent.
func sendWorkbook(c *fiber.Ctx, ascii, name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp("", "voronka-*.xlsx")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, disposition(ascii, name))
	if err := write(f); err != nil {
		removeFile{f}.Close()
		return err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		removeFile{f}.Close()
		return err
	}
	c.Set(fiber.HeaderContentType, xlsx.ContentType)
	c.Response().SetBodyStream(removeFile{f}, int(size))
	return nil
}

// removeFile deletes its file when the body has been sent.
type removeFile struct{ *os.File }

func (r removeFile) Close() error {
	err := r.File.Close()
	os.Remove(r.Name())
	return err
}

// disposition names the download: an ASCII name for old clients and the
// full (UTF-8) name for the rest.
func disposition(ascii, name string) string {
	d := `attachment; filename="` + ascii + `"`
	if name != "" {
		d += "; filename*=UTF-8''" + url.PathEscape(name)
	}
	return d
}

// asciiName is the ASCII file name of a report export: its id and period.
func asciiName(id string, meta reports.Meta, def *reports.Definition) string {
	return strings.ReplaceAll(xlsx.FileName("report-"+id, meta, &reports.Definition{Period: def.Period}), "–", "_")
}

// entryName is a report's name in lang.
func entryName(e reports.ReportEntry, lang string) string {
	if lang == "en" && e.NameEN != "" {
		return e.NameEN
	}
	return e.Name
}

// pickLang is ru or en by lang.
func pickLang(lang, ru, en string) string {
	if lang == "en" {
		return en
	}
	return ru
}
