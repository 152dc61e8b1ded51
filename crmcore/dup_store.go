package crmcore

import (
	"context"
	"sort"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/pgerr"
)

// dupTable says how one table is searched for duplicates: its display
// name, responsible column and the SQL key expression per reason. Every
// key expression has an expression index (migration 00007). All SQL text
// here is from code.
type dupTable struct {
	entity, table, name, resp string
	keys                      map[string]string
}

var (
	dupLeads = dupTable{EntityLead, "leads", "title", "responsible_id", map[string]string{
		DupPhone: "voronka_phone_key(contact_phone)", DupEmail: "voronka_email_key(contact_email)",
		DupPerson: "voronka_person_key(contact_name)", DupCompany: "voronka_company_key(company_name)"}}
	dupContacts = dupTable{EntityContact, "contacts", "btrim(last_name || ' ' || first_name)", "responsible_id", map[string]string{
		DupPhone: "voronka_phone_key(phone)", DupEmail: "voronka_email_key(email)",
		DupPerson: "voronka_person_key(last_name || ' ' || first_name)"}}
	dupCompanies = dupTable{EntityCompany, "companies", "name", "responsible_id", map[string]string{
		DupCompany: "voronka_company_key(name)", DupPhone: "voronka_phone_key(phone)",
		DupEmail: "voronka_email_key(email)", DupINN: "inn"}}
)

// dupTablesFor lists where a new record of an entity looks for its
// duplicates: a lead among leads and the directory, a contact among
// contacts, a company among companies.
func dupTablesFor(entity string) []dupTable {
	switch entity {
	case EntityLead:
		return []dupTable{dupLeads, dupContacts, dupCompanies}
	case EntityContact:
		return []dupTable{dupContacts}
	}
	return []dupTable{dupCompanies}
}

// maxCandidates bounds the candidates listed per probe.
const maxCandidates = 10

// FindDuplicates returns, for each probe of a new entity record, the
// existing records sharing a key with it, split into what p may see and
// a count of what p may not. One query per table serves every probe
// (= ANY over the expression indexes), so an import checks a chunk of
// rows at once.
func (s *Store) FindDuplicates(ctx context.Context, p domain.Principal, entity string, probes []DupProbe) ([]DupMatches, error) {
	return FindDuplicatesIn(ctx, s.db, p, entity, probes)
}

// FindDuplicatesIn is FindDuplicates on q: the pool, or the caller's
// writing transaction, whose own uncommitted rows it then sees (an import
// matches the rows its earlier chunks wrote).
func FindDuplicatesIn(ctx context.Context, q Querier, p domain.Principal, entity string, probes []DupProbe) ([]DupMatches, error) {
	keys := make([]map[string]string, len(probes))
	wanted := map[string][]string{}
	for i, pr := range probes {
		keys[i] = pr.Keys()
		for r, k := range keys[i] {
			wanted[r] = append(wanted[r], k)
		}
	}
	out := make([]DupMatches, len(probes))
	for i := range out {
		out[i].Candidates = []DupCandidate{}
	}
	for _, t := range dupTablesFor(entity) {
		found, err := t.lookup(ctx, q, wanted)
		if err != nil {
			return nil, err
		}
		for i, pr := range probes {
			out[i].add(p, pr, matchKeys(found, keys[i]))
		}
	}
	return out, nil
}

// dupRow is one record found by lookup, with its keys by reason.
type dupRow struct {
	cand DupCandidate
	keys map[string]string
}

