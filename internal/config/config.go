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
}

// SMTP is the mail server the newsroom sends password-reset links and
// invitations through. With no Addr, mail is written to the log instead.
type SMTP struct {
	Addr     string // host:port
	User     string // empty: no authentication
	Password string // only from $MASTHEAD_SMTP_PASSWORD, never a flag
	From     string // "Name <address>" or "address"
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

// ParseServe reads the serve subcommand's flags.
func ParseServe(args []string, out io.Writer) (Config, Storage, error) {
	var c Config
	var st Storage
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(out)
	RegisterStorage(fs, &st)
	fs.StringVar(&c.Addr, "addr", env("MASTHEAD_ADDR", ":8080"), "address to listen on (env MASTHEAD_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", env("MASTHEAD_BASE_URL", ""), "public URL of the site, used in feeds, sitemaps and canonical links (env MASTHEAD_BASE_URL); default http://localhost:PORT")
	fs.StringVar(&c.Timezone, "timezone", env("MASTHEAD_TIMEZONE", "UTC"), "the newsroom's time zone, e.g. Europe/London (env MASTHEAD_TIMEZONE)")
	fs.BoolVar(&c.Demo, "demo", envBool("MASTHEAD_DEMO", true), "load the demo newsroom into an empty database (env MASTHEAD_DEMO)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("MASTHEAD_TRUST_PROXY", false), "trust X-Forwarded-For/-Proto from a reverse proxy (env MASTHEAD_TRUST_PROXY)")
	fs.StringVar(&c.LogFormat, "log-format", env("MASTHEAD_LOG_FORMAT", "text"), "log format: text or json (env MASTHEAD_LOG_FORMAT)")
	level := fs.String("log-level", env("MASTHEAD_LOG_LEVEL", "info"), "log level: debug, info, warn or error (env MASTHEAD_LOG_LEVEL)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long to let requests finish on SIGTERM")
	fs.IntVar(&c.CommentLimit, "comment-limit", 5, "reader comments one address may post in 10 minutes")
	fs.IntVar(&c.CacheMB, "cache-mb", envInt("MASTHEAD_CACHE_MB", 64), "memory for the rendered-page cache in MiB; 0 turns it off (env MASTHEAD_CACHE_MB)")
	fs.StringVar(&c.SMTP.Addr, "smtp-addr", env("MASTHEAD_SMTP_ADDR", ""), "mail server (host:port) for password resets and invitations; empty writes mail to the log (env MASTHEAD_SMTP_ADDR)")
	fs.StringVar(&c.SMTP.User, "smtp-user", env("MASTHEAD_SMTP_USER", ""), "mail server user; the password is read from $MASTHEAD_SMTP_PASSWORD (env MASTHEAD_SMTP_USER)")
	fs.StringVar(&c.SMTP.From, "smtp-from", env("MASTHEAD_SMTP_FROM", ""), `sender of the newsroom's mail, like "Courier Newsroom <newsroom@example.org>" (env MASTHEAD_SMTP_FROM)`)
	c.SMTP.Password = os.Getenv("MASTHEAD_SMTP_PASSWORD")
	if err := fs.Parse(args); err != nil {
		return c, st, err
	}
	if fs.NArg() > 0 {
		return c, st, fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	c.DataDir, c.DatabaseURL = st.DataDir, st.DatabaseURL
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return c, st, fmt.Errorf("--log-level %q: use debug, info, warn or error", *level)
	}
	return c, st, c.validate(st)
}

func (c *Config) validate(st Storage) error {
	var errs []error
	if err := st.Validate(); err != nil {
		errs = append(errs, err)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: use host:port or :port", c.Addr))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			errs = append(errs, fmt.Errorf("--base-url %q: use the site's root, like https://news.example.org", c.BaseURL))
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		errs = append(errs, fmt.Errorf("--timezone %q: not a known time zone (try Europe/London or America/New_York)", c.Timezone))
	}
	c.Location = loc
	if c.CacheMB < 0 {
		errs = append(errs, fmt.Errorf("--cache-mb %d: use 0 (no cache) or more", c.CacheMB))
	}
	if c.CommentLimit < 1 {
		errs = append(errs, fmt.Errorf("--comment-limit %d: must be at least 1", c.CommentLimit))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format %q: use text or json", c.LogFormat))
	}
	if err := c.SMTP.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (m SMTP) validate() error {
	if m.Addr == "" {
		if m.User != "" || m.Password != "" || m.From != "" {
			return errors.New("--smtp-user, --smtp-from and MASTHEAD_SMTP_PASSWORD need --smtp-addr, the mail server's host:port")
		}
		return nil
	}
	var errs []error
	if host, port, err := net.SplitHostPort(m.Addr); err != nil || host == "" || port == "" {
		errs = append(errs, fmt.Errorf("--smtp-addr %q: use host:port, like smtp.example.org:587", m.Addr))
	}
	if _, err := netmail.ParseAddress(m.From); err != nil {
		errs = append(errs, fmt.Errorf("--smtp-from %q: give the address the newsroom's mail comes from, like newsroom@example.org or \"Courier Newsroom <newsroom@example.org>\"", m.From))
	}
	if (m.User == "") != (m.Password == "") {
		errs = append(errs, errors.New("--smtp-user and MASTHEAD_SMTP_PASSWORD go together: set both or neither"))
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

func envBool(key string, def bool) bool {
	switch strings.ToLower(os.Getenv(key)) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	return def
}

// redact hides a password in a database URL before it is shown.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}
