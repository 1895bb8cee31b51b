package auth

import "testing"

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
	}
	for _, tt := range tests {
		ok, err := CheckPassword(h, tt.pw)
		if err != nil || ok != tt.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
	if h2, _ := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: no salt?")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=x$a$b", "$2a$10$bcrypt"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword accepted hash %q", bad)
		}
	}
}

func TestTokens(t *testing.T) {
	tok, hash := NewToken()
	if len(tok) < 40 || HashToken(tok) != hash || hash == tok {
		t.Errorf("token %q hash %q", tok, hash)
	}
	if other, _ := NewToken(); other == tok {
		t.Error("tokens repeat")
	}
	if CheckPasswordStrength("short") == "" || CheckPasswordStrength("long enough pass") != "" {
		t.Error("strength check")
	}
}
