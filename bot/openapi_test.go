package bot

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// openAPIPath is Discord's official OpenAPI 3.1 description of its HTTP API,
// version 10, as published in github.com/discord/discord-api-spec (commit
// 74fda0fa, 2026-07-18), under the MIT licence in testdata/openapi.LICENSE.
const openAPIPath = "testdata/openapi.json"

// apiSpec checks request bodies against Discord's OpenAPI description: every
// key the bot sends must be known to the operation's request-body schema (at
// any depth), with the right JSON type, within maxLength/maxItems, and enum
// values valid. $ref, allOf, anyOf and oneOf are resolved (a union passes when
// any branch does).
//
// One allowance: discordgo always serialises some fields without omitempty
// (tts, content, components, embeds on responses; autocomplete, choices,
// channel_types, options on command options). A key the schema does not know
// is accepted when its value is a zero value (null, false, "", 0, [] or {}),
// which Discord ignores.
//
// And one more: a permission bit set (default_member_permissions) is
// described as an integer in requests and a string in responses; Discord
// takes the string form in requests too (its documentation gives the field
// as a string, and discordgo sends one), so a string of decimal digits
// passes where the schema wants an integer for a key in bitSetKeys.
type apiSpec struct {
	doc map[string]any
	ops map[string]map[string]any // operationId → operation
}

var (
	specOnce sync.Once
	spec     *apiSpec
	specErr  error
)

// loadSpec loads the OpenAPI description, which is part of the repository:
// a missing one fails the test.
func loadSpec(t testing.TB) *apiSpec {
	t.Helper()
	specOnce.Do(func() {
		b, err := os.ReadFile(openAPIPath)
		if err != nil {
			specErr = err
			return
		}
		s := &apiSpec{ops: map[string]map[string]any{}}
		if err := json.Unmarshal(b, &s.doc); err != nil {
			specErr = err
			return
		}
		for _, p := range s.doc["paths"].(map[string]any) {
			for _, o := range p.(map[string]any) {
				if op, ok := o.(map[string]any); ok {
					if id, ok := op["operationId"].(string); ok {
						s.ops[id] = op
					}
				}
			}
		}
		spec = s
	})
	if specErr != nil {
		t.Fatalf("load OpenAPI description %s: %v", openAPIPath, specErr)
	}
	return spec
}

// check validates a JSON request body for an operation and reports problems.
func (s *apiSpec) check(t testing.TB, operation string, body []byte) {
	t.Helper()
	op, ok := s.ops[operation]
	if !ok {
		t.Fatalf("OpenAPI: no operation %q", operation)
	}
	schema := op["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: body is not JSON: %v\n%s", operation, err, body)
	}
	if errs := s.validate(v, schema, "$"); len(errs) > 0 {
		t.Errorf("%s: body does not match Discord's OpenAPI schema:\n  %s\nbody: %s", operation, strings.Join(errs, "\n  "), body)
	}
}

func (s *apiSpec) resolve(schema map[string]any) map[string]any {
	for {
		ref, ok := schema["$ref"].(string)
		if !ok {
			return schema
		}
		node := any(s.doc)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			node = node.(map[string]any)[part]
		}
		schema = node.(map[string]any)
	}
}

func kindOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	}
	return "unknown"
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// bitSetKeys are the keys whose integer bit sets may be sent as strings.
var bitSetKeys = []string{"default_member_permissions"}

