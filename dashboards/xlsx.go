package dashboards

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// dashboardXLSX downloads one panel's table (?panel=) of a dashboard with
// the same period and pipeline as the page: the same report, run for the
// same user, so it holds exactly the rows the page shows.
func (s *Server) dashboardXLSX(c *fiber.Ctx) error {
	which := c.Params("which")
	if which == "director" && principal(c).Role == crmcore.RoleManager {
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
	return sendXLSX(c, pn.Title, fmt.Sprintf("%s-%s-%s", which, id, q.preset), pn.result)
}

// sendXLSX answers with res as an XLSX file named name.xlsx (name is
// ASCII, built from whitelisted values).
func sendXLSX(c *fiber.Ctx, title, name string, res *reports.Result) error {
	f, err := resultXLSX(title, res)
	if err != nil {
		return err
	}
	defer f.Close()
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.xlsx"`)
	return f.Write(c.Response().BodyWriter())
}

// resultXLSX writes a result as one sheet: the column labels, the rows
// (numbers stay numbers), then the totals; each header's definition is
// its comment.
func resultXLSX(title string, res *reports.Result) (*excelize.File, error) {
	f := excelize.NewFile()
	const sheet = "Sheet1"
	for i, col := range res.Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(sheet, cell, col.Label); err != nil {
			return nil, err
		}
		if col.Definition != "" {
			_ = f.AddComment(sheet, excelize.Comment{Cell: cell, Author: "Voronka",
				Paragraph: []excelize.RichTextRun{{Text: col.Definition}}})
		}
	}
	rows := res.Rows
	if res.Totals != nil {
		rows = append(slices.Clone(rows), res.Totals)
	}
	for r, row := range rows {
		for i, v := range row {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			if err := f.SetCellValue(sheet, cell, xlsxValue(v)); err != nil {
				return nil, err
			}
		}
	}
	_ = f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "Voronka"})
	return f, nil
}

// xlsxValue turns a result cell into what excelize writes natively.
func xlsxValue(v any) any {
	switch x := deref(v).(type) {
	case nil:
		return nil
	case crmcore.Money:
		return x.InexactFloat64()
	case time.Time:
		return x
	case string, int, int64, int32, uint64, float64, bool:
		return x
	default:
		if f, err := strconv.ParseFloat(fmt.Sprint(x), 64); err == nil {
			return f
		}
		return fmt.Sprint(x)
	}
}
