package masthead_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The architecture is written down once, as a table in the README (section
// "Architecture"); this test reads that table and holds the code to it.

const module = "masthead"

// layering is the README's table: each package's group, and the groups
// each group may import.
type layering struct {
	group  map[string]string          // package (as in the table) -> group
	allows map[string]map[string]bool // group -> groups it may import
}

func readLayering(readme io.Reader) (*layering, error) {
	l := &layering{group: map[string]string{}, allows: map[string]map[string]bool{}}
	in := false
	sc := bufio.NewScanner(readme)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "<!-- architecture: the test parses this table -->":
			in = true
			continue
		case line == "<!-- /architecture -->":
			in = false
		}
		if !in || !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---") || strings.HasPrefix(line, "| group ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 3 {
			return nil, fmt.Errorf("architecture table row %q: want 3 cells", line)
		}
		group := strings.TrimSpace(cells[0])
		l.allows[group] = map[string]bool{}
		for _, g := range strings.Split(cells[2], ",") {
			l.allows[group][strings.TrimSpace(g)] = true
		}
		for _, p := range strings.Fields(cells[1]) {
			if prev, dup := l.group[p]; dup {
				return nil, fmt.Errorf("package %s is in two groups, %s and %s", p, prev, group)
			}
			l.group[p] = group
		}
	}
	if len(l.group) == 0 {
		return nil, errors.New("no architecture table found")
	}
	for g, allowed := range l.allows {
		for a := range allowed {
			if _, ok := l.allows[a]; !ok {
				return nil, fmt.Errorf("group %q may import unknown group %q", g, a)
			}
		}
	}
	return l, sc.Err()
}

// short is a package's name in the table: its path in the module, without
// the leading internal/.
func short(importPath string) string {
	p := strings.TrimPrefix(importPath, module+"/")
	return strings.TrimPrefix(p, "internal/")
}

// violations lists the imports the layering forbids, and the packages it
// does not place. imports maps each package of the module to the module
// packages it imports.
func (l *layering) violations(imports map[string][]string) []string {
	var out []string
	for _, pkg := range slices.Sorted(mapsKeys(imports)) {
		from, ok := l.group[short(pkg)]
		if !ok {
			out = append(out, fmt.Sprintf("%s is in no group of the README's architecture table", short(pkg)))
			continue
		}
		for _, imp := range imports[pkg] {
			to, ok := l.group[short(imp)]
			if !ok {
				continue // reported as a package of its own
			}
			if !l.allows[from][to] {
				out = append(out, fmt.Sprintf("%s (%s) imports %s (%s): %s may import only %s",
					short(pkg), from, short(imp), to, from, strings.Join(slices.Sorted(mapsKeys(l.allows[from])), ", ")))
			}
		}
	}
	return out
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// moduleImports runs go list over the module: each package's imports
// within the module, tests left out.
func moduleImports(t *testing.T) map[string][]string {
	t.Helper()
	// -e: a package that does not load (an import cycle, which is what
	// most forbidden imports make) is reported with its error.
	out, err := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,Error", "./...").Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("go list: %v\n%s", err, exit.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
			Error      *struct{ Err string }
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("go list output: %v", err)
		}
		if p.Error != nil {
			t.Errorf("%s does not load: %s", short(p.ImportPath), p.Error.Err)
		}
		if p.ImportPath == module {
			continue // this test's own package
		}
		var own []string
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, module+"/") {
				own = append(own, imp)
			}
		}
		imports[p.ImportPath] = own
	}
	return imports
}

// readmeLayering reads the README's architecture table.
func readmeLayering(t *testing.T) *layering {
	t.Helper()
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := readLayering(f)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestImportGraph(t *testing.T) {
	l := readmeLayering(t)
	for _, v := range l.violations(moduleImports(t)) {
		t.Error(v)
	}
}

// TestLayeringCatches shows the check failing on the imports it must
// refuse, with the README's own table.
func TestLayeringCatches(t *testing.T) {
	l := readmeLayering(t)
	tests := []struct {
		name          string
		from, import_ string
	}{
		{"a surface imports another surface", "internal/admin", "internal/web"},
		{"the REST API imports the newsroom screens", "internal/wpapi", "internal/admin"},
		{"the command line imports a surface", "internal/cli", "internal/wpapi"},
		{"the reader site imports the newsroom screens", "internal/web", "internal/admin"},
		{"the newsroom screens read the store", "internal/admin", "internal/store"},
		{"the REST API reads the store", "internal/wpapi", "internal/store"},
		{"the store imports a surface", "internal/store", "internal/web"},
		{"the domain imports the services", "internal/news", "internal/newsroom"},
		{"the store imports the services", "internal/store", "internal/newsroom"},
		{"a service imports a surface", "internal/newsroom", "internal/admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := l.violations(map[string][]string{module + "/" + tt.from: {module + "/" + tt.import_}})
			if len(got) != 1 {
				t.Errorf("%s importing %s: violations %q, want one", tt.from, tt.import_, got)
			}
		})
	}
	if got := l.violations(map[string][]string{module + "/internal/brandnew": nil}); len(got) != 1 {
		t.Errorf("a package in no group: %q, want one violation", got)
	}
}

// TestPermissionsDecidedInServices finds calls of Role.Can — the
// permission check — outside the service layer. The domain defines it; the
// services (internal/newsroom) are the only ones to call it.
func TestPermissionsDecidedInServices(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("internal", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if strings.HasPrefix(path, filepath.Join("internal", "newsroom")+string(filepath.Separator)) {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, call := range permissionChecks(file) {
			t.Errorf("%s: a permission decision outside the services; ask newsroom.Service instead", fset.Position(call.Pos()))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// permissionChecks returns the calls x.Can(p) in file where p names a
// permission (news.PermX, or PermX inside package news).
func permissionChecks(file *ast.File) []*ast.CallExpr {
	var out []*ast.CallExpr
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Can" {
			return true
		}
		var name string
		switch arg := call.Args[0].(type) {
		case *ast.SelectorExpr:
			name = arg.Sel.Name
		case *ast.Ident:
			name = arg.Name
		}
		if strings.HasPrefix(name, "Perm") {
			out = append(out, call)
		}
		return true
	})
	return out
}

func TestPermissionChecksFound(t *testing.T) {
	src := `package p
func f(u user, a article) bool {
	ok := u.Role.Can(news.PermModerate) || role.Can(PermEditAny)
	return ok && a.Can("something else")
}`
	file, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(permissionChecks(file)); got != 2 {
		t.Errorf("found %d permission checks, want 2", got)
	}
}
