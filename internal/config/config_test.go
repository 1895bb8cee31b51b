package config

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the time zones below, whatever the machine has installed
)

// clearEnv unsets every MASTHEAD_ variable for the test, so that the
// machine's own settings do not leak in (t.Setenv restores them after).
func clearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "MASTHEAD_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
}

func setEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// TestFlagsAndEnv checks, for every setting with a variable, the default,
// the variable when the flag is absent, and the flag winning over it.
func TestFlagsAndEnv(t *testing.T) {
	tests := []struct {
		flag, env string
		def       string // the value with neither
		flagVal   string
		envVal    string
		get       func(Config, Storage) string
	}{
		{"addr", "MASTHEAD_ADDR", ":8080", "127.0.0.1:9000", ":7000", func(c Config, _ Storage) string { return c.Addr }},
		{"data", "MASTHEAD_DATA", "./data", "/srv/flag", "/srv/env", func(_ Config, s Storage) string { return s.DataDir }},
		{"database", "MASTHEAD_DATABASE_URL", "", "postgres://flag@db/masthead", "postgres://env@db/masthead", func(_ Config, s Storage) string { return s.DatabaseURL }},
		{"base-url", "MASTHEAD_BASE_URL", "", "https://flag.example", "https://env.example", func(c Config, _ Storage) string { return c.BaseURL }},
		{"timezone", "MASTHEAD_TIMEZONE", "UTC", "Europe/London", "America/New_York", func(c Config, _ Storage) string { return c.Location.String() }},
		{"demo", "MASTHEAD_DEMO", "true", "false", "no", func(c Config, _ Storage) string { return fmt.Sprint(c.Demo) }},
		{"trust-proxy", "MASTHEAD_TRUST_PROXY", "false", "true", "on", func(c Config, _ Storage) string { return fmt.Sprint(c.TrustProxy) }},
		{"log-format", "MASTHEAD_LOG_FORMAT", "text", "json", "json", func(c Config, _ Storage) string { return c.LogFormat }},
		{"log-level", "MASTHEAD_LOG_LEVEL", "INFO", "debug", "warn", func(c Config, _ Storage) string { return c.LogLevel.String() }},
		{"cache-mb", "MASTHEAD_CACHE_MB", "64", "0", "128", func(c Config, _ Storage) string { return fmt.Sprint(c.CacheMB) }},
		{"smtp-addr", "MASTHEAD_SMTP_ADDR", "", "mail.example:587", "smtp.example:25", func(c Config, _ Storage) string { return c.SMTP.Addr }},
		{"smtp-from", "MASTHEAD_SMTP_FROM", "", "flag@example.org", "Env Desk <env@example.org>", func(c Config, _ Storage) string { return c.SMTP.From }},
	}
	// Set, smtp-from needs a mail server, and a mail server a sender.
	companion := map[string][]string{"smtp-from": {"--smtp-addr=mail.example:587"}, "smtp-addr": {"--smtp-from=desk@example.org"}}
	for _, tt := range tests {
		t.Run(tt.flag, func(t *testing.T) {
			// The env value differs from the flag value in the result, except where a
			// setting has only two values and both spell the same one.
			want := map[string]string{"default": tt.def, "env": tt.envVal, "flag": tt.flagVal}
			switch tt.flag {
			case "demo":
				want["env"] = "false"
			case "trust-proxy":
				want["env"] = "true"
			case "log-level":
				want["env"], want["flag"] = "WARN", "DEBUG"
			}
			for _, how := range []string{"default", "env", "flag"} {
				t.Run(how, func(t *testing.T) {
					clearEnv(t)
					var args []string
					if how != "default" {
						args = companion[tt.flag]
						t.Setenv(tt.env, tt.envVal)
					}
					if how == "flag" {
						args = append(args, "--"+tt.flag+"="+tt.flagVal)
					}
					c, st, err := ParseServe(args, io.Discard)
					if err != nil {
						t.Fatalf("ParseServe(%q) with %s=%q: %v", args, tt.env, os.Getenv(tt.env), err)
					}
					if got := tt.get(c, st); got != want[how] {
						t.Errorf("%s: got %q, want %q", how, got, want[how])
					}
				})
			}
		})
	}
}

