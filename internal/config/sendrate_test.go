package config

import (
	"testing"
	"time"
)

func TestParseSendRate(t *testing.T) {
	tests := []struct {
		in   string
		want SendRate
		bad  bool
	}{
		{"", SendRate{}, false},
		{"0", SendRate{}, false},
		{"10/s", SendRate{10, time.Second}, false},
		{"600 / minute", SendRate{600, time.Minute}, false},
		{"5000/h", SendRate{5000, time.Hour}, false},
		{"10", SendRate{}, true},
		{"-1/s", SendRate{}, true},
		{"10/fortnight", SendRate{}, true},
		{"ten/s", SendRate{}, true},
	}
	for _, tt := range tests {
		got, err := ParseSendRate(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("ParseSendRate(%q) = %v, %v", tt.in, got, err)
		}
	}
	if s := (SendRate{600, time.Minute}).String(); s != "600 per minute" {
		t.Errorf("String: %q", s)
	}
}
