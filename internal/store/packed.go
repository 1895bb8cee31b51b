package store

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strings"
	"sync"
)

// Article bodies on SQLite: the Markdown and the rendered HTML are each
// stored deflated, as a BLOB, when that is smaller (a story's 3.7 KB of
// Markdown and 3.9 KB of HTML become about 1.3 KB each). A TEXT value is
// the body as it is — rows written before, short bodies, and rows copied
// in as text — so both read back the same way. PostgreSQL already
// compresses large values itself (TOAST), and gets text.

// packMin is the shortest body worth deflating.
const packMin = 256

// packer deflates bodies for SQLite and inflates them again; its writers
// and readers are reused, since each one allocates its tables (a reader
// made per body read was most of a feed's time, in the collector).
type packer struct {
	writers, readers sync.Pool
	// chunks are the buffers bodies are inflated through: io.Copy made a
	// 32 KB one for every body, a fifth of what an article page allocated.
	chunks sync.Pool
	kept   keptBodies
}

func newPacker() *packer {
	return &packer{writers: sync.Pool{New: func() any {
		w, err := flate.NewWriter(io.Discard, flate.BestSpeed)
		if err != nil {
			panic(err) // only for an invalid level
		}
		return w
	}}, kept: keptBodies{seed: maphash.MakeSeed(), max: keptMax}}
}

// keptMax bounds the bodies kept, in bytes, per generation (two are kept).
const keptMax = 4 << 20

// keptBodies holds the bodies listings with bodies (feeds) inflated
// lately, by their deflated bytes, so that the same bytes are not
// inflated again: every feed showing a story is made again each time a
// story is published or edited, from mostly the stories it had, and
// inflating them was 40% of its CPU. Keyed by content, an entry is never
// stale. Two generations approximate least recently used: when the new one
// is full it becomes the old one, and an old entry read moves back.
// Single-article reads do not come here: random first visits would only
// churn it.
type keptBodies struct {
	seed     maphash.Seed
	max      int
	mu       sync.Mutex
	cur, old map[uint64]keptBody
	curBytes int
}

type keptBody struct{ packed, text string }

func (k *keptBodies) get(h uint64, packed []byte) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if e, ok := k.cur[h]; ok && e.packed == string(packed) {
		return e.text, true
	}
	if e, ok := k.old[h]; ok && e.packed == string(packed) {
		delete(k.old, h)
		k.putLocked(h, e)
		return e.text, true
	}
	return "", false
}

func (k *keptBodies) put(h uint64, packed []byte, text string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.putLocked(h, keptBody{packed: string(packed), text: text})
}

func (k *keptBodies) putLocked(h uint64, e keptBody) {
	size := len(e.packed) + len(e.text)
	if k.cur == nil || k.curBytes+size > k.max {
		k.old, k.cur, k.curBytes = k.cur, make(map[uint64]keptBody), 0
	}
	k.cur[h] = e
	k.curBytes += size
}

// unpackKept is unpack through p.kept.
func (p *packer) unpackKept(b []byte) (string, error) {
	h := maphash.Bytes(p.kept.seed, b)
	if text, ok := p.kept.get(h, b); ok {
		return text, nil
	}
	text, err := p.unpack(b)
	if err == nil {
		p.kept.put(h, b, text)
	}
	return text, err
}

// body is the value to store for an article body: text on PostgreSQL, and
// deflated on SQLite when that saves space.
func (s *Store) body(text string) any {
	if s.packer == nil || len(text) < packMin {
		return text
	}
	return s.packer.pack(text)
}

func (p *packer) pack(text string) any {
	var buf bytes.Buffer
	buf.Grow(len(text) / 2)
	w := p.writers.Get().(*flate.Writer)
	defer p.writers.Put(w)
	w.Reset(&buf)
	if _, err := io.WriteString(w, text); err != nil {
		return text
	}
	if err := w.Close(); err != nil || buf.Len() >= len(text) {
		return text
	}
	return buf.Bytes()
}

// packedText scans an article body stored by Store.body: text as it is, a
// BLOB inflated by p (through p.kept when keep is set).
type packedText struct {
	p    *packer
	keep bool
	text string
}

