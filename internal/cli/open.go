package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"masthead/internal/config"
	"masthead/internal/store"
)

// openStore opens the site's database as configured.
func openStore(ctx context.Context, st config.Storage) (*store.Store, error) {
	if st.DatabaseURL != "" {
		return nil, errors.New("--database: PostgreSQL support is not available in this build yet; leave it empty to use SQLite")
	}
	s, err := store.OpenSQLite(ctx, st.SQLitePath())
	if err != nil {
		return nil, fmt.Errorf("open database in %s: %w", st.DataDir, err)
	}
	return s, nil
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
