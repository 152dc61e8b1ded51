package seed

import (
	"strconv"
	"strings"
	"time"
)

var (
	cityW = func() weights {
		w := make([]int, len(cities))
		for i, c := range cities {
			w[i] = c.weight
		}
		return newWeights(w...)
	}()
	formW = func() weights {
		w := make([]int, len(legalForms))
		for i, f := range legalForms {
			w[i] = f.weight
		}
		return newWeights(w...)
	}()
	mailboxes = []string{"info", "office", "sales", "zakupki", "mail", "post"}
)

// people draws the chunk's companies (≈ deals/5) and contacts
// (≈ deals/3). Contact i works at company i while there are companies;
// of the rest most work at a random company, some are private clients.
func (g *gen) people(n int) {
	nc, nk := (n+4)/5, (n+2)/3
	for range nc {
		g.c.companies = append(g.c.companies, g.company())
	}
	for i := range nk {
		ci := i
		if i >= nc {
			ci = -1
			if g.r.IntN(100) < 80 {
				ci = g.r.IntN(nc)
			}
		}
		g.c.contacts = append(g.c.contacts, g.contact(ci))
	}
	g.companyFirst, g.contactFirst = make([]time.Time, nc), make([]time.Time, nk)
}

func (g *gen) company() company {
	r := g.r
	city := cities[cityW.pick(r)]
	c := company{ID: g.nextID(tCompanies), Responsible: g.manager(), Phone: phone(r, city.area)}
	if form := legalForms[formW.pick(r)].name; form == "ИП" {
		p := randomPerson(r)
		c.Name, c.INN = "ИП "+p.FIO(), inn12(r, city.region)
		c.Email = p.email(mailHosts[r.IntN(len(mailHosts))])
	} else {
		brand, latin := brandName(r)
		c.Name, c.INN = form+" «"+brand+"»", inn10(r, city.region)
		c.Email = mailboxes[r.IntN(len(mailboxes))] + "@" + latin + ".ru"
	}
	c.Address = "г. " + city.name + ", " + streets[r.IntN(len(streets))] + ", д. " + strconv.Itoa(1+r.IntN(150))
	return c
}

func (g *gen) contact(ci int) contact {
	r := g.r
	p := randomPerson(r)
	k := contact{ID: g.nextID(tContacts), person: p, company: ci, Phone: phone(r, "9")}
	if ci < 0 {
		k.Responsible = g.manager()
		k.Email = p.email(mailHosts[r.IntN(len(mailHosts))])
		return k
	}
	co := &g.c.companies[ci]
	k.Company, k.Responsible = co.ID, co.Responsible
	k.Position = positions[r.IntN(len(positions))]
	_, domain, _ := strings.Cut(co.Email, "@")
	k.Email = p.email(domain)
	return k
}

// datePeople gives each company and contact a creation time before its
// first deal (a contact after its company), or a random one if it has none.
func (g *gen) datePeople() {
	r := g.r
	for i := range g.c.companies {
		co := &g.c.companies[i]
		first := g.companyFirst[i]
		if first.IsZero() {
			first = g.when()
		}
		co.Created = workBefore(first.Add(-time.Duration(1+r.IntN(20))*day), first)
	}
	for i := range g.c.contacts {
		k := &g.c.contacts[i]
		first := g.contactFirst[i]
		switch {
		case first.IsZero() && k.company >= 0:
			first = workBefore(g.c.companies[k.company].Created.Add(time.Duration(1+r.IntN(60))*day), g.now)
		case first.IsZero():
			first = g.when()
		}
		k.Created = workBefore(first.Add(-time.Duration(r.IntN(3))*day), first)
		if k.company >= 0 {
			if floor := g.c.companies[k.company].Created.Add(time.Hour); k.Created.Before(floor) {
				k.Created = floor
			}
		}
	}
}

// brandName is a company name without its legal form, «Северснаб», and
// its web domain name, seversnab.
func brandName(r randIntN) (name, latin string) {
	p, s := r.IntN(len(companyPrefixes)), r.IntN(len(companySuffixes))
	return companyPrefixes[p] + suffixLower[s], prefixLatin[p] + suffixLatin[s]
}

var (
	suffixLower = mapAll(companySuffixes, strings.ToLower)
	prefixLatin = latinAll(companyPrefixes)
	suffixLatin = latinAll(companySuffixes)
)

// inn10 is a legal entity's ИНН with a valid check digit.
func inn10(r randIntN, region string) string {
	d := digits(r, region, 9)
	w := []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	return string(append(d, checkDigit(d, w)))
}

// inn12 is a sole trader's ИНН with its two check digits.
func inn12(r randIntN, region string) string {
	d := digits(r, region, 10)
	d = append(d, checkDigit(d, []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}))
	return string(append(d, checkDigit(d, []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8})))
}

type randIntN interface{ IntN(int) int }

// digits is prefix followed by random digits up to n digits in all.
func digits(r randIntN, prefix string, n int) []byte {
	d := make([]byte, 0, n+2)
	d = append(d, prefix...)
	for len(d) < n {
		d = append(d, byte('0'+r.IntN(10)))
	}
	return d
}

func checkDigit(d []byte, w []int) byte {
	s := 0
	for i, x := range w {
		s += x * int(d[i]-'0')
	}
	return byte('0' + s%11%10)
}

// phone is "+7 (AAA) NNN-NN-NN"; a one-digit area "9" makes a mobile number.
func phone(r randIntN, area string) string {
	d := digits(r, area, 10)
	return "+7 (" + string(d[:3]) + ") " + string(d[3:6]) + "-" + string(d[6:8]) + "-" + string(d[8:10])
}
