package i18n

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrorText is the message of an application error in lang, from its
// code and the field it names: the text of code@field when the catalogue
// has one (the field without "definition." and with list indexes as
// "[]": "required@params.pipeline", "duplicate@recipients[]"), else of
// the code, else a general "the value does not fit"; with params["want"]
// (what the field takes: money, a date…), code@field#want first. {name} placeholders
// are filled from params (an error's details and what the caller adds):
// a day 2026-01-31 as the reader writes it, a list joined by commas.
func ErrorText(lang, code, field string, params map[string]any) string {
	key := code + "@" + ErrorField(field)
	t, ok := errorTexts[key+"#"+fmt.Sprint(params["want"])]
	if !ok {
		t, ok = errorTexts[key]
	}
	if !ok {
		if t, ok = errorTexts[code]; !ok {
			t = errorTexts["invalid"]
		}
	}
	return fill(lang, t.In(lang), params)
}

// ErrorKnown reports whether the catalogue has a text for code, in both
// languages.
func ErrorKnown(code string) bool {
	t, ok := errorTexts[code]
	return ok && t.RU != "" && t.EN != ""
}

var index = regexp.MustCompile(`\[\d+\]`)

// ErrorField is a field path as the catalogue keys it: without
// "definition." and with indexes as "[]".
func ErrorField(field string) string {
	return index.ReplaceAllString(strings.TrimPrefix(field, "definition."), "[]")
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// fill replaces each {name} of s with params[name] in lang.
func fill(lang, s string, params map[string]any) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		v, ok := params[m[1:len(m)-1]]
		if !ok {
			return m
		}
		return paramText(lang, v)
	})
}

// paramText is one parameter as a reader of lang writes it.
func paramText(lang string, v any) string {
	switch x := v.(type) {
	case string:
		if t, err := time.Parse(time.DateOnly, x); err == nil {
			return Date(lang, t)
		}
		return x
	case int:
		return Integer(lang, int64(x))
	case int64:
		return Integer(lang, x)
	case []string:
		return strings.Join(x, ", ")
	}
	return fmt.Sprint(v)
}

// LowerFirst is s with its first letter in lower case, for a message
// after a field's label ("Получатели: не больше 50 получателей.").
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
