package intake

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// Request is one import as the CLI and the API receive it.
type Request struct {
	Options               // kind, encoding, separator, column mapping
	Format  string        // csv or vcard; "" guesses from FileName (.vcf, .vcard) and the content
	Import  ImportOptions // dry run, duplicate policy, responsible, source, progress
}

// Result is a parsed file and what its import did.
type Result struct {
	File   Parsed               `json:"file"`
	Report crmcore.ImportReport `json:"report"`
}

// Run parses data and imports it as p: one transaction, rolled back for a
// dry run or when any row fails (see Import).
func Run(ctx context.Context, s *crmcore.Store, p domain.Principal, data []byte, r Request) (Result, error) {
	r.Import.Kind = r.Kind
	r.Import.Format = detectFormat(r.Format, r.Import.FileName, data)
	if err := r.Import.Validate(p); err != nil {
		return Result{}, err
	}
	parse := ParseCSV
	if r.Import.Format == "vcard" {
		parse = ParseVCard
	}
	parsed, err := parse(data, r.Options)
	if err != nil {
		return Result{}, err
	}
	rep, err := Import(ctx, s, p, r.Import, parsed.Records)
	return Result{File: parsed, Report: rep}, err
}

// detectFormat is the given format, else vcard for .vcf/.vcard names or
// content starting with BEGIN:VCARD, else csv.
func detectFormat(given, name string, data []byte) string {
	if given != "" {
		return given
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".vcf", ".vcard":
		return "vcard"
	}
	head := strings.ToUpper(strings.TrimSpace(string(data[:min(len(data), 64)])))
	if strings.HasPrefix(strings.TrimPrefix(head, "\uFEFF"), "BEGIN:VCARD") {
		return "vcard"
	}
	return "csv"
}

// errNoFile is the answer to an empty upload.
var errNoFile = apperr.Field("file", "required", "send the file")

// CheckData refuses an empty file before anything is parsed.
func CheckData(data []byte) error {
	if len(strings.TrimSpace(string(data))) == 0 {
		return errNoFile
	}
	return nil
}
