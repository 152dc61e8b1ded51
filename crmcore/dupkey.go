package crmcore

import (
	"sort"
	"strings"
)

// Duplicate keys. Two records are likely duplicates when one of their
// keys is equal. The database computes the same keys with the functions
// of migration 00007 (voronka_phone_key, …) over expression indexes, so a
// search is an index lookup; these Go twins match rows inside one import
// file before they are written. dupkey_test.go checks that both agree.
// An empty key means "no key": it never matches anything.

const (
	upperLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё"
	lowerLetters = "abcdefghijklmnopqrstuvwxyzабвгдеежзийклмнопрстуфхцчшщъыьэюяе"
)

// lowerMap maps each letter of upperLetters to lowerLetters, like SQL
// pgerr.Translate(): independent of any locale.
var lowerMap = func() map[rune]rune {
	up, low := []rune(upperLetters), []rune(lowerLetters)
	m := make(map[rune]rune, len(up))
	for i, r := range up {
		m[r] = low[i]
	}
	return m
}()

func lowerRune(r rune) rune {
	if l, ok := lowerMap[r]; ok {
		return l
	}
	return r
}

func keyLetter(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r >= 'а' && r <= 'я')
}

// normWords lowers s and splits it into words of Latin and Cyrillic
// letters and digits; everything else separates words.
func normWords(s string) []string {
	return strings.FieldsFunc(strings.Map(lowerRune, s), func(r rune) bool { return !keyLetter(r) })
}

// PhoneKey is a phone's digits; a Russian number (+7…, 8…, or 10 digits)
// is written 7XXXXXXXXXX. Fewer than 6 digits is no key.
func PhoneKey(p string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p)
	switch {
	case len(d) < 6:
		return ""
	case len(d) == 11 && (d[0] == '7' || d[0] == '8'):
		return "7" + d[1:]
	case len(d) == 10:
		return "7" + d
	}
	return d
}

// EmailKey is the trimmed, lowered address; text without @ (or starting
// with it) is no key.
func EmailKey(e string) string {
	k := strings.Map(lowerRune, strings.TrimSpace(e))
	if strings.IndexByte(k, '@') < 1 {
		return ""
	}
	return k
}

// legalForms are dropped from company names wherever they stand.
var legalForms = map[string]bool{
	"ооо": true, "зао": true, "оао": true, "пао": true, "ао": true, "нао": true, "ип": true, "нко": true,
	"ано": true, "гуп": true, "муп": true, "фгуп": true, "llc": true, "ltd": true, "inc": true,
	"gmbh": true, "corp": true, "plc": true, "co": true, "ag": true, "sa": true, "bv": true, "oy": true, "ab": true,
}

// legalPhrases are the spelled-out legal forms.
var legalPhrases = []string{
	"общество с ограниченной ответственностью", "закрытое акционерное общество",
	"открытое акционерное общество", "публичное акционерное общество",
	"непубличное акционерное общество", "акционерное общество", "индивидуальный предприниматель",
	"некоммерческая организация", "limited liability company",
}

// CompanyKey is a company name without legal forms, quotes, hyphens,
// punctuation, spaces and case (ё = е): «ООО "Альфа-Строй"» → альфастрой.
func CompanyKey(name string) string {
	s := " " + strings.Join(normWords(name), " ") + " "
	for _, ph := range legalPhrases {
		s = strings.ReplaceAll(s, " "+ph+" ", " ")
	}
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		if !legalForms[w] {
			b.WriteString(w)
		}
	}
	return b.String()
}

// PersonKey is a person's name words sorted, without patronymics (-ич,
// -вна, -ична) when there are three or more words. Fewer than two words
// — a first name alone — is no key.
func PersonKey(name string) string {
	words := normWords(name)
	if len(words) >= 3 {
		kept := words[:0]
		for _, w := range words {
			if !isPatronymic(w) {
				kept = append(kept, w)
			}
		}
		words = kept
	}
	if len(words) < 2 {
		return ""
	}
	sort.Strings(words)
	return strings.Join(words, " ")
}

func isPatronymic(w string) bool {
	return strings.HasSuffix(w, "ич") || strings.HasSuffix(w, "вна") || strings.HasSuffix(w, "ична")
}

// ContactPersonKey is the person key of a contact record: last and first
// name (the middle name does not take part).
func ContactPersonKey(first, last string) string { return PersonKey(last + " " + first) }
