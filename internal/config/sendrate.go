package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SendRate limits how fast one instance hands newsletter mail to the SMTP
// server: Messages per Per. The zero value is no limit.
type SendRate struct {
	Messages int
	Per      time.Duration
}

// ParseSendRate reads "10/s", "600/m", "5000/h" (or "10/second" …);
// "" and "0" are no limit.
func ParseSendRate(s string) (SendRate, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return SendRate{}, nil
	}
	num, unit, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	per := map[string]time.Duration{"s": time.Second, "sec": time.Second, "second": time.Second,
		"m": time.Minute, "min": time.Minute, "minute": time.Minute, "h": time.Hour, "hour": time.Hour}[strings.ToLower(strings.TrimSpace(unit))]
	if !ok || err != nil || n < 1 || per == 0 {
		return SendRate{}, fmt.Errorf("%q: give messages per second, minute or hour, like 10/s or 600/m (0: no limit)", s)
	}
	return SendRate{Messages: n, Per: per}, nil
}

// String says the rate: "10 per second"; "no limit" for the zero value.
func (r SendRate) String() string {
	if r.Messages <= 0 || r.Per <= 0 {
		return "no limit"
	}
	unit := map[time.Duration]string{time.Second: "second", time.Minute: "minute", time.Hour: "hour"}[r.Per]
	if unit == "" {
		unit = r.Per.String()
	}
	return fmt.Sprintf("%d per %s", r.Messages, unit)
}