// decimalBitSet reports whether v, at path, is a bit set sent as a string.
func decimalBitSet(v any, path string) bool {
	x, ok := v.(string)
	if !ok || x == "" || !slices.ContainsFunc(bitSetKeys, func(k string) bool { return strings.HasSuffix(path, "."+k) }) {
		return false
	}
	for _, r := range x {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (s *apiSpec) validate(v any, schema map[string]any, path string) []string {
	schema = s.resolve(schema)
	if types := typesOf(schema["type"]); slices.Contains(types, "integer") && decimalBitSet(v, path) {
		return nil
	}
	var errs []string
	for _, sub := range list(schema["allOf"]) {
		errs = append(errs, s.validate(v, sub, path)...)
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		branches := list(schema[key])
		if len(branches) == 0 {
			continue
		}
		var best []string
		for i, b := range branches {
			e := s.validate(v, b, path)
			if len(e) == 0 {
				best = nil
				break
			}
			if i == 0 || len(e) < len(best) {
				best = e
			}
		}
		errs = append(errs, best...)
	}
	kind := kindOf(v)
	if types := typesOf(schema["type"]); len(types) > 0 {
		ok := slices.Contains(types, kind) || (kind == "integer" && slices.Contains(types, "number"))
		if !ok {
			return append(errs, fmt.Sprintf("%s: %s, want %v", path, kind, types))
		}
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return e == v }) {
		errs = append(errs, fmt.Sprintf("%s: %v not in enum %v", path, v, enum))
	}
	if c, ok := schema["const"]; ok && c != v {
		errs = append(errs, fmt.Sprintf("%s: %v, want const %v", path, v, c))
	}
	switch x := v.(type) {
	case string:
		if m, ok := schema["maxLength"].(float64); ok && utf8.RuneCountInString(x) > int(m) {
			errs = append(errs, fmt.Sprintf("%s: %d characters, max %v", path, utf8.RuneCountInString(x), m))
		}
		if m, ok := schema["minLength"].(float64); ok && utf8.RuneCountInString(x) < int(m) {
			errs = append(errs, fmt.Sprintf("%s: %d characters, min %v", path, utf8.RuneCountInString(x), m))
		}
	case []any:
		if m, ok := schema["maxItems"].(float64); ok && len(x) > int(m) {
			errs = append(errs, fmt.Sprintf("%s: %d items, max %v", path, len(x), m))
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range x {
				errs = append(errs, s.validate(e, items, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	case map[string]any:
		props, hasProps := schema["properties"].(map[string]any)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := path + "." + k
			if sub, ok := props[k].(map[string]any); ok {
				errs = append(errs, s.validate(x[k], sub, p)...)
				continue
			}
			if add, ok := schema["additionalProperties"].(map[string]any); ok {
				errs = append(errs, s.validate(x[k], add, p)...)
				continue
			}
			if hasProps && !isZero(x[k]) {
				errs = append(errs, fmt.Sprintf("%s: unknown key", p))
			}
		}
		if req, ok := schema["required"].([]any); ok {
			for _, r := range req {
				if _, ok := x[r.(string)]; !ok {
					errs = append(errs, fmt.Sprintf("%s: missing required %q", path, r))
				}
			}
		}
	}
	return errs
}

func list(v any) []map[string]any {
	xs, _ := v.([]any)
	var out []map[string]any
	for _, x := range xs {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func typesOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, t := range x {
			out = append(out, t.(string))
		}
		return out
	}
	return nil
}

// TestSpecCatchesMistakes makes sure the checker rejects what Discord would.
func TestSpecCatchesMistakes(t *testing.T) {
	s := loadSpec(t)
	bad := map[string]string{
		"unknown callback type": `{"type":42,"data":{"content":"x"}}`,
		"unknown key":           `{"type":4,"data":{"content":"x","mentions":"everyone"}}`,
		"content too long":      `{"type":4,"data":{"content":"` + strings.Repeat("x", 2001) + `"}}`,
		"too many choices":      `{"type":8,"data":{"choices":[` + strings.TrimSuffix(strings.Repeat(`{"name":"a","value":"a"},`, 26), ",") + `]}}`,
		"field value too long":  `{"type":4,"data":{"embeds":[{"fields":[{"name":"a","value":"` + strings.Repeat("x", 1025) + `"}]}]}}`,
	}
	for name, body := range bad {
		t.Run(name, func(t *testing.T) {
			ft := &fakeT{TB: t}
			s.check(ft, "create_interaction_response", []byte(body))
			if !ft.failed {
				t.Errorf("checker accepted %s", body)
			}
		})
	}
	s.check(t, "create_interaction_response", []byte(`{"type":4,"data":{"content":"hi","flags":64,"allowed_mentions":{"parse":[]}}}`))

	// A bit set may be a string of digits, nothing else.
	for perms, ok := range map[string]bool{`"32"`: true, `32`: true, `"0x20"`: false, `"Manage Server"`: false, `""`: false} {
		ft := &fakeT{TB: t}
		s.check(ft, "bulk_set_application_commands", []byte(`[{"name":"x","description":"d","default_member_permissions":`+perms+`}]`))
		if ft.failed == ok {
			t.Errorf("default_member_permissions %s: accepted %v, want %v", perms, !ft.failed, ok)
		}
	}
}

// fakeT records failures instead of failing.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Errorf(string, ...any) { f.failed = true }
func (f *fakeT) Fatalf(string, ...any) { f.failed = true }
func (f *fakeT) Helper()               {}
