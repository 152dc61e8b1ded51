package server

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
)

// openAPI serves an OpenAPI 3 description generated from the route table
// and the Go types of request and response bodies, so it stays true.
func (s *Server) openAPI(c *fiber.Ctx) error {
	s.specOnce.Do(func() { s.spec = buildSpec(s.apiRoutes) })
	return c.JSON(s.spec)
}

// specState is the route table MountAPI served and its OpenAPI
// document, built on first request.
type specState struct {
	apiRoutes []Route
	specOnce  sync.Once
	spec      map[string]any
}

var paramRe = regexp.MustCompile(`:([a-zA-Z_]+)`)

// OpenAPIPath turns Fiber's /deals/:id into OpenAPI's /deals/{id}.
func OpenAPIPath(p string) string { return paramRe.ReplaceAllString(p, "{$1}") }

func buildSpec(routes []Route) map[string]any {
	g := &schemaGen{defs: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, r := range routes {
		p := "/api/v1" + OpenAPIPath(r.Path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(r.Method)] = g.operation(r)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Voronka API", "version": "1",
			"description": "CRM core and sales-funnel analytics. Errors: {\"error\": {code, message, field}}."},
		"paths": paths,
		"components": map[string]any{
			"schemas": g.defs,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie,
					"description": "The pages' session. A POST, PUT, PATCH or DELETE with it alone must come from this host " +
						"(Origin, else Referer) or carry " + CSRFHeader + " (the " + CSRFCookie + " cookie's value): otherwise 403 cross_origin."},
			},
		},
	}
}

func (g *schemaGen) operation(r Route) map[string]any {
	op := map[string]any{"summary": r.Summary, "responses": g.responses(r)}
	var params []any
	for _, m := range paramRe.FindAllStringSubmatch(r.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range r.Query {
		params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	if r.Body != nil {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(r.Body))}}}
	}
	if !r.Public {
		op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
	}
	if r.Roles != nil {
		op["description"] = "Roles: " + joinRoleNames(r.Roles)
	}
	return op
}

func (g *schemaGen) responses(r Route) map[string]any {
	ok := map[string]any{"description": "success"}
	if r.Answer != nil {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(r.Answer))}}
	}
	if r.File != "" {
		ok["content"] = map[string]any{r.File: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
	}
	status := "200"
	switch {
	case r.Status != 0:
		status = strconv.Itoa(r.Status)
	case r.Answer == nil && r.File == "":
		status = "204"
	case r.Method == "POST":
		status = "201"
	}
	errResp := map[string]any{"description": "error: {error: {code, message, field}}"}
	return map[string]any{status: ok, "default": errResp}
}

func joinRoleNames(rs []domain.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// schemaGen turns Go types into OpenAPI schemas; named structs go to
// components/schemas once and are referenced.
type schemaGen struct{ defs map[string]any }

var (
	timeType  = reflect.TypeOf(time.Time{})
	moneyType = reflect.TypeOf(domain.Money{})
	// decimalType: a struct embedding only it is a number in JSON (a
	// currency rate, rates.Value).
	decimalType = reflect.TypeOf(decimal.Decimal{})
	pkgPathRe   = regexp.MustCompile(`[A-Za-z0-9_.\-]*/`)
	nonWordRe   = regexp.MustCompile(`[^A-Za-z0-9]+`)
)

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == moneyType:
		return map[string]any{"type": "number", "multipleOf": 0.01}
	case t.Kind() == reflect.Struct && t.NumField() == 1 && t.Field(0).Anonymous && t.Field(0).Type == decimalType:
		return map[string]any{"type": "number"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := g.schema(t.Elem())
		if _, isRef := s["$ref"]; isRef {
			return map[string]any{"allOf": []any{s}, "nullable": true}
		}
		s["nullable"] = true
		return s
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		return g.structRef(t)
	}
	return map[string]any{}
}

func (g *schemaGen) structRef(t reflect.Type) map[string]any {
	name := strings.Trim(nonWordRe.ReplaceAllString(pkgPathRe.ReplaceAllString(t.String(), ""), "_"), "_")
	ref := map[string]any{"$ref": "#/components/schemas/" + name}
	if _, done := g.defs[name]; done {
		return ref
	}
	g.defs[name] = map[string]any{} // placeholder against recursion
	props := map[string]any{}
	g.fields(t, props)
	g.defs[name] = map[string]any{"type": "object", "properties": props}
	return ref
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			g.fields(f.Type, props)
			continue
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		props[tag] = g.schema(f.Type)
	}
}
