// Package observe is how Masthead watches itself: a request id for every
// request, one structured log line per request, panics turned into a 500
// response and logged with their stack, and Prometheus metrics (requests by
// route and status, latency, page-cache hits, database pools) on /metrics.
package observe

import (
	"context"
	"database/sql"
	"log/slog"
	"masthead/internal/edge"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the process's Prometheus registry and instruments.
type Metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	CacheHits *prometheus.CounterVec // labels: result = hit|miss

	// Looked up once: finding a series by its labels costs more than the
	// page-cache hit it counts. Routes and codes are few.
	series              sync.Map // seriesKey → *series
	cacheHit, cacheMiss prometheus.Counter
}

type seriesKey struct {
	route string
	code  int
}

type series struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

func (m *Metrics) seriesFor(route string, code int) *series {
	k := seriesKey{route, code}
	if s, ok := m.series.Load(k); ok {
		return s.(*series)
	}
	s := &series{m.requests.WithLabelValues(route, strconv.Itoa(code)), m.latency.WithLabelValues(route)}
	m.series.Store(k, s)
	return s
}

func (m *Metrics) cacheResult(xCache string) prometheus.Counter {
	switch xCache {
	case "HIT":
		return m.cacheHit
	case "MISS":
		return m.cacheMiss
	}
	return m.CacheHits.WithLabelValues(strings.ToLower(xCache))
}

// NewMetrics builds a registry with Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "masthead_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "masthead_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		CacheHits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "masthead_page_cache_requests_total", Help: "Rendered-page cache lookups by result.",
		}, []string{"result"}),
	}
	m.cacheHit, m.cacheMiss = m.CacheHits.WithLabelValues("hit"), m.CacheHits.WithLabelValues("miss")
	m.registry.MustRegister(m.requests, m.latency, m.CacheHits,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchDB exports a database pool's statistics under a name.
func (m *Metrics) WatchDB(db *sql.DB, name string) {
	m.registry.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// secretPaths are path prefixes whose last segment is a one-time secret
// (password-reset and invitation links): logs must not make them reusable.
var secretPaths = []string{"/admin/reset/", "/admin/invite/"}

// LogPath is a request path safe to write to logs.
func LogPath(path string) string {
	for _, p := range secretPaths {
		if strings.HasPrefix(path, p) && len(path) > len(p) {
			return p + "[redacted]"
		}
	}
	return path
}

// Route classifies a path into a label of bounded cardinality.
func Route(path string) string {
	switch {
	case path == "/":
		return "home"
	case strings.HasPrefix(path, "/admin/"):
		return "admin"
	case strings.HasPrefix(path, "/static/"):
		return "static"
	case strings.HasPrefix(path, "/media/"):
		return "media"
	case strings.HasPrefix(path, "/section/"), strings.HasPrefix(path, "/tag/"), strings.HasPrefix(path, "/author/"):
		if strings.HasSuffix(path, ".xml") || strings.HasSuffix(path, ".atom") {
			return "feed"
		}
		return "listing"
	case strings.HasPrefix(path, "/feed."):
		return "feed"
	case strings.HasPrefix(path, "/sitemap"):
		return "sitemap"
	case path == "/search":
		return "search"
	case strings.HasSuffix(path, "/comments"):
		return "comment"
	case len(path) > 12 && path[0] == '/' && path[5] == '/' && path[8] == '/':
		return "article"
	case strings.HasPrefix(path, "/wp-json/"):
		return "api"
	}
	return "other"
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Middleware gives every request an id, logs it once, counts it, and turns
// a panic into onPanic's response (a 500 page) after logging the stack.
func Middleware(log *slog.Logger, m *Metrics, onPanic http.HandlerFunc, next http.Handler) http.Handler {
	answered := Answered(log, m)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := edge.NewRequestID()
		ctx := edge.WithRequestID(r.Context(), id)
		r = r.WithContext(ctx)
		rec := &recorder{ResponseWriter: w}
		w.Header().Set("X-Request-Id", id)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(ctx, "panic", slog.Any("panic", v), slog.String("request_id", id), slog.String("path", LogPath(r.URL.Path)), slog.String("stack", string(debug.Stack())))
				if rec.status == 0 {
					onPanic(rec, r)
				}
			}
			// The page cache labels its answers (X-Cache: HIT or MISS).
			answered(r, id, rec.status, rec.bytes, start, rec.Header().Get("X-Cache"))
		}()
		next.ServeHTTP(rec, r)
	})
}

