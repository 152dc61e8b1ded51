package rates

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// parser walks a file's tokens, knowing the line of each element.
type parser struct {
	dec      *xml.Decoder
	currency string // the caller's currency for a dynamic file, or ""
}

// element is one Valute or Record: its attributes and its children's
// texts, with the line of each.
type element struct {
	name  string
	line  int
	attrs map[string]string
	text  map[string]string
	lines map[string]int
}

func (p *parser) line() int { l, _ := p.dec.InputPos(); return l }

// token is the next token, its error a ParseError with the line.
func (p *parser) token() (xml.Token, error) {
	tok, err := p.dec.Token()
	if err == nil || err == io.EOF {
		return tok, err
	}
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		return nil, &ParseError{Line: syn.Line, Msg: "not well-formed XML: " + syn.Msg}
	}
	return nil, &ParseError{Line: p.line(), Msg: err.Error()}
}

func (p *parser) file() (File, error) {
	root, err := p.root()
	if err != nil {
		return File{}, err
	}
	var f File
	child := ""
	switch {
	case root.attrs["Date"] != "":
		f.Kind, child = "daily", "Valute"
	case root.attrs["ID"] != "":
		f.Kind, child = "dynamic", "Record"
	default:
		return File{}, &ParseError{Line: root.line, Element: "ValCurs", Msg: "neither Date (XML_daily.asp) nor ID (XML_dynamic.asp) is given"}
	}
	var day time.Time
	currency := ""
	if f.Kind == "daily" {
		if day, err = bankDate(root, "Date"); err != nil {
			return File{}, err
		}
	} else if currency, err = p.dynamicCurrency(root); err != nil {
		return File{}, err
	}
	seen := map[string]int{}
	for {
		el, err := p.next(child)
		if err != nil {
			return File{}, err
		}
		if el == nil {
			return f, nil
		}
		r, err := p.rate(f.Kind, el, root, day, currency)
		if err != nil {
			return File{}, err
		}
		key := r.Currency + " " + r.Date.Format(time.DateOnly)
		if first, ok := seen[key]; ok {
			return File{}, &ParseError{Line: el.line, Element: child, Msg: fmt.Sprintf("%s on %s is given twice (first on line %d)", r.Currency, r.Date.Format("02.01.2006"), first)}
		}
		seen[key] = el.line
		f.Rates = append(f.Rates, r)
	}
}

// root is the ValCurs element.
func (p *parser) root() (*element, error) {
	for {
		tok, err := p.token()
		if err == io.EOF {
			return nil, &ParseError{Line: p.line(), Msg: "the file has no ValCurs element: is it a Bank of Russia rates file?"}
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "ValCurs" {
				return nil, &ParseError{Line: p.line(), Element: se.Name.Local, Msg: "the root element is not ValCurs: is it a Bank of Russia rates file?"}
			}
			return &element{name: "ValCurs", line: p.line(), attrs: attrs(se)}, nil
		}
	}
}

// next reads the next child of the root named want (nil at its end);
// any other child is refused.
func (p *parser) next(want string) (*element, error) {
	for {
		tok, err := p.token()
		if err == io.EOF {
			return nil, &ParseError{Line: p.line(), Element: "ValCurs", Msg: "the file ends before </ValCurs>"}
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil, nil
		case xml.StartElement:
			if t.Name.Local != want {
				return nil, &ParseError{Line: p.line(), Element: t.Name.Local, Msg: fmt.Sprintf("unexpected element: this file holds %s elements", want)}
			}
			return p.children(t)
		}
	}
}

// children reads an element's child elements and their texts.
func (p *parser) children(start xml.StartElement) (*element, error) {
	el := &element{name: start.Name.Local, line: p.line(), attrs: attrs(start), text: map[string]string{}, lines: map[string]int{}}
	cur, depth := "", 0
	for {
		tok, err := p.token()
		if err == io.EOF {
			return nil, &ParseError{Line: p.line(), Element: el.name, Msg: "the file ends inside the element"}
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				cur = t.Name.Local
				el.lines[cur] = p.line()
			}
		case xml.CharData:
			if depth == 1 {
				el.text[cur] += string(t)
			}
		case xml.EndElement:
			if depth == 0 {
				return el, nil
			}
			depth--
		}
	}
}

