package server

import (
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/xlsx"
)

// SendXLSX answers with a result already in memory (a dashboard panel's
// table) as a workbook that rep describes (made for the caller unless
// rep.By says otherwise), named by rep.Name and the result's period
// ("Воронка продаж, Продажи, Вся команда 2025-01-01–2025-12-31.xlsx"),
// and by ascii (whitelisted values) and the period for old clients.
func SendXLSX(c *fiber.Ctx, rep xlsx.Report, ascii string, res *reports.Result) error {
	if rep.By.UserID == 0 {
		rep.By = Principal(c)
	}
	plain := strings.ReplaceAll(xlsx.FileName(ascii, res.Meta, rep.Def), "–", "_")
	return sendWorkbook(c, plain, xlsx.FileName(rep.Name, res.Meta, rep.Def), func(w io.Writer) error {
		return xlsx.FromResult(rep, res, w)
	})
}

// ExportXLSX streams def's full answer for the caller into a workbook
// (reports/xlsx.Export) and sends it as a file named by the report
// name and period (id and period in ASCII for old clients).
func ExportXLSX(c *fiber.Ctx, eng *engine.Engine, name, id string, def *reports.Definition) error {
	rep := xlsx.Report{Name: name, Lang: def.Lang, Def: def}
	var res *reports.Result
	return sendWorkbook(c, "report.xlsx", "", func(w io.Writer) (err error) {
		res, _, err = xlsx.Export(c.UserContext(), eng, Principal(c), rep, xlsx.Options{}, w)
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

// EntryName is a report's name in lang.
func EntryName(e saved.Entry, lang string) string {
	return i18n.T(e.Name, e.NameEN).In(lang)
}