// Answered returns what logs and counts a request once it is answered:
// Middleware's last step, and the fast path's (package fastpath), which
// answers page-cache hits without a handler. cache is the answer's X-Cache
// value, if any.
func Answered(log *slog.Logger, m *Metrics) func(r *http.Request, id string, status, bytes int, start time.Time, cache string) {
	return func(r *http.Request, id string, status, bytes int, start time.Time, cache string) {
		d := time.Since(start)
		route := Route(r.URL.Path)
		if m != nil {
			s := m.seriesFor(route, status)
			s.requests.Inc()
			s.latency.Observe(d.Seconds())
			if cache != "" {
				m.cacheResult(cache).Inc()
			}
		}
		if !log.Enabled(r.Context(), slog.LevelInfo) {
			return // and no attributes made for nothing: this runs for every cache hit
		}
		// A record made here, without the caller's program counter that
		// Logger.LogAttrs looks up and no handler here prints.
		rec := slog.NewRecord(start.Add(d), slog.LevelInfo, "request", 0)
		rec.AddAttrs(slog.String("method", r.Method), slog.String("path", LogPath(r.URL.Path)), slog.Int("status", status),
			slog.Int("bytes", bytes), slog.Duration("duration", d), slog.String("request_id", id))
		log.Handler().Handle(r.Context(), rec)
	}
}

// NewsletterStat is one newsletter's subscribers and the state of its
// send queue, summed over its issues.
type NewsletterStat struct {
	Slug        string
	Subscribers int            // confirmed
	Deliveries  map[string]int // by queue state: queued, sending, sent, failed, skipped, unknown; sent_recent: sent in the last minute
}

// WatchNewsletters exports newsletter subscribers and send progress,
// asking stats at every scrape (so several instances report the same
// numbers, from the database). Send rate is rate() of the "sent" series.
func (m *Metrics) WatchNewsletters(stats func(context.Context) ([]NewsletterStat, error)) {
	m.registry.MustRegister(&newsletterCollector{stats: stats})
}

var (
	subscribersDesc = prometheus.NewDesc("masthead_newsletter_subscribers", "Confirmed subscribers by newsletter.", []string{"newsletter"}, nil)
	deliveriesDesc  = prometheus.NewDesc("masthead_newsletter_deliveries", "Newsletter messages by newsletter and send-queue state (sent: handed to the SMTP server).", []string{"newsletter", "state"}, nil)
	remainingDesc   = prometheus.NewDesc("masthead_newsletter_remaining", "Newsletter messages still to send (queued, retries included, and sending).", []string{"newsletter"}, nil)
	sendRateDesc    = prometheus.NewDesc("masthead_newsletter_send_rate", "Newsletter messages handed to the SMTP server per second, over the last minute, by every instance.", []string{"newsletter"}, nil)
)

type newsletterCollector struct {
	stats func(context.Context) ([]NewsletterStat, error)
}

func (c *newsletterCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- subscribersDesc
	ch <- deliveriesDesc
	ch <- remainingDesc
	ch <- sendRateDesc
}

func (c *newsletterCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stats, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(subscribersDesc, err)
		return
	}
	for _, s := range stats {
		ch <- prometheus.MustNewConstMetric(subscribersDesc, prometheus.GaugeValue, float64(s.Subscribers), s.Slug)
		for _, state := range []string{"queued", "sending", "sent", "failed", "skipped", "unknown"} {
			ch <- prometheus.MustNewConstMetric(deliveriesDesc, prometheus.GaugeValue, float64(s.Deliveries[state]), s.Slug, state)
		}
		ch <- prometheus.MustNewConstMetric(remainingDesc, prometheus.GaugeValue, float64(s.Deliveries["queued"]+s.Deliveries["sending"]), s.Slug)
		ch <- prometheus.MustNewConstMetric(sendRateDesc, prometheus.GaugeValue, float64(s.Deliveries["sent_recent"])/60, s.Slug)
	}
}

// FederationStat is the state of the fediverse delivery queue.
type FederationStat struct {
	Deliveries  map[string]int // by queue state: queued, sending, sent, failed
	DeadRemotes int            // servers given up on (no answer for a day)
}

// WatchFederation exports the fediverse delivery queue, asking stats at
// every scrape (from the database, so every instance reports the same).
func (m *Metrics) WatchFederation(stats func(context.Context) (FederationStat, error)) {
	m.registry.MustRegister(&federationCollector{stats: stats})
}

var (
	fedDeliveriesDesc = prometheus.NewDesc("masthead_federation_deliveries", "ActivityPub deliveries by queue state (failed: refused for good, or given up after a day).", []string{"state"}, nil)
	fedDeadDesc       = prometheus.NewDesc("masthead_federation_dead_remotes", "Fediverse servers given up on: no answer for a day (tried again once a day).", nil, nil)
)

type federationCollector struct {
	stats func(context.Context) (FederationStat, error)
}

func (c *federationCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- fedDeliveriesDesc
	ch <- fedDeadDesc
}

func (c *federationCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(fedDeliveriesDesc, err)
		return
	}
	for _, state := range []string{"queued", "sending", "sent", "failed"} {
		ch <- prometheus.MustNewConstMetric(fedDeliveriesDesc, prometheus.GaugeValue, float64(st.Deliveries[state]), state)
	}
	ch <- prometheus.MustNewConstMetric(fedDeadDesc, prometheus.GaugeValue, float64(st.DeadRemotes))
}