func attrs(se xml.StartElement) map[string]string {
	m := map[string]string{}
	for _, a := range se.Attr {
		m[a.Name.Local] = a.Value
	}
	return m
}

// dynamicCurrency is the ISO code of a dynamic file's currency: the
// bank's id mapped, or the caller's, which must agree.
func (p *parser) dynamicCurrency(root *element) (string, error) {
	id := root.attrs["ID"]
	iso, known := BankIDs[id]
	switch {
	case known && p.currency != "" && p.currency != iso:
		return "", &ParseError{Line: root.line, Element: "ValCurs", Msg: fmt.Sprintf("the file is of %s (%s), not %s", id, iso, p.currency)}
	case known:
		return iso, nil
	case p.currency == "":
		return "", &ParseError{Line: root.line, Element: "ValCurs", Msg: fmt.Sprintf("the bank's id %s is not one Voronka knows: name the currency (--currency)", id)}
	case !isoCode.MatchString(p.currency):
		return "", &ParseError{Line: root.line, Element: "ValCurs", Msg: fmt.Sprintf("%q is not a currency code such as USD", p.currency)}
	}
	return p.currency, nil
}

var (
	isoCode   = regexp.MustCompile(`^[A-Z]{3}$`)
	bankValue = regexp.MustCompile(`^[0-9]{1,12}([,.][0-9]{1,8})?$`)
)

// rate is one Valute (daily) or Record (dynamic).
func (p *parser) rate(kind string, el, root *element, day time.Time, currency string) (Bank, error) {
	r := Bank{Line: el.line, Currency: currency, Date: day}
	if kind == "daily" {
		r.BankID = el.attrs["ID"]
		r.Currency = strings.TrimSpace(el.text["CharCode"])
		if !isoCode.MatchString(r.Currency) {
			return Bank{}, el.fail("CharCode", fmt.Sprintf("%q is not a currency code such as USD", r.Currency))
		}
	} else {
		r.BankID = el.attrs["Id"]
		if r.BankID != root.attrs["ID"] {
			return Bank{}, &ParseError{Line: el.line, Element: "Record", Msg: fmt.Sprintf("Id %q is not the file's currency %s", r.BankID, root.attrs["ID"])}
		}
		var err error
		if r.Date, err = bankDate(el, "Date"); err != nil {
			return Bank{}, err
		}
	}
	nominal, err := strconv.Atoi(strings.TrimSpace(el.text["Nominal"]))
	if err != nil || nominal <= 0 {
		return Bank{}, el.fail("Nominal", fmt.Sprintf("%q is not a whole number above zero", el.text["Nominal"]))
	}
	v := strings.TrimSpace(el.text["Value"])
	if !bankValue.MatchString(v) {
		return Bank{}, el.fail("Value", fmt.Sprintf("%q is not a rate such as 92,5058", el.text["Value"]))
	}
	value := decimal.RequireFromString(strings.Replace(v, ",", ".", 1))
	if !value.IsPositive() {
		return Bank{}, el.fail("Value", "a rate must be above zero")
	}
	r.Rate = value.DivRound(decimal.NewFromInt(int64(nominal)), Scale)
	if !r.Rate.IsPositive() {
		return Bank{}, el.fail("Value", fmt.Sprintf("%s per %d rounds to zero at %d decimals", v, nominal, Scale))
	}
	return r, nil
}

// fail is a ParseError at the child named, or at el when it is missing.
func (el *element) fail(child, msg string) error {
	if line, ok := el.lines[child]; ok {
		return &ParseError{Line: line, Element: child, Msg: msg}
	}
	return &ParseError{Line: el.line, Element: el.name, Msg: "no " + child + " element"}
}

// bankDate reads a date attribute written as the bank does, 02.03.2024.
func bankDate(el *element, attr string) (time.Time, error) {
	s := el.attrs[attr]
	d, err := time.Parse("02.01.2006", s)
	if err != nil || d.Before(firstDay) || d.After(lastDay) {
		return time.Time{}, &ParseError{Line: el.line, Element: el.name, Msg: fmt.Sprintf("%s=%q is not a date such as 02.03.2024", attr, s)}
	}
	return d, nil
}
