package api

import (
	"fmt"
	"strings"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// manager finds the active manager a plan file names: by e-mail, by full
// name (case and ё aside), or by surname with the first names or their
// initials (Иванов И. И., Иванов Иван, Иван Иванов). It returns a
// problem's code and message when there is none, several, or the one
// found is no manager.
func (r planRefs) manager(v string) (crmcore.User, string, string) {
	if v == "" {
		return crmcore.User{}, "required", "the manager is empty"
	}
	if strings.Contains(v, "@") {
		for _, u := range r.users {
			if strings.EqualFold(u.Email, v) && u.Active {
				return isManager(u)
			}
		}
		return crmcore.User{}, codeUnknownManager, fmt.Sprintf("no active user with e-mail %s", v)
	}
	given := nameWords(v)
	var exact, like []crmcore.User
	for _, u := range r.users {
		if !u.Active {
			continue
		}
		words := nameWords(u.Name)
		switch {
		case strings.Join(words, " ") == strings.Join(given, " "):
			exact = append(exact, u)
		case nameLike(given, words) || (len(given) == 2 && nameLike([]string{given[1], given[0]}, words)):
			like = append(like, u)
		}
	}
	found := exact
	if len(found) == 0 {
		found = like
	}
	if managers := onlyManagers(found); len(managers) > 0 {
		found = managers
	}
	switch len(found) {
	case 0:
		return crmcore.User{}, codeUnknownManager, fmt.Sprintf("no active user named %s", v)
	case 1:
		return isManager(found[0])
	}
	return crmcore.User{}, codeAmbiguousManager, fmt.Sprintf("%d managers are named %s: write the e-mail", len(found), v)
}

func isManager(u crmcore.User) (crmcore.User, string, string) {
	if u.Role != domain.RoleManager {
		return crmcore.User{}, "not_a_manager", fmt.Sprintf("%s is a %s: plans are set for managers", u.Name, u.Role)
	}
	return u, "", ""
}

func onlyManagers(us []crmcore.User) []crmcore.User {
	var out []crmcore.User
	for _, u := range us {
		if u.Role == domain.RoleManager {
			out = append(out, u)
		}
	}
	return out
}

// nameWords are a name's words in lower case, ё as е, dots as spaces.
func nameWords(s string) []string {
	s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	return strings.Fields(strings.ReplaceAll(s, ".", " "))
}

// nameLike: the surname is the same and each further given word starts
// a further word of the name (Иванов И И, Иванов Иван).
func nameLike(given, words []string) bool {
	if len(given) < 2 || len(given) > len(words) || given[0] != words[0] {
		return false
	}
	for i := 1; i < len(given); i++ {
		if !strings.HasPrefix(words[i], given[i]) {
			return false
		}
	}
	return true
}

// pipeline finds a deal pipeline by code or name (nil: all pipelines,
// for an empty cell).
func (r planRefs) pipeline(v string) (*string, bool) {
	if v == "" {
		return nil, true
	}
	for _, p := range r.pipelines {
		if p.Entity == "deal" && (strings.EqualFold(p.Code, v) || strings.EqualFold(strings.Join(nameWords(p.Name), " "), strings.Join(nameWords(v), " "))) {
			code := p.Code
			return &code, true
		}
	}
	return nil, false
}
