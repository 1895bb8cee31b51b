// Package config holds Masthead's one typed configuration, read from
// command-line flags with environment-variable fallbacks, validated once and
// passed down explicitly.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything `masthead serve` and the other subcommands need.
type Config struct {
	Addr            string
	DataDir         string
	DatabaseURL     string // empty: SQLite in DataDir
	BaseURL         string // empty: derived from the listening address
	Timezone        string
	Location        *time.Location
	Demo            bool
	TrustProxy      bool
	LogFormat       string // "text" or "json"
	LogLevel        slog.Level
	ShutdownTimeout time.Duration
	CommentLimit    int // reader comments one address may post per 10 minutes
	CacheMB         int // page cache memory bound in MiB; 0 turns the cache off
	SMTP            SMTP
	BounceAddr      string // host:port the bounce intake listens on; empty: no intake
	Federation      bool   // the paper and its reporters followable from the fediverse (ActivityPub)
	FederationName  string // the paper's fediverse handle; empty: the slug of its name

	// SendRate is how many newsletter messages this instance sends at most.
	SendRate SendRate
	// FederationLoopback lets federation reach servers on 127.0.0.1: for
	// tests that run the remote side there, never in production.
	FederationLoopback bool
}

// SMTP is the mail server the newsroom sends password-reset links and
// invitations through. With no Addr, mail is written to the log instead.
type SMTP struct {
	Addr     string // host:port
	User     string // empty: no authentication
	Password string // only from $MASTHEAD_SMTP_PASSWORD, never a flag
	From     string // "Name <address>" or "address"

	// DKIM signing: a PEM private key file, the selector its public key
	// is published under (selector._domainkey.domain) and the signing
	// domain (default: --smtp-from's). Empty DKIMKey: no signing.
	DKIMKey, DKIMSelector, DKIMDomain string
}

// RegisterDKIM adds the DKIM flags to fs, for every subcommand that sends.
func RegisterDKIM(fs *flag.FlagSet, m *SMTP) {
	fs.StringVar(&m.DKIMKey, "dkim-key", env("MASTHEAD_DKIM_KEY", ""), "PEM private key (RSA or Ed25519) to DKIM-sign mail with; empty: no signing (env MASTHEAD_DKIM_KEY)")
	fs.StringVar(&m.DKIMSelector, "dkim-selector", env("MASTHEAD_DKIM_SELECTOR", ""), "DKIM selector: the public key is the TXT record SELECTOR._domainkey.DOMAIN (env MASTHEAD_DKIM_SELECTOR)")
	fs.StringVar(&m.DKIMDomain, "dkim-domain", env("MASTHEAD_DKIM_DOMAIN", ""), "DKIM signing domain; default the domain of --smtp-from (env MASTHEAD_DKIM_DOMAIN)")
}

// SigningDomain is the DKIM d= domain: --dkim-domain, or --smtp-from's.
func (m SMTP) SigningDomain() string {
	if m.DKIMDomain != "" {
		return m.DKIMDomain
	}
	if a, err := netmail.ParseAddress(m.From); err == nil {
		_, domain, _ := strings.Cut(a.Address, "@")
		return domain
	}
	return ""
}

// Storage is the part of the configuration every subcommand shares: where
// the site's data lives.
type Storage struct {
	DataDir     string
	DatabaseURL string
	// Media is where media files live: empty for the media folder in
	// DataDir, or s3://bucket[/prefix]?endpoint=…&region=… for an
	// S3-compatible bucket, with the keys from the environment only.
	Media       string
	S3AccessKey string // $MASTHEAD_S3_ACCESS_KEY
	S3SecretKey string // $MASTHEAD_S3_SECRET_KEY
}

// RegisterStorage adds --data and --database to fs, so every subcommand
// names the site the same way.
func RegisterStorage(fs *flag.FlagSet, s *Storage) {
	fs.StringVar(&s.DataDir, "data", env("MASTHEAD_DATA", "./data"), "data folder: the SQLite database and media live here (env MASTHEAD_DATA)")
	fs.StringVar(&s.DatabaseURL, "database", env("MASTHEAD_DATABASE_URL", ""), "database URL; empty uses SQLite in the data folder (env MASTHEAD_DATABASE_URL)")
	fs.StringVar(&s.Media, "media", env("MASTHEAD_MEDIA", ""), "media storage: empty for the data folder, or s3://bucket?endpoint=https://host&region=… with keys in MASTHEAD_S3_ACCESS_KEY and MASTHEAD_S3_SECRET_KEY (env MASTHEAD_MEDIA)")
	s.S3AccessKey, s.S3SecretKey = os.Getenv("MASTHEAD_S3_ACCESS_KEY"), os.Getenv("MASTHEAD_S3_SECRET_KEY")
}