// lookup finds the rows of t whose key equals any wanted key of the same
// reason.
func (t dupTable) lookup(ctx context.Context, q Querier, wanted map[string][]string) ([]dupRow, error) {
	reasons := make([]string, 0, len(t.keys))
	cond := sq.Or{}
	for r, expr := range t.keys {
		if len(wanted[r]) > 0 {
			reasons = append(reasons, r)
			cond = append(cond, sq.Expr(expr+" = ANY(?)", wanted[r]))
		}
	}
	if len(reasons) == 0 {
		return nil, nil
	}
	sort.Strings(reasons)
	cols := []string{"id", t.name, t.resp}
	for _, r := range reasons {
		cols = append(cols, "coalesce("+t.keys[r]+", '')")
	}
	query, args, err := psql.Select(cols...).From(t.table).Where(cond).OrderBy("id").ToSql()
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dupRow
	for rows.Next() {
		row := dupRow{cand: DupCandidate{Entity: t.entity}, keys: map[string]string{}}
		vals := make([]string, len(reasons))
		dest := []any{&row.cand.ID, &row.cand.Name, &row.cand.responsible}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, r := range reasons {
			row.keys[r] = vals[i]
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// matchKeys are the found rows sharing a key with one probe, each with
// the reasons that matched.
func matchKeys(found []dupRow, keys map[string]string) []DupCandidate {
	var out []DupCandidate
	for _, row := range found {
		c := row.cand
		for _, r := range DupReasons {
			if k, ok := keys[r]; ok && row.keys[r] == k {
				c.Reasons = append(c.Reasons, r)
			}
		}
		if len(c.Reasons) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// add files candidates as visible or hidden for p, leaving out the
// records the probe links.
func (m *DupMatches) add(p domain.Principal, pr DupProbe, cands []DupCandidate) {
	for _, c := range cands {
		switch {
		case pr.linked(c):
		case !c.visibleTo(p):
			m.Hidden++
		case len(m.Candidates) < maxCandidates:
			m.Candidates = append(m.Candidates, c)
		}
	}
}

// refuseDuplicate answers 409 possible_duplicate when the probe matches.
func (s *Store) refuseDuplicate(ctx context.Context, p domain.Principal, entity string, probe DupProbe) error {
	m, err := s.FindDuplicates(ctx, p, entity, []DupProbe{probe})
	if err != nil {
		return err
	}
	if m[0].Found() {
		return duplicateError(m[0])
	}
	return nil
}

// CheckLeadDuplicate answers 409 possible_duplicate (with the candidates
// p may see) when a new lead matches existing leads, contacts or
// companies; the API calls it before CreateLead unless the caller
// confirms. It first checks everything CreateLead would refuse — fields,
// role, references — so an invalid lead is a 422 (or 403) naming its
// field, never a 409 about a record it will not become.
func (s *Store) CheckLeadDuplicate(ctx context.Context, p domain.Principal, in NewLead) error {
	if err := vetNewLead(p, &in, s.Now()); err != nil {
		return err
	}
	if err := leadRefs(ctx, s.db, in); err != nil {
		return pgerr.Translate(err, "lead")
	}
	return s.refuseDuplicate(ctx, p, EntityLead, LeadProbe(in))
}

// CheckContactDuplicate is CheckLeadDuplicate for a new contact: what
// CreateContact refuses (role, fields, company, responsible) first.
func (s *Store) CheckContactDuplicate(ctx context.Context, p domain.Principal, in NewContact) error {
	if err := s.vetDirectory(ctx, p, in.Validate, in.ResponsibleID); err != nil {
		return err
	}
	if err := s.companyExists(ctx, nullID(in.CompanyID)); err != nil {
		return pgerr.Translate(err, "contact")
	}
	return s.refuseDuplicate(ctx, p, EntityContact, ContactProbe(in))
}

// CheckCompanyDuplicate is CheckLeadDuplicate for a new company: what
// CreateCompany refuses (role, fields, responsible) first.
func (s *Store) CheckCompanyDuplicate(ctx context.Context, p domain.Principal, in NewCompany) error {
	if err := s.vetDirectory(ctx, p, in.Validate, in.ResponsibleID); err != nil {
		return err
	}
	return s.refuseDuplicate(ctx, p, EntityCompany, CompanyProbe(in))
}

// vetDirectory is what creating a contact or company checks before it
// writes: the role, the fields, and that a responsible named is an
// active user (the insert would refuse it as a foreign key).
func (s *Store) vetDirectory(ctx context.Context, p domain.Principal, validate func() error, responsible *int64) error {
	if err := mayWriteDirectory(p); err != nil {
		return err
	}
	if err := validate(); err != nil {
		return err
	}
	if id := nullID(responsible); id != nil {
		refs := dealRefs{ctx: ctx, q: s.db}
		refs.user("responsible_id", *id)
		return pgerr.Translate(refs.err, "user")
	}
	return nil
}