func (t *packedText) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.text = ""
	case string:
		t.text = v
	case []byte:
		unpack := t.p.unpack
		if t.keep && t.p != nil {
			unpack = t.p.unpackKept
		}
		text, err := unpack(v)
		if err != nil {
			return err
		}
		t.text = text
	default:
		return fmt.Errorf("article body: unexpected %T", src)
	}
	return nil
}

// unpack inflates a body stored deflated; a nil packer (a store on
// PostgreSQL reading a copy's source) uses a reader of its own.
func (p *packer) unpack(b []byte) (string, error) {
	var r io.ReadCloser
	if p != nil {
		if pooled, ok := p.readers.Get().(io.ReadCloser); ok {
			if err := pooled.(flate.Resetter).Reset(bytes.NewReader(b), nil); err == nil {
				r = pooled
			}
		}
	}
	if r == nil {
		r = flate.NewReader(bytes.NewReader(b))
	}
	var out strings.Builder // its String does not copy
	out.Grow(len(b) * 3)
	var chunk *[]byte
	if p != nil {
		chunk, _ = p.chunks.Get().(*[]byte)
	}
	if chunk == nil {
		c := make([]byte, 4<<10)
		chunk = &c
	}
	_, err := io.CopyBuffer(&out, r, *chunk)
	if p != nil {
		p.readers.Put(r)
		p.chunks.Put(chunk)
	}
	if err != nil {
		return "", fmt.Errorf("inflate article body: %w", err)
	}
	return out.String(), nil
}

// bodyValue is a body column's value as read by either engine, as text:
// for copying a site between engines (sitecopy.go), where SQLite's
// deflated bodies become text again.
func bodyValue(v any) (any, error) {
	b, ok := v.([]byte)
	if !ok {
		return v, nil
	}
	text, err := (*packer)(nil).unpack(b)
	if err != nil {
		return nil, err
	}
	return text, nil
}

// afterMigration does, in a migration's transaction, what its SQL cannot.
func (s *Store) afterMigration(ctx context.Context, tx *sql.Tx, version int) error {
	if version == 30 && s.packer != nil {
		return s.packBodies(ctx, tx)
	}
	return nil
}

// packBodies deflates the bodies stored before 0030, a few hundred rows
// at a time. Nothing a reader sees changes, so the trigger that logs
// changes to bodies is set aside meanwhile and made again as it was.
func (s *Store) packBodies(ctx context.Context, tx *sql.Tx) error {
	var trigger string
	if err := s.queryRow(ctx, tx, `SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'changes_article_update'`).Scan(&trigger); err != nil {
		return fmt.Errorf("pack article bodies: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TRIGGER changes_article_update`); err != nil {
		return fmt.Errorf("pack article bodies: %w", err)
	}
	type row struct {
		id         int64
		body, html packedText
	}
	fresh := func() row { return row{body: packedText{p: s.packer}, html: packedText{p: s.packer}} }
	var after int64
	for {
		rows, err := s.queryRows(ctx, tx, `SELECT id, body, body_html FROM articles WHERE id > ? ORDER BY id LIMIT 500`, after)
		if err != nil {
			return fmt.Errorf("pack article bodies: %w", err)
		}
		var batch []row
		for rows.Next() {
			r := fresh()
			if err := rows.Scan(&r.id, &r.body, &r.html); err != nil {
				rows.Close()
				return fmt.Errorf("pack article bodies: %w", err)
			}
			batch = append(batch, r)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("pack article bodies: %w", err)
		}
		if len(batch) == 0 {
			break
		}
		for _, r := range batch {
			if _, err := s.exec(ctx, tx, `UPDATE articles SET body = ?, body_html = ? WHERE id = ?`,
				s.body(r.body.text), s.body(r.html.text), r.id); err != nil {
				return fmt.Errorf("pack article bodies: %w", err)
			}
		}
		after = batch[len(batch)-1].id
	}
	if _, err := tx.ExecContext(ctx, trigger); err != nil {
		return fmt.Errorf("pack article bodies: %w", err)
	}
	return nil
}
