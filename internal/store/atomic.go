package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Atomically runs fn with a Store whose every statement — the reads too —
// runs in one write transaction, committed when fn returns nil and rolled
// back otherwise. Every method of the Store fn gets works as usual (and so
// does anything built on it, such as an newsroom.Service), so a whole
// import either lands completely or leaves the database as it was.
//
// A method that would open its own transaction opens a savepoint instead,
// so a statement failing inside it (a unique violation a caller retries)
// does not abort the whole transaction on PostgreSQL.
//
// On SQLite the transaction holds the only write connection: other writers
// in this process wait for it, and other processes wait up to the busy
// timeout. It is meant for imports and other batch work, not requests.
// The transaction's Store must not be used after fn returns, nor from two
// goroutines at once.
func (s *Store) Atomically(ctx context.Context, fn func(tx *Store) error) error {
	if s.tx != nil {
		return fn(s) // already atomic: part of the enclosing transaction
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		ts := &Store{read: s.read, write: s.write, packer: s.packer, dialect: s.dialect, clock: s.clock, seekFrom: s.seekFrom, searchWalk: s.searchWalk, readIdle: s.readIdle, writeIdle: s.writeIdle, tx: tx, committed: s.committed}
		if s.dialect.sqlite() {
			ts.txStmts = &sync.Map{}
		}
		return fn(ts)
	})
}

// in returns the querier a statement meant for db runs on: the store's
// transaction when it has one.
func (s *Store) in(db querier) querier {
	if s.tx != nil {
		return s.tx
	}
	return db
}

// savepoint runs fn inside a savepoint of the store's transaction.
// Savepoints nest strictly and each is released whichever way fn ends, so
// one name serves: ROLLBACK TO and RELEASE act on the newest savepoint of
// that name, which is always this call's own.
func (s *Store) savepoint(ctx context.Context, fn func(tx *sql.Tx) error) error {
	const name = "masthead_savepoint"
	if _, err := s.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := fn(s.tx); err != nil {
		// ROLLBACK TO keeps the savepoint; RELEASE takes it off the stack.
		for _, stmt := range []string{"ROLLBACK TO SAVEPOINT ", "RELEASE SAVEPOINT "} {
			if _, rerr := s.tx.ExecContext(ctx, stmt+name); rerr != nil {
				return fmt.Errorf("%w (and rolling back to the savepoint: %v)", err, rerr)
			}
		}
		return err
	}
	if _, err := s.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}