func TestOtherSettings(t *testing.T) {
	clearEnv(t)
	t.Setenv("MASTHEAD_SMTP_PASSWORD", "secret")
	t.Setenv("MASTHEAD_S3_ACCESS_KEY", "access")
	t.Setenv("MASTHEAD_S3_SECRET_KEY", "s3secret")
	c, st, err := ParseServe([]string{"--shutdown-timeout=3s", "--comment-limit=9", "--base-url=https://news.example/",
		"--smtp-addr=mail.example:587", "--smtp-from=desk@example.org", "--smtp-user=desk", "--media=s3://bucket?endpoint=https://s3.example"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.ShutdownTimeout != 3*time.Second || c.CommentLimit != 9 || c.BaseURL != "https://news.example" ||
		c.SMTP.User != "desk" || c.SMTP.Password != "secret" || st.S3AccessKey != "access" || st.S3SecretKey != "s3secret" || st.Media == "" {
		t.Errorf("got %+v %+v", c, st)
	}
	// The defaults of the flags without a variable.
	clearEnv(t)
	if c, _, err = ParseServe(nil, io.Discard); err != nil || c.ShutdownTimeout != 15*time.Second || c.CommentLimit != 5 || c.LogLevel != slog.LevelInfo {
		t.Errorf("defaults: %+v %v", c, err)
	}
}

// TestBadValues checks that each bad setting is refused with a message
// naming where it came from (the flag, or the variable when the flag was
// not given) and the bad value.
func TestBadValues(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // all in the error
	}{
		{"addr without port", []string{"--addr=localhost"}, nil, []string{"--addr", `"localhost"`}},
		{"addr port out of range", []string{"--addr=:99999"}, nil, []string{"--addr", `":99999"`}},
		{"addr port by name", []string{"--addr=:http"}, nil, []string{"--addr", `":http"`}},
		{"addr from env", nil, map[string]string{"MASTHEAD_ADDR": "nonsense"}, []string{"MASTHEAD_ADDR", `"nonsense"`}},
		{"addr empty in env", nil, map[string]string{"MASTHEAD_ADDR": ""}, []string{"MASTHEAD_ADDR", `""`}},
		{"data empty", []string{"--data="}, nil, []string{"--data"}},
		{"database scheme", []string{"--database=mysql://u:hunter2@db/x"}, nil, []string{"--database", "mysql://u:xxxxx@db/x"}},
		{"media not s3", []string{"--media=/srv/media"}, nil, []string{"--media", `"/srv/media"`}},
		{"media without keys", []string{"--media=s3://bucket"}, nil, []string{"MASTHEAD_S3_ACCESS_KEY"}},
		{"base url relative", []string{"--base-url=news.example"}, nil, []string{"--base-url", `"news.example"`}},
		{"base url ftp", []string{"--base-url=ftp://news.example"}, nil, []string{"--base-url", `"ftp://news.example"`}},
		{"base url with path", []string{"--base-url=https://news.example/site"}, nil, []string{"--base-url", `"https://news.example/site"`}},
		{"base url with query", []string{"--base-url=https://news.example/?a=b"}, nil, []string{"--base-url"}},
		{"base url from env", nil, map[string]string{"MASTHEAD_BASE_URL": "://"}, []string{"MASTHEAD_BASE_URL", `"://"`}},
		{"timezone", []string{"--timezone=Mars/Olympus"}, nil, []string{"--timezone", `"Mars/Olympus"`}},
		{"timezone from env", nil, map[string]string{"MASTHEAD_TIMEZONE": "Nowhere"}, []string{"MASTHEAD_TIMEZONE", `"Nowhere"`}},
		{"log format", []string{"--log-format=xml"}, nil, []string{"--log-format", `"xml"`}},
		{"log format from env", nil, map[string]string{"MASTHEAD_LOG_FORMAT": "yaml"}, []string{"MASTHEAD_LOG_FORMAT", `"yaml"`}},
		{"log level", []string{"--log-level=loud"}, nil, []string{"--log-level", `"loud"`}},
		{"log level from env", nil, map[string]string{"MASTHEAD_LOG_LEVEL": "verbose"}, []string{"MASTHEAD_LOG_LEVEL", `"verbose"`}},
		{"duration", []string{"--shutdown-timeout=soon"}, nil, []string{"shutdown-timeout", `"soon"`}},
		{"duration negative", []string{"--shutdown-timeout=-1s"}, nil, []string{"--shutdown-timeout", "-1s"}},
		{"cache negative", []string{"--cache-mb=-1"}, nil, []string{"--cache-mb", "-1"}},
		{"cache negative from env", nil, map[string]string{"MASTHEAD_CACHE_MB": "-5"}, []string{"MASTHEAD_CACHE_MB", "-5"}},
		{"cache not a number", []string{"--cache-mb=lots"}, nil, []string{"cache-mb", `"lots"`}},
		{"cache not a number in env", nil, map[string]string{"MASTHEAD_CACHE_MB": "64MB"}, []string{"MASTHEAD_CACHE_MB", `"64MB"`}},
		{"comment limit", []string{"--comment-limit=0"}, nil, []string{"--comment-limit", "0"}},
		{"demo flag", []string{"--demo=maybe"}, nil, []string{"demo", `"maybe"`}},
		{"demo env", nil, map[string]string{"MASTHEAD_DEMO": "maybe"}, []string{"MASTHEAD_DEMO", `"maybe"`}},
		{"trust proxy env", nil, map[string]string{"MASTHEAD_TRUST_PROXY": "2"}, []string{"MASTHEAD_TRUST_PROXY", `"2"`}},
		{"smtp addr without from", []string{"--smtp-addr=mail.example:587"}, nil, []string{"--smtp-addr", `"mail.example:587"`, "--smtp-from"}},
		{"smtp addr without port", []string{"--smtp-addr=mail.example", "--smtp-from=a@example.org"}, nil, []string{"--smtp-addr", `"mail.example"`}},
		{"smtp addr without host", []string{"--smtp-addr=:587", "--smtp-from=a@example.org"}, nil, []string{"--smtp-addr", `":587"`}},
		{"smtp from bad", []string{"--smtp-addr=mail.example:587", "--smtp-from=not an address"}, nil, []string{"--smtp-from", `"not an address"`}},
		{"smtp from bad in env", []string{"--smtp-addr=mail.example:587"}, map[string]string{"MASTHEAD_SMTP_FROM": "desk@"}, []string{"MASTHEAD_SMTP_FROM", `"desk@"`}},
		{"smtp from without addr", []string{"--smtp-from=a@example.org"}, nil, []string{"--smtp-addr"}},
		{"smtp user without password", []string{"--smtp-addr=mail.example:587", "--smtp-from=a@example.org", "--smtp-user=desk"}, nil, []string{"MASTHEAD_SMTP_PASSWORD"}},
		{"dkim key without smtp", []string{"--dkim-key=k.pem"}, nil, []string{"--smtp-addr"}},
		{"dkim key without selector", []string{"--smtp-addr=mail.example:587", "--smtp-from=a@example.org", "--dkim-key=k.pem"}, nil, []string{"--dkim-selector"}},
		{"dkim selector without key", []string{"--smtp-addr=mail.example:587", "--smtp-from=a@example.org", "--dkim-selector=s1"}, nil, []string{"--dkim-key"}},
		{"dkim domain bad", []string{"--smtp-addr=mail.example:587", "--smtp-from=a@example.org", "--dkim-key=k.pem", "--dkim-selector=s1", "--dkim-domain=a b"}, nil, []string{"--dkim-domain", `"a b"`}},
		{"dkim selector bad in env", []string{"--smtp-addr=mail.example:587", "--smtp-from=a@example.org", "--dkim-key=k.pem"}, map[string]string{"MASTHEAD_DKIM_SELECTOR": "s;1"}, []string{"MASTHEAD_DKIM_SELECTOR"}},
		{"bounce addr without port", []string{"--smtp-addr=mail.example:587", "--smtp-from=a@example.org", "--bounce-addr=mx"}, nil, []string{"--bounce-addr", `"mx"`}},
		{"bounce addr without smtp", nil, map[string]string{"MASTHEAD_BOUNCE_ADDR": ":2525"}, []string{"MASTHEAD_BOUNCE_ADDR", "--smtp-from"}},
		{"unknown flag", []string{"--colour=red"}, nil, []string{"colour"}},
		{"stray argument", []string{"now"}, nil, []string{`"now"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			setEnv(t, tt.env)
			_, _, err := ParseServe(tt.args, io.Discard)
			if err == nil {
				t.Fatalf("ParseServe(%q) with %v: no error", tt.args, tt.env)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
}

// TestFlagWinsOverBadEnv: a bad variable does not matter when its flag is
// given, as the flag wins anyway.
func TestFlagWinsOverBadEnv(t *testing.T) {
	clearEnv(t)
	setEnv(t, map[string]string{"MASTHEAD_DEMO": "maybe", "MASTHEAD_CACHE_MB": "lots", "MASTHEAD_ADDR": "nonsense", "MASTHEAD_LOG_LEVEL": "loud"})
	c, _, err := ParseServe([]string{"--demo=false", "--cache-mb=8", "--addr=:9090", "--log-level=error"}, io.Discard)
	if err != nil || c.Demo || c.CacheMB != 8 || c.Addr != ":9090" || c.LogLevel != slog.LevelError {
		t.Errorf("got %+v, %v", c, err)
	}
}

func TestSeveralErrorsAtOnce(t *testing.T) {
	clearEnv(t)
	_, _, err := ParseServe([]string{"--addr=x", "--timezone=Nowhere", "--log-format=xml"}, io.Discard)
	for _, w := range []string{"--addr", "--timezone", "--log-format"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not mention %s", err, w)
		}
	}
}
