package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"masthead/internal/admin"
	"masthead/internal/config"
	"masthead/internal/demo"
	"masthead/internal/editorial"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/render"
	"masthead/internal/store"
	"masthead/internal/web"
)

func serve(ctx context.Context, env Env, args []string) error {
	cfg, storage, err := config.ParseServe(args, env.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	log := newLogger(env, cfg)
	st, err := openStore(ctx, storage)
	if err != nil {
		return err
	}
	defer st.Close()
	files, err := media.NewLocal(storage.MediaDir())
	if err != nil {
		return err
	}
	desk := editorial.New(st, cfg.Location)
	if err := initSite(ctx, log, st, desk, files, cfg.Demo); err != nil {
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
	site := web.New(st, eng, log, web.Config{BaseURL: baseURL, Location: cfg.Location, TrustProxy: cfg.TrustProxy, Secret: secret, CommentLimit: cfg.CommentLimit})
	newsroom := admin.New(st, desk, eng, log, admin.Config{Secret: secret, TrustProxy: cfg.TrustProxy, Location: cfg.Location})
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", media.Handler(files))
	mux.Handle("/admin/", newsroom.Handler())
	mux.Handle("/", site.Handler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("masthead is serving", slog.String("url", baseURL), slog.String("listen", ln.Addr().String()), slog.String("data", storage.DataDir))
	fmt.Fprintf(env.Stdout, "Masthead is running at %s (listening on %s)\n", baseURL, ln.Addr())

	if n, err := st.CountRole(ctx, news.RoleAdmin); err == nil && n == 0 {
		fmt.Fprintf(env.Stdout, "No administrator yet. Create one with:\n  masthead user add --data %s --email you@example.org --name \"Your Name\" --role admin\n", storage.DataDir)
	}
	go runScheduler(ctx, log, desk)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", slog.Duration("deadline", cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// runScheduler publishes scheduled articles when their time comes: at
// start (catching up on anything due while the server was down) and then
// every few seconds. Running it on several instances is safe.
func runScheduler(ctx context.Context, log *slog.Logger, desk *editorial.Service) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		n, err := desk.PublishDue(ctx, time.Now())
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

// initSite prepares a brand-new site once: the demo newsroom, or nothing.
func initSite(ctx context.Context, log *slog.Logger, st *store.Store, desk *editorial.Service, files media.Store, withDemo bool) error {
	if _, done, err := st.Setting(ctx, "site.initialized"); err != nil || done {
		return err
	}
	if withDemo {
		nr, err := demo.Load()
		if err != nil {
			return fmt.Errorf("load demo content: %w", err)
		}
		start := time.Now()
		if err := desk.LoadDemo(ctx, nr, files, start); err != nil {
			return fmt.Errorf("load demo newsroom (delete the data folder and start again, or use --demo=false): %w", err)
		}
		log.Info("loaded the demo newsroom", slog.Int("articles", len(nr.Articles)), slog.Duration("took", time.Since(start)))
	}
	return st.SetSetting(ctx, "site.initialized", time.Now().UTC().Format(time.RFC3339))
}