// SQLitePath is the database file inside the data folder.
func (s Storage) SQLitePath() string { return filepath.Join(s.DataDir, "masthead.db") }

// MediaDir is where local media files live.
func (s Storage) MediaDir() string { return filepath.Join(s.DataDir, "media") }

// Validate checks the storage settings.
func (s Storage) Validate() error {
	if s.DataDir == "" {
		return errors.New("--data must name a folder")
	}
	if s.DatabaseURL != "" {
		u, err := url.Parse(s.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql" && u.Scheme != "sqlite") {
			return fmt.Errorf("--database %q: use postgres://user@host/dbname or leave it empty for SQLite", redact(s.DatabaseURL))
		}
	}
	if s.Media != "" {
		if u, err := url.Parse(s.Media); err != nil || u.Scheme != "s3" || u.Host == "" {
			return fmt.Errorf("--media %q: use s3://bucket?endpoint=https://host&region=… or leave it empty for the data folder", s.Media)
		}
		if s.S3AccessKey == "" || s.S3SecretKey == "" {
			return errors.New("--media s3://…: set MASTHEAD_S3_ACCESS_KEY and MASTHEAD_S3_SECRET_KEY")
		}
	}
	return nil
}

// serveEnv names the environment variable behind each of serve's flags,
// so that an error names what the operator actually set.
var serveEnv = map[string]string{
	"data": "MASTHEAD_DATA", "database": "MASTHEAD_DATABASE_URL", "media": "MASTHEAD_MEDIA",
	"addr": "MASTHEAD_ADDR", "base-url": "MASTHEAD_BASE_URL", "timezone": "MASTHEAD_TIMEZONE",
	"demo": "MASTHEAD_DEMO", "trust-proxy": "MASTHEAD_TRUST_PROXY", "log-format": "MASTHEAD_LOG_FORMAT",
	"log-level": "MASTHEAD_LOG_LEVEL", "cache-mb": "MASTHEAD_CACHE_MB", "smtp-addr": "MASTHEAD_SMTP_ADDR",
	"smtp-user": "MASTHEAD_SMTP_USER", "smtp-from": "MASTHEAD_SMTP_FROM", "send-rate": "MASTHEAD_SEND_RATE",
	"bounce-addr": "MASTHEAD_BOUNCE_ADDR", "dkim-key": "MASTHEAD_DKIM_KEY", "dkim-selector": "MASTHEAD_DKIM_SELECTOR", "dkim-domain": "MASTHEAD_DKIM_DOMAIN",
}

