package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// importQuery are the query parameters of POST /imports.
var importQuery = []string{"kind", "format", "encoding", "separator", "map", "dry_run", "on_duplicate",
	"responsible_id", "source", "file_name", "progress"}

func (s *handlers) importRoutes() []server.Route {
	return []server.Route{
		{Method: "POST", Path: "/imports", Status: 200, Roles: directoryWriters,
			Summary: "Import leads, contacts or companies from a CSV or vCard file (raw body or multipart field file): per-row report; dry_run=true writes nothing; progress=ndjson streams progress lines",
			Handler: s.runImport, Answer: intake.Result{}, Query: importQuery},
	}
}

func (s *handlers) runImport(c *fiber.Ctx) error {
	data, name, err := importBody(c)
	if err != nil {
		return err
	}
	req, err := importRequest(c, name)
	if err != nil {
		return err
	}
	p, ctx := server.Principal(c), c.UserContext()
	if c.Query("progress") != "ndjson" {
		res, err := intake.Run(ctx, s.Store, p, data, req)
		return answerJSON(c, fiber.StatusOK, res, err)
	}
	if err := req.Import.Validate(p); err != nil {
		return err
	}
	data = bytes.Clone(data)
	c.Set(fiber.HeaderContentType, "application/x-ndjson")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		s.streamImport(context.Background(), w, p, data, req)
	})
	return nil
}

// streamImport writes {"progress":{done,total}} lines, then the result
// (or {"error":…}) as the last line.
func (s *handlers) streamImport(ctx context.Context, w *bufio.Writer, p domain.Principal, data []byte, req intake.Request) {
	enc := json.NewEncoder(w)
	req.Import.Progress = func(done, total int) {
		enc.Encode(map[string]any{"progress": map[string]int{"done": done, "total": total}})
		w.Flush()
	}
	res, err := intake.Run(ctx, s.Store, p, data, req)
	if err != nil {
		e := apperr.As(err)
		if e == nil {
			s.Log.Error("import failed", "err", err)
			e = apperr.New(apperr.Internal, "internal", "internal error; it has been logged")
		}
		enc.Encode(fiber.Map{"error": server.ErrorBody{Code: e.Code, Message: e.Message, Field: e.Field}})
	} else {
		enc.Encode(res)
	}
	w.Flush()
}

// importBody is the uploaded file: the multipart field "file", or the
// raw body.
func importBody(c *fiber.Ctx) ([]byte, string, error) {
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, "", apperr.Field("file", "required", "send the file in the multipart field file")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		return data, fh.Filename, err
	}
	data := c.Body()
	return data, c.Query("file_name"), intake.CheckData(data)
}

// importRequest reads the query parameters (copied: a streamed answer
// outlives Fiber's request buffers).
func importRequest(c *fiber.Ctx, name string) (intake.Request, error) {
	q := func(k string) string { return strings.Clone(c.Query(k)) }
	r := intake.Request{Format: q("format"),
		Options: intake.Options{Kind: q("kind"), Encoding: q("encoding"), Separator: q("separator")},
		Import: intake.ImportOptions{Kind: q("kind"), FileName: strings.Clone(name),
			OnDuplicate: q("on_duplicate"), Source: q("source")}}
	var err error
	if r.Import.DryRun, err = boolParam(c, "dry_run"); err != nil {
		return r, err
	}
	if r.Import.ResponsibleID, err = queryIDParam(c, "responsible_id"); err != nil {
		return r, err
	}
	var pairs []string
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if string(k) == "map" {
			pairs = append(pairs, string(v)) // string() copies
		}
	})
	r.Map, err = intake.ParseMap(pairs)
	return r, err
}

// boolParam reads an optional true/false query parameter.
func boolParam(c *fiber.Ctx, name string) (bool, error) {
	v := c.Query(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, apperr.Field(name, "invalid_value", "must be true or false")
	}
	return b, nil
}
