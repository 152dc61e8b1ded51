package domain

import (
	"fmt"
	"strings"
)

// Role is one of the four roles of docs/api.md ("Roles").
type Role string

// The roles. Only these exist; the database checks it too.
const (
	RoleAdmin    Role = "admin"
	RoleDirector Role = "director"
	RoleAnalyst  Role = "analyst"
	RoleManager  Role = "manager"
)

// Roles lists every role, for validation messages.
var Roles = []Role{RoleAdmin, RoleDirector, RoleAnalyst, RoleManager}

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (allowed: %s)", s, joinRoles())
}

func joinRoles() string {
	s := make([]string, len(Roles))
	for i, r := range Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}
