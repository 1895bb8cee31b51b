package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"masthead/internal/bounces"
	"masthead/internal/clock"
	"masthead/internal/config"
	"masthead/internal/demo"
	"masthead/internal/fastpath"
	"masthead/internal/mail"
	"masthead/internal/media"
	"masthead/internal/newsroom"
	"masthead/internal/observe"
	"masthead/internal/render"
	"masthead/internal/server"
	"masthead/internal/store"
)

func serve(ctx context.Context, env Env, args []string) error {
	cfg, storage, err := config.ParseServe(args, env.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	log, logs := newLogger(env, cfg)
	flushing, stopFlushing := context.WithCancel(ctx)
	go logs.Run(flushing)
	defer func() { stopFlushing(); logs.Flush() }()
	tuneGC(cfg.CacheMB)
	st, err := openStore(ctx, storage)
	if err != nil {
		return err
	}
	defer st.Close()
	files, err := openMedia(storage)
	if err != nil {
		return err
	}
	secret, err := siteSecret(ctx, st)
	if err != nil {
		return err
	}
	eng, err := render.New(cfg.Location)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	baseURL := cfg.BaseURLFor(ln.Addr())
	mailer, err := newMailer(cfg.SMTP, log)
	if err != nil {
		return err
	}
	var returnPath string
	if cfg.BounceAddr != "" {
		from, _ := mail.ParseAddress(cfg.SMTP.From) // validated with the configuration
		returnPath = from.Email
	}
	desk := newsroom.New(st, newsroom.Config{Location: cfg.Location, Clock: clock.System{}, Media: files, BaseURL: baseURL, Mailer: mailer, Log: log,
		ReturnPath:   returnPath,
		CommentLimit: cfg.CommentLimit, SendRate: cfg.SendRate, Federation: newsroom.FederationConfig{Off: !cfg.Federation, Handle: cfg.FederationName, AllowLoopback: cfg.FederationLoopback}})
	if err := initSite(ctx, log, st, desk, files, cfg.Demo); err != nil {
		return err
	}
	site := server.New(st, desk, eng, log, server.Config{BaseURL: baseURL, TrustProxy: cfg.TrustProxy,
		Secret: secret, CacheBytes: cacheBytes(cfg.CacheMB), Media: files})
	metrics := observe.NewMetrics()
	st.WatchDB(metrics)
	metrics.WatchNewsletters(func(ctx context.Context) ([]observe.NewsletterStat, error) {
		list, counts, err := desk.NewsletterStats(ctx)
		stats := make([]observe.NewsletterStat, len(list))
		for i, n := range list {
			stats[i] = observe.NewsletterStat{Slug: n.Slug, Subscribers: n.Subscribers, Deliveries: counts[n.ID]}
		}
		return stats, err
	})
	metrics.WatchFederation(func(ctx context.Context) (observe.FederationStat, error) {
		r, err := desk.FederationReport(ctx)
		return observe.FederationStat{Deliveries: r.Deliveries, DeadRemotes: len(r.Dead)}, err
	})
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", loopbackOnly(metrics.Handler()))
	mux.Handle("/", site.Handler())
	srv := &http.Server{
		Handler:           observe.Middleware(log, metrics, site.InternalError, mux),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("masthead is serving", slog.String("url", baseURL), slog.String("listen", ln.Addr().String()), slog.String("data", storage.DataDir))
	fmt.Fprintf(env.Stdout, "Masthead is running at %s (listening on %s)\n", baseURL, ln.Addr())

	code, err := desk.SetupCode(ctx)
	if err != nil {
		return err
	}
	if code != "" {
		fmt.Fprintf(env.Stdout, "No administrator yet. Open %s/admin/setup and give the code %s (a new one each start), or run:\n  masthead user add --data %s --email you@example.org --name \"Your Name\" --role admin\n",
			baseURL, code, storage.DataDir)
		log.Info("no administrator yet: set up the newsroom in the browser", slog.String("url", baseURL+"/admin/setup"), slog.String("code", code))
	}
	go runScheduler(ctx, log, desk)
	go runTrashPurge(ctx, log, desk)
	go runNewsletterSender(ctx, log, desk)
	if cfg.BounceAddr != "" {
		intake, err := startBounceIntake(ctx, log, desk, cfg.BounceAddr, baseURL)
		if err != nil {
			return err
		}
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
			defer cancel()
			_ = intake.Shutdown(sctx)
		}()
	}
	go runNewsletterSchedules(ctx, log, desk)
	if n, err := desk.RecoverFedLeases(ctx, goneWorker); err != nil {
		log.Error("federation: requeue the deliveries of stopped workers", slog.Any("err", err))
	} else if n > 0 {
		log.Info("federation: requeued deliveries a stopped process was making", slog.Int("count", n))
	}
	for range federationWorkers {
		go runFederationDelivery(ctx, log, desk)
	}

	srv.RegisterOnShutdown(site.CloseStreams)
	// Page-cache hits are answered by the fast path; everything else by srv.
	answered := observe.Answered(log, metrics)
	fast := &fastpath.Server{HTTP: srv, Fast: site.FastHit,
		Answered: func(r *http.Request, id string, status, bytes int, start time.Time) {
			answered(r, id, status, bytes, start, "HIT")
		}}
	errc := make(chan error, 1)
	go func() { errc <- fast.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", slog.Duration("deadline", cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := fast.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := desk.Wait(sctx); err != nil {
		log.Warn("stopped before all mail was sent", slog.Any("err", err))
	}
	log.Info("stopped")
	return nil
}

// loopbackOnly serves metrics to the machine itself (a scraper on the same
// host or behind the same proxy config), never to the public internet.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// newMailer is the newsroom's mail: through the SMTP server when one is
// configured, otherwise into the log, so a fresh site can still reset
// passwords and invite staff.
func newMailer(c config.SMTP, log *slog.Logger) (newsroom.Mailer, error) {
	if c.Addr == "" {
		log.Warn("mail is not configured (--smtp-addr): password-reset and invitation links will be written to this log")
		return &mail.Log{Logger: log}, nil
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("--smtp-from: %w", err)
	}
	sender := &mail.SMTP{Addr: c.Addr, Username: c.User, Password: c.Password, From: from}
	if c.DKIMKey != "" {
		if sender.DKIM, err = mail.LoadDKIM(c.DKIMKey, c.SigningDomain(), c.DKIMSelector); err != nil {
			return nil, fmt.Errorf("--dkim-key: %w", err)
		}
	}
	return sender, nil
}

// startBounceIntake listens on addr for delivery reports (see package
// bounces) and serves them in the background until shut down.
func startBounceIntake(ctx context.Context, log *slog.Logger, desk *newsroom.Service, addr, baseURL string) (*bounces.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--bounce-addr %s: %w", addr, err)
	}
	host := "localhost"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	intake := bounces.New(context.WithoutCancel(ctx), desk, log, host)
	go func() {
		if err := intake.Serve(ln); err != nil {
			log.Error("bounce intake stopped", slog.Any("err", err))
		}
	}()
	log.Info("bounce intake is listening", slog.String("listen", ln.Addr().String()))
	return intake, nil
}

