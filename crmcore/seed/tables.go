package seed

// The columns each table is copied with, and how a row fills them. Every
// timestamp with a database default is given explicitly: now() would make
// two runs differ.
var (
	companyCols = []string{"id", "name", "inn", "phone", "email", "address",
		"responsible_id", "created_at", "updated_at"}
	contactCols = []string{"id", "first_name", "last_name", "middle_name", "phone", "email",
		"position", "company_id", "responsible_id", "created_at", "updated_at"}
	leadCols = []string{"id", "title", "source", "stage_id", "responsible_id", "contact_name",
		"contact_phone", "contact_email", "company_name", "contact_id", "company_id",
		"disqualify_reason", "deal_id", "created_by", "created_at", "updated_at", "converted_at"}
	leadChangeCols = []string{"id", "lead_id", "from_stage_id", "to_stage_id", "changed_at",
		"changed_by", "reason"}
	dealCols = []string{"id", "title", "pipeline_id", "stage_id", "amount", "currency",
		"responsible_id", "company_id", "contact_id", "source", "lead_id", "lost_reason",
		"created_by", "created_at", "updated_at", "closed_at", "expected_close_at"}
	stageChangeCols = []string{"id", "deal_id", "pipeline_id", "from_stage_id", "to_stage_id",
		"changed_at", "changed_by", "reason"}
	observerCols = []string{"deal_id", "user_id"}
	activityCols = []string{"id", "type", "subject", "owner_id", "deal_id", "direction",
		"duration_s", "due_at", "done_at", "created_at", "updated_at"}
	itemCols    = []string{"id", "deal_id", "product_id", "quantity", "price", "discount"}
	invoiceCols = []string{"id", "deal_id", "number", "amount", "currency", "status",
		"issued_at", "due_at", "created_at", "updated_at"}
	paymentCols = []string{"id", "invoice_id", "amount", "status", "planned_at", "paid_at",
		"created_at", "updated_at"}
)

func fillCompany(c *company, v []any) {
	v[0], v[1], v[2], v[3], v[4], v[5] = id(&c.ID), tx(&c.Name), tx(&c.INN), tx(&c.Phone), tx(&c.Email), tx(&c.Address)
	v[6], v[7], v[8] = id(&c.Responsible), ts(&c.Created), ts(&c.Created)
}

func fillContact(c *contact, v []any) {
	v[0], v[1], v[2], v[3], v[4], v[5] = id(&c.ID), tx(&c.First), tx(&c.Last), tx(&c.Middle), tx(&c.Phone), tx(&c.Email)
	v[6], v[7], v[8], v[9], v[10] = otx(&c.Position), id(&c.Company), id(&c.Responsible), ts(&c.Created), ts(&c.Created)
}

// leadFiller leaves deal_id out (NULL) unless withDeal: see linkLeads.
func leadFiller(withDeal bool) func(*lead, []any) {
	return func(l *lead, v []any) {
		v[0], v[1], v[2], v[3], v[4], v[5] = id(&l.ID), tx(&l.Title), tx(&l.Source), id(&l.Stage), id(&l.Responsible), tx(&l.ContactName)
		v[6], v[7], v[8], v[9], v[10] = otx(&l.Phone), otx(&l.Email), tx(&l.CompanyName), id(&l.Contact), id(&l.Company)
		v[11], v[12], v[13] = otx(&l.Reason), nil, id(&l.CreatedBy)
		if withDeal {
			v[12] = id(&l.Deal)
		}
		v[14], v[15], v[16] = ts(&l.Created), ts(&l.Updated), ts(&l.Converted)
	}
}

func fillLeadChange(c *change, v []any) {
	v[0], v[1], v[2], v[3] = id(&c.ID), id(&c.Owner), id(&c.From), id(&c.To)
	v[4], v[5], v[6] = ts(&c.At), id(&c.By), otx(&c.Reason)
}

func fillDeal(d *deal, v []any) {
	v[0], v[1], v[2], v[3], v[4], v[5] = id(&d.ID), tx(&d.Title), id(&d.Pipeline), id(&d.Stage), hund(&d.Amount), tx(&d.Currency)
	v[6], v[7], v[8], v[9], v[10] = id(&d.Responsible), id(&d.Company), id(&d.Contact), tx(&d.Source), id(&d.Lead)
	v[11], v[12], v[13], v[14], v[15] = otx(&d.LostReason), id(&d.CreatedBy), ts(&d.Created), ts(&d.Updated), ts(&d.Closed)
	v[16] = dt(&d.ExpectedClose)
}

func fillStageChange(c *change, v []any) {
	v[0], v[1], v[2], v[3], v[4] = id(&c.ID), id(&c.Owner), id(&c.Pipeline), id(&c.From), id(&c.To)
	v[5], v[6], v[7] = ts(&c.At), id(&c.By), otx(&c.Reason)
}

func fillObserver(o *observer, v []any) { v[0], v[1] = id(&o.Deal), id(&o.User) }

func fillActivity(a *activity, v []any) {
	v[0], v[1], v[2], v[3], v[4], v[5] = id(&a.ID), tx(&a.Type), tx(&a.Subject), id(&a.Owner), id(&a.Deal), otx(&a.Direction)
	v[6], v[7], v[8], v[9], v[10] = (*i4)(&a.Duration), ts(&a.Due), ts(&a.Done), ts(&a.Created), ts(&a.Updated)
}

func fillItem(it *item, v []any) {
	v[0], v[1], v[2] = id(&it.ID), id(&it.Deal), id(&it.Product)
	v[3], v[4], v[5] = thou(&it.Qty), hund(&it.Price), hund(&it.Discount)
}

func fillInvoice(in *invoice, v []any) {
	v[0], v[1], v[2], v[3], v[4], v[5] = id(&in.ID), id(&in.Deal), tx(&in.Number), hund(&in.Amount), tx(&in.Currency), tx(&in.Status)
	v[6], v[7], v[8], v[9] = ts(&in.Issued), ts(&in.Due), ts(&in.Issued), ts(&in.Updated)
}

func fillPayment(p *payment, v []any) {
	v[0], v[1], v[2], v[3] = id(&p.ID), id(&p.Invoice), hund(&p.Amount), tx(&p.Status)
	v[4], v[5], v[6], v[7] = ts(&p.Planned), ts(&p.Paid), ts(&p.Created), ts(&p.Updated)
}
