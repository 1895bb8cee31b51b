package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"masthead/internal/config"
	"masthead/internal/media"
	"masthead/internal/store"
)

// openStore opens the site's database as configured: PostgreSQL when
// --database names one, otherwise SQLite in the data folder.
func openStore(ctx context.Context, st config.Storage) (*store.Store, error) {
	s, err := store.Open(ctx, st.DatabaseURL, st.SQLitePath())
	if err != nil {
		if st.DatabaseURL != "" {
			return nil, fmt.Errorf("open database: %w", err)
		}
		return nil, fmt.Errorf("open database in %s: %w", st.DataDir, err)
	}
	return s, nil
}

// openMedia opens where media files live: the data folder, or a bucket.
func openMedia(st config.Storage) (media.Store, error) {
	if st.Media == "" {
		return media.NewLocal(st.MediaDir())
	}
	cfg, err := media.ParseS3URL(st.Media)
	if err != nil {
		return nil, fmt.Errorf("--media: %w", err)
	}
	cfg.AccessKey, cfg.SecretKey = st.S3AccessKey, st.S3SecretKey
	return media.NewS3(cfg)
}

// siteSecret returns the site's signing key, creating it on first use. It
// lives in the database so every instance of a site shares it.
func siteSecret(ctx context.Context, s *store.Store) ([]byte, error) {
	v, err := s.SettingOrInit(ctx, "secret.signing", func() string {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}