// runScheduler publishes scheduled articles when their time comes: at
// start (catching up on anything due while the server was down) and then
// every few seconds. Running it on several instances is safe.
func runScheduler(ctx context.Context, log *slog.Logger, desk *newsroom.Service) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		n, err := desk.PublishDue(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("scheduled publishing", slog.Any("err", err))
		}
		if n > 0 {
			log.Info("published scheduled articles", slog.Int("count", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// runTrashPurge deletes for good the articles that have been in the trash
// for 30 days (by the newsroom's clock): at start, which catches up on
// anything that came due while the server was down, then every hour. The
// trash keeps articles for days, so the hour matters little; running it on
// several instances is safe.
func runTrashPurge(ctx context.Context, log *slog.Logger, desk *newsroom.Service) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		n, err := desk.PurgeTrash(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("emptying the trash", slog.Any("err", err))
		}
		if n > 0 {
			log.Info("deleted articles 30 days in the trash", slog.Int("count", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// federationWorkers is how many deliveries to the fediverse one process
// makes at once: enough that a slow inbox does not hold up the others.
const federationWorkers = 4

// runFederationDelivery delivers queued ActivityPub activities (an
// article's Create to its followers, an Accept of a follow): at start,
// catching up on what was queued while the server was down, and then every
// few seconds. Several workers and several instances may run at once.
func runFederationDelivery(ctx context.Context, log *slog.Logger, desk *newsroom.Service) {
	if !desk.FederationOn() {
		return
	}
	owner := workerName()
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	for {
		if _, err := desk.DeliverFederated(ctx, owner, 0); err != nil && ctx.Err() == nil {
			log.Error("federation delivery", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// goneWorker reports whether the worker named owner (workerName's
// host/pid/random) is known to have stopped: it ran on this machine, and
// its process is no longer running or is this very one (a restarted
// container keeps its name and often its pid; this process has no
// workers yet). A worker elsewhere is never judged: its lease runs out.
func goneWorker(owner string) bool {
	host, rest, ok := strings.Cut(owner, "/")
	me, _ := os.Hostname()
	if !ok || host != me {
		return false
	}
	pidText, _, _ := strings.Cut(rest, "/")
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return err != nil && !errors.Is(err, syscall.EPERM) // EPERM: alive, another user's
}

// initSite prepares a brand-new site once: the demo newsroom, or nothing.
func initSite(ctx context.Context, log *slog.Logger, st *store.Store, desk *newsroom.Service, files media.Store, withDemo bool) error {
	if _, done, err := st.Setting(ctx, "site.initialized"); err != nil || done {
		return err
	}
	if withDemo {
		nr, err := demo.Load()
		if err != nil {
			return fmt.Errorf("load demo content: %w", err)
		}
		start := time.Now()
		if err := st.Bulk(ctx, func() error { return demo.Seed(ctx, st, desk, nr, files, start) }); err != nil {
			return fmt.Errorf("load demo newsroom (delete the data folder and start again, or use --demo=false): %w", err)
		}
		log.Info("loaded the demo newsroom", slog.Int("articles", len(nr.Articles)), slog.Duration("took", time.Since(start)))
	}
	return st.SetSetting(ctx, "site.initialized", time.Now().UTC().Format(time.RFC3339))
}

// tuneGC sets the garbage collector for serving, unless GOGC or GOMEMLIMIT
// say otherwise. Besides its page cache a serving process keeps a small
// heap, and each cache hit allocates a little, so with Go's default the
// collector runs ten times a second under load and the requests caught in a
// cycle wait for it: p99 of cached articles went from 8.9 to 6.1 ms with
// the collector at four times the live heap. The soft limit keeps memory
// near what --cache-mb promises: the page cache's budget and gcRoom. Once
// the cache is full the collector runs when the heap has grown by what
// is left of gcRoom after the rest of the process (some 30 MiB of
// templates, connections and the like): with 32 MiB, a full cache at a
// million stories left almost nothing, and the collector ran 1,500 times
// in 2,000 renders, 28 ms of CPU a page against 3.
func tuneGC(cacheMB int) {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(int64(max(cacheMB, 64)+gcRoom) << 20)
	}
}

// gcRoom is the memory, in MiB, a serving process may use besides its page
// cache before the collector is held to it.
const gcRoom = 96

// cacheBytes turns --cache-mb into the web package's setting (negative: off).
func cacheBytes(mb int) int64 {
	if mb == 0 {
		return -1
	}
	return int64(mb) << 20
}
