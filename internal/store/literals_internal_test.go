package store

import "testing"

func TestIntLiterals(t *testing.T) {
	tests := []struct {
		name  string
		query string
		args  []any
		want  string
		ok    bool
	}{
		{"ints", `SELECT 1 WHERE a = +? AND b IN (?, ?) LIMIT ? OFFSET ?`, []any{int64(7), int64(-2), int64(3), 20, 0},
			`SELECT 1 WHERE a = +7 AND b IN (-2, 3) LIMIT 20 OFFSET 0`, true},
		{"none", `SELECT 1`, nil, `SELECT 1`, true},
		{"a mark in a string stays", `SELECT '?' WHERE a = ?`, []any{1}, `SELECT '?' WHERE a = 1`, true},
		{"a string argument", `SELECT 1 WHERE a = ?`, []any{"x' OR 1=1"}, `SELECT 1 WHERE a = ?`, false},
		{"a time argument", `SELECT 1 WHERE a = ? AND b = ?`, []any{1, struct{}{}}, `SELECT 1 WHERE a = ? AND b = ?`, false},
		{"too few marks", `SELECT 1 WHERE a = ?`, []any{1, 2}, `SELECT 1 WHERE a = ?`, false},
		{"too many marks", `SELECT 1 WHERE a = ? AND b = ?`, []any{1}, `SELECT 1 WHERE a = ? AND b = ?`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := intLiterals(tt.query, tt.args)
			if got != tt.want || ok != tt.ok {
				t.Errorf("intLiterals(%q, %v) = %q, %v; want %q, %v", tt.query, tt.args, got, ok, tt.want, tt.ok)
			}
		})
	}
}
