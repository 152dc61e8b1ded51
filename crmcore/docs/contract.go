package docs

import (
	"context"
	"fmt"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// psql is squirrel with PostgreSQL placeholders.
var psql = sq.StatementBuilder.PlaceholderFormat(sq.Dollar)

// Contract is an agreement with a company. Invariants: Number is unique
// per company; SignedAt and ValidTo are dates (YYYY-MM-DD), ValidTo (none:
// open-ended) not before SignedAt.
type Contract struct {
	ID        int64     `json:"id"`
	CompanyID int64     `json:"company_id"`
	Number    string    `json:"number"`
	SignedAt  string    `json:"signed_at"`
	ValidTo   *string   `json:"valid_to"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// NewContract is the input of CreateContract.
type NewContract struct {
	CompanyID int64   `json:"company_id"`
	Number    string  `json:"number"`
	SignedAt  string  `json:"signed_at"`
	ValidTo   *string `json:"valid_to,omitempty"`
}

// ContractFilter selects contracts; a zero CompanyID does not filter.
type ContractFilter struct {
	CompanyID int64
	Limit     int
	Offset    int
}

func (in *NewContract) validate() error {
	var v crmcore.Check
	v.ID("company_id", in.CompanyID, true)
	v.Text("number", in.Number, true, maxNumber)
	v.Date("signed_at", in.SignedAt, true)
	if in.ValidTo != nil && *in.ValidTo == "" {
		in.ValidTo = nil
	}
	if in.ValidTo != nil {
		v.Date("valid_to", *in.ValidTo, false)
		if v.Err == nil && *in.ValidTo < in.SignedAt {
			v.Fail("valid_to", "before_signed_at", "a contract cannot end before it is signed")
		}
	}
	return v.Err
}

const contractCols = `c.id, c.company_id, c.number, to_char(c.signed_at, 'YYYY-MM-DD'), to_char(c.valid_to, 'YYYY-MM-DD'),
       c.created_at, c.updated_at`

func scanContract(r pgx.Row) (Contract, error) {
	var c Contract
	err := r.Scan(&c.ID, &c.CompanyID, &c.Number, &c.SignedAt, &c.ValidTo, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

// CreateContract records a contract with a company (422 company_id when
// there is none); its number is unique per company (409 number).
func (s *Store) CreateContract(ctx context.Context, p domain.Principal, in NewContract) (Contract, error) {
	if err := crmcore.MayWriteDirectory(p); err != nil {
		return Contract{}, err
	}
	if err := in.validate(); err != nil {
		return Contract{}, err
	}
	var id int64
	err := crmcore.InTx(ctx, s.core.DB(), func(tx pgx.Tx) error {
		if err := exists(ctx, tx, "company_id", "unknown_company", `SELECT EXISTS (SELECT 1 FROM companies WHERE id = $1)`, in.CompanyID); err != nil {
			return err
		}
		const q = `
INSERT INTO contracts (company_id, number, signed_at, valid_to, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5)
RETURNING id`
		err := tx.QueryRow(ctx, q, in.CompanyID, strings.TrimSpace(in.Number), in.SignedAt, in.ValidTo, s.now()).Scan(&id)
		return pgerr.Translate(err, "contract")
	})
	if err != nil {
		return Contract{}, err
	}
	return s.GetContract(ctx, p, id)
}

// GetContract returns one contract: every signed-in user reads them, as
// they read the companies.
func (s *Store) GetContract(ctx context.Context, p domain.Principal, id int64) (Contract, error) {
	const q = `SELECT ` + contractCols + ` FROM contracts c WHERE c.id = $1`
	c, err := scanContract(s.core.DB().QueryRow(ctx, q, id))
	return c, pgerr.Translate(err, "contract")
}

// ListContracts returns a page of contracts, the latest signed first,
// and the number matching the filter.
func (s *Store) ListContracts(ctx context.Context, p domain.Principal, f ContractFilter) ([]Contract, int, error) {
	where := sq.And{}
	if f.CompanyID != 0 {
		where = append(where, sq.Eq{"c.company_id": f.CompanyID})
	}
	items, total, err := crmcore.ListRows(ctx, s.core.DB(), "contracts c", where, "c.signed_at DESC, c.id DESC",
		f.Limit, f.Offset, contractCols, scanContract)
	return items, total, pgerr.Translate(err, "contracts")
}

// exists answers 422 on field with code when query (SELECT EXISTS …, one
// argument) finds nothing.
func exists(ctx context.Context, q crmcore.Querier, field, code, query string, arg any) error {
	var ok bool
	if err := q.QueryRow(ctx, query, arg).Scan(&ok); err != nil {
		return fmt.Errorf("check %s: %w", field, err)
	}
	if !ok {
		return apperr.Field(field, code, fmt.Sprintf("no record with id %v", arg))
	}
	return nil
}