// ParseServe reads the serve subcommand's flags.
func ParseServe(args []string, out io.Writer) (Config, Storage, error) {
	var c Config
	var st Storage
	var bad envErrors
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(out)
	RegisterStorage(fs, &st)
	fs.StringVar(&c.Addr, "addr", env("MASTHEAD_ADDR", ":8080"), "address to listen on (env MASTHEAD_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", env("MASTHEAD_BASE_URL", ""), "public URL of the site, used in feeds, sitemaps and canonical links (env MASTHEAD_BASE_URL); default http://localhost:PORT")
	fs.StringVar(&c.Timezone, "timezone", env("MASTHEAD_TIMEZONE", "UTC"), "the newsroom's time zone, e.g. Europe/London (env MASTHEAD_TIMEZONE)")
	fs.BoolVar(&c.Demo, "demo", bad.bool("demo", "MASTHEAD_DEMO", true), "load the demo newsroom into an empty database (env MASTHEAD_DEMO)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", bad.bool("trust-proxy", "MASTHEAD_TRUST_PROXY", false), "trust X-Forwarded-For/-Proto from a reverse proxy (env MASTHEAD_TRUST_PROXY)")
	fs.StringVar(&c.LogFormat, "log-format", env("MASTHEAD_LOG_FORMAT", "text"), "log format: text or json (env MASTHEAD_LOG_FORMAT)")
	level := fs.String("log-level", env("MASTHEAD_LOG_LEVEL", "info"), "log level: debug, info, warn or error (env MASTHEAD_LOG_LEVEL)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long to let requests finish on SIGTERM")
	fs.IntVar(&c.CommentLimit, "comment-limit", 5, "reader comments one address may post in 10 minutes")
	fs.IntVar(&c.CacheMB, "cache-mb", bad.int("cache-mb", "MASTHEAD_CACHE_MB", 64), "memory for the rendered-page cache in MiB; 0 turns it off (env MASTHEAD_CACHE_MB)")
	fs.StringVar(&c.SMTP.Addr, "smtp-addr", env("MASTHEAD_SMTP_ADDR", ""), "mail server (host:port) for password resets and invitations; empty writes mail to the log (env MASTHEAD_SMTP_ADDR)")
	fs.StringVar(&c.SMTP.User, "smtp-user", env("MASTHEAD_SMTP_USER", ""), "mail server user; the password is read from $MASTHEAD_SMTP_PASSWORD (env MASTHEAD_SMTP_USER)")
	fs.StringVar(&c.SMTP.From, "smtp-from", env("MASTHEAD_SMTP_FROM", ""), `sender of the newsroom's mail, like "Courier Newsroom <newsroom@example.org>" (env MASTHEAD_SMTP_FROM)`)
	RegisterDKIM(fs, &c.SMTP)
	fs.StringVar(&c.BounceAddr, "bounce-addr", env("MASTHEAD_BOUNCE_ADDR", ""), "address (host:port) of the bounce intake, an SMTP listener for delivery reports; newsletters then go out with a per-message return path at --smtp-from's domain (env MASTHEAD_BOUNCE_ADDR)")
	fs.BoolVar(&c.Federation, "federation", bad.bool("federation", "MASTHEAD_FEDERATION", true), "make the paper and its reporters followable from Mastodon and the fediverse (ActivityPub); identifiers use --base-url (env MASTHEAD_FEDERATION)")
	fs.StringVar(&c.FederationName, "federation-handle", env("MASTHEAD_FEDERATION_HANDLE", ""), "the paper's fediverse handle (@handle@host); default the slug of its name (env MASTHEAD_FEDERATION_HANDLE)")
	sendRate := fs.String("send-rate", env("MASTHEAD_SEND_RATE", ""), "newsletter messages this instance sends at most, like 10/s or 600/m; empty: no limit (env MASTHEAD_SEND_RATE)")
	fs.BoolVar(&c.FederationLoopback, "federation-test-loopback", false, "for tests only: let federation fetch from and deliver to 127.0.0.1, which it otherwise refuses")
	c.SMTP.Password = os.Getenv("MASTHEAD_SMTP_PASSWORD")
	if err := fs.Parse(args); err != nil {
		return c, st, err
	}
	if fs.NArg() > 0 {
		return c, st, fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	// A flag wins over its variable, even over one that cannot be read.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	name := func(flag string) string {
		if _, fromEnv := os.LookupEnv(serveEnv[flag]); fromEnv && !set[flag] {
			return serveEnv[flag]
		}
		return "--" + flag
	}
	var errs []error
	for _, e := range bad {
		if !set[e.flag] {
			errs = append(errs, e.err)
		}
	}
	c.DataDir, c.DatabaseURL = st.DataDir, st.DatabaseURL
	var err error
	if c.SendRate, err = ParseSendRate(*sendRate); err != nil {
		errs = append(errs, fmt.Errorf("%s %w", name("send-rate"), err))
	}
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		errs = append(errs, fmt.Errorf("%s %q: use debug, info, warn or error", name("log-level"), *level))
	}
	return c, st, errors.Join(append(errs, c.validate(st, name))...)
}

// validate checks the settings; name gives the flag or variable a setting
// came from, for the message.
func (c *Config) validate(st Storage, name func(flag string) string) error {
	var errs []error
	if err := st.Validate(); err != nil {
		errs = append(errs, err)
	}
	if _, _, ok := hostPort(c.Addr); !ok {
		errs = append(errs, fmt.Errorf("%s %q: use host:port or :port, with a port from 0 to 65535", name("addr"), c.Addr))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			errs = append(errs, fmt.Errorf("%s %q: use the site's root, like https://news.example.org", name("base-url"), c.BaseURL))
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		errs = append(errs, fmt.Errorf("%s %q: not a known time zone (try Europe/London or America/New_York)", name("timezone"), c.Timezone))
	}
	c.Location = loc
	if c.CacheMB < 0 {
		errs = append(errs, fmt.Errorf("%s %d: use 0 (no cache) or more", name("cache-mb"), c.CacheMB))
	}
	if c.CommentLimit < 1 {
		errs = append(errs, fmt.Errorf("--comment-limit %d: must be at least 1", c.CommentLimit))
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, fmt.Errorf("--shutdown-timeout %s: use 0 or more", c.ShutdownTimeout))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("%s %q: use text or json", name("log-format"), c.LogFormat))
	}
	if err := c.SMTP.validate(name); err != nil {
		errs = append(errs, err)
	}
	if c.BounceAddr != "" {
		if _, _, ok := hostPort(c.BounceAddr); !ok {
			errs = append(errs, fmt.Errorf("%s %q: use host:port, like :2525", name("bounce-addr"), c.BounceAddr))
		} else if c.SMTP.Addr == "" {
			errs = append(errs, fmt.Errorf("%s needs --smtp-addr and --smtp-from: bounces come back to --smtp-from's address", name("bounce-addr")))
		}
	}
	return errors.Join(errs...)
}

