package mailbox

import (
	"regexp"
	"strings"
)

// legalLine finds a company with a legal form in a line of a signature:
// ООО «Ромашка», АО "Вектор", ИП Сидоров, Acme LLC.
var legalLine = regexp.MustCompile(`(?:^|[\s,;:(])((?:ООО|ЗАО|ОАО|ПАО|АО|НАО|ИП|НКО|АНО|ГУП|МУП|ФГУП)\s+(?:«[^»]+»|"[^"]+"|„[^“]+“|[А-ЯЁA-Z][^\s,;]*(?:\s+[А-ЯЁA-Z][^\s,;]*)?)|(?:«[^»]+»|"[^"]+"|[A-ZА-ЯЁ][\w\-]*(?:\s+[A-ZА-ЯЁ][\w\-]*)?),?\s+(?:LLC|Ltd\.?|Inc\.?|GmbH|ООО|АО))`)

// freeMail are public mail services: their domain names no company.
var freeMail = map[string]bool{
	"mail.ru": true, "bk.ru": true, "list.ru": true, "inbox.ru": true, "internet.ru": true, "yandex.ru": true,
	"ya.ru": true, "yandex.com": true, "rambler.ru": true, "gmail.com": true, "googlemail.com": true,
	"outlook.com": true, "hotmail.com": true, "live.com": true, "icloud.com": true, "me.com": true,
	"yahoo.com": true, "proton.me": true, "protonmail.com": true,
}

// Company guesses the sender's company, kept simple on purpose: the last
// line of the body naming a legal form (the signature is at the end),
// else the sender's domain without its top level (romashka.ru →
// romashka) unless it is a public mail service; else "".
func Company(body, from string) string {
	lines := strings.Split(body, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), ">") {
			continue // quoted reply
		}
		if m := legalLine.FindStringSubmatch(lines[i]); m != nil {
			return strings.TrimSpace(m[1])
		}
	}
	_, domain, ok := strings.Cut(strings.ToLower(from), "@")
	if !ok || freeMail[domain] {
		return ""
	}
	parts := strings.Split(domain, ".")
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-2]
}
