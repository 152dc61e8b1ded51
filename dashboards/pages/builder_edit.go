package pages

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports/saved"
)

// builderEditPage opens a standard or saved report in the builder,
// prefilled from its definition (until the form sends a selection of
// its own). Its owner (or an admin) saves changes over it; anyone else
// who builds reports may save a copy.
func (s *handlers) builderEditPage(c *fiber.Ctx) error {
	d := s.newPage(c, "builder")
	if !saved.MayBuild(d.User) {
		return c.Redirect("/reports", fiber.StatusSeeOther)
	}
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	e, err := s.Saved.Entry(c.UserContext(), d.User, c.Params("id"))
	if err != nil {
		return err
	}
	if !builderFits(e.Definition) {
		return apperr.New(apperr.Invalid, "not_editable", "this report is beyond the builder's choices; change it through the API")
	}
	ed := editTarget(d, e)
	sel := readSel(queryArgs(c))
	if c.Query("kind") == "" && c.Query("dataset") == "" { // opened, not sent back by the form
		sel = selFromDef(e.Definition)
	} else {
		ed.Name, ed.Shared = sel.M["name"], sel.M["shared"] == "on"
	}
	return s.builderView(c, d, sel, ed, nil)
}

// builderUpdate saves the builder's selection over a saved report
// (CSRF-checked): 404 when the user does not see it, 403 when they may
// not change it (as PATCH /api/v1/reports/{id}), 422 with the errors
// shown in the builder when the selection is invalid.
func (s *handlers) builderUpdate(c *fiber.Ctx) error {
	d := s.newPage(c, "builder")
	sel := readSel(postArgs(c))
	if !saving(c) {
		return previewAt(c, editAction(c.Params("id")), sel)
	}
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	id, err := saved.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	rep, err := s.Saved.Get(c.UserContext(), d.User, id)
	if err != nil {
		return err
	}
	if !mayEdit(d.User, rep) {
		return apperr.New(apperr.Forbidden, "not_owner", "only the report's owner or an admin may change it")
	}
	ed := builderEdit{Action: editAction(c.Params("id")), EditID: c.Params("id"), MayUpdate: true,
		Title: rep.Name, Name: sel.M["name"], Shared: sel.M["shared"] == "on"}
	def, err := sel.definition("")
	if err == nil {
		_, err = s.Saved.Update(c.UserContext(), d.User, id,
			saved.Patch{Name: &ed.Name, Definition: &def, Shared: &ed.Shared})
	}
	if err != nil {
		return s.builderFault(c, d, sel, ed, err)
	}
	return c.Redirect("/reports/"+url.PathEscape(ed.EditID), fiber.StatusSeeOther)
}

// builderFault shows an invalid save in the builder (422); any other
// error goes to the error page.
func (s *handlers) builderFault(c *fiber.Ctx, d *pageData, sel builderSel, ed builderEdit, err error) error {
	if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.builderView(c, d, sel, ed, err)
}

// mayEdit reports whether p may change a saved report: its owner or an
// admin, the rule UpdateSavedReport enforces.
func mayEdit(p domain.Principal, r saved.Report) bool {
	return r.OwnerID == p.UserID || p.Role == domain.RoleAdmin
}

// editTarget is where the builder saves an opened report: over it when
// the user may change it, else as a copy named after it.
func editTarget(d *pageData, e saved.Entry) builderEdit {
	name := server.EntryName(e, d.Lang)
	if e.Source == "saved" && mayEdit(d.User, saved.Report{OwnerID: e.OwnerID}) {
		return builderEdit{Action: editAction(e.ID), EditID: e.ID, MayUpdate: true, Title: name, Name: name, Shared: e.Shared}
	}
	return builderEdit{Action: editAction(e.ID), EditID: e.ID, Title: name, Name: name + d.T("copy_suffix")}
}