// hostPort splits host:port, insisting on a numeric port in range:
// net.SplitHostPort alone accepts ":99999" and ":http", which would fail
// only later, at listen or at the first mail.
func hostPort(addr string) (host string, port int, ok bool) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, false
	}
	port, err = strconv.Atoi(p)
	return host, port, err == nil && port >= 0 && port <= 65535
}

func (m SMTP) validate(name func(flag string) string) error {
	if m.Addr == "" {
		if m.User != "" || m.Password != "" || m.From != "" || m.DKIMKey != "" {
			return errors.New("--smtp-user, --smtp-from, --dkim-key and MASTHEAD_SMTP_PASSWORD need --smtp-addr, the mail server's host:port")
		}
		return nil
	}
	var errs []error
	if host, port, ok := hostPort(m.Addr); !ok || host == "" || port == 0 {
		errs = append(errs, fmt.Errorf("%s %q: use host:port, like smtp.example.org:587", name("smtp-addr"), m.Addr))
	}
	if m.From == "" {
		errs = append(errs, fmt.Errorf("%s %q needs --smtp-from (or MASTHEAD_SMTP_FROM): the address the newsroom's mail comes from, like newsroom@example.org", name("smtp-addr"), m.Addr))
	} else if _, err := netmail.ParseAddress(m.From); err != nil {
		errs = append(errs, fmt.Errorf("%s %q: give the address the newsroom's mail comes from, like newsroom@example.org or \"Courier Newsroom <newsroom@example.org>\"", name("smtp-from"), m.From))
	}
	if (m.User == "") != (m.Password == "") {
		errs = append(errs, errors.New("--smtp-user and MASTHEAD_SMTP_PASSWORD go together: set both or neither"))
	}
	return errors.Join(append(errs, m.validateDKIM(name))...)
}

func (m SMTP) validateDKIM(name func(flag string) string) error {
	if m.DKIMKey == "" {
		if m.DKIMSelector != "" || m.DKIMDomain != "" {
			return fmt.Errorf("%s and %s need %s, the signing key's file", name("dkim-selector"), name("dkim-domain"), name("dkim-key"))
		}
		return nil
	}
	var errs []error
	if m.DKIMSelector == "" || strings.ContainsAny(m.DKIMSelector, " ;=\r\n\t") {
		errs = append(errs, fmt.Errorf("%s %q needs %s: the selector its public key is published under, like mh2026", name("dkim-key"), m.DKIMKey, name("dkim-selector")))
	}
	if d := m.SigningDomain(); d == "" || strings.ContainsAny(d, " ;=\r\n\t@") {
		errs = append(errs, fmt.Errorf("%s %q: give the signing domain, like example.org", name("dkim-domain"), m.DKIMDomain))
	}
	return errors.Join(errs...)
}

// BaseURLFor returns the configured base URL, or one derived from the
// address the server actually listens on.
func (c Config) BaseURLFor(listen net.Addr) string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	host, port, _ := net.SplitHostPort(listen.String())
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// envErrors collects environment variables that hold no value of their
// flag's type; ParseServe reports those whose flag was not given.
type envErrors []struct {
	flag string
	err  error
}

func (e *envErrors) add(flag string, err error) {
	*e = append(*e, struct {
		flag string
		err  error
	}{flag, err})
}

// bool reads a boolean variable: 1/0, true/false, yes/no, on/off, or def
// when it is unset or empty.
func (e *envErrors) bool(flag, key string, def bool) bool {
	v := os.Getenv(key)
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return def
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	e.add(flag, fmt.Errorf("%s %q: use true or false (or 1/0, yes/no, on/off)", key, v))
	return def
}

// int reads a whole-number variable, or def when it is unset or empty.
func (e *envErrors) int(flag, key string, def int) int {
	v := os.Getenv(key)
	if strings.TrimSpace(v) == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		e.add(flag, fmt.Errorf("%s %q: not a whole number", key, v))
		return def
	}
	return n
}

// redact hides a password in a database URL before it is shown.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
