package wpimport

import (
	"bufio"
	"cmp"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"

	"masthead/internal/wxr"
)

// The first pass keeps every record it read in a spool file, in gob, and
// the import reads them back from there instead of parsing the XML again:
// parsing was most of the time of a re-import that changes little (three
// quarters of it), and a fifth of a first import's. The file is about the
// size of the export and is removed when the import ends.

// spooled is one record in the spool, and how far into the export it
// ended (for progress). Kind says which it is: gob leaves out a record
// whose fields are all empty.
type spooled struct {
	Kind   byte
	Header *wxr.Header
	Author *wxr.Author
	Term   *wxr.Term
	Item   *wxr.Item
	Offset int64
}

// spool writes records to a temporary file in dir.
type spool struct {
	f    *os.File
	buf  *bufio.Writer
	enc  *gob.Encoder
	then *spool // the records of the file's later half, read after these (checkHalves)
	dir  string
}

func newSpool(dir string) (*spool, error) {
	f, err := os.CreateTemp(dir, "masthead-import-*.spool")
	if err != nil {
		return nil, fmt.Errorf("spool the export: %w", err)
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	return &spool{f: f, buf: buf, enc: gob.NewEncoder(buf), dir: dir}, nil
}

func (s *spool) add(rec wxr.Record, offset int64) error {
	sp := spooled{Offset: offset}
	switch rec := rec.(type) {
	case *wxr.Header:
		sp.Kind, sp.Header = 'h', rec
	case *wxr.Author:
		sp.Kind, sp.Author = 'a', rec
	case *wxr.Term:
		sp.Kind, sp.Term = 't', rec
	case *wxr.Item:
		sp.Kind, sp.Item = 'i', rec
	default:
		return nil
	}
	if err := s.enc.Encode(&sp); err != nil {
		return fmt.Errorf("spool the export: %w", err)
	}
	return nil
}

// reset empties the spool, for the records to be written again.
func (s *spool) reset() error {
	if s.then != nil {
		s.then.remove()
		s.then = nil
	}
	if err := s.f.Truncate(0); err != nil {
		return fmt.Errorf("spool the export: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("spool the export: %w", err)
	}
	s.buf.Reset(s.f)
	s.enc = gob.NewEncoder(s.buf)
	return nil
}

// rewind ends the writing and returns a reader of the records written
// (then those of s.then), which ends with io.EOF.
func (s *spool) rewind() (func() (wxr.Record, int64, error), error) {
	next, err := s.rewindOne()
	if err != nil || s.then == nil {
		return next, err
	}
	later, err := s.then.rewindOne()
	if err != nil {
		return nil, err
	}
	return func() (wxr.Record, int64, error) {
		if next != nil {
			rec, offset, err := next()
			if !errors.Is(err, io.EOF) {
				return rec, offset, err
			}
			next = nil
		}
		return later()
	}, nil
}

func (s *spool) rewindOne() (func() (wxr.Record, int64, error), error) {
	if err := s.buf.Flush(); err != nil {
		return nil, fmt.Errorf("spool the export: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("spool the export: %w", err)
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(s.f, 1<<20))
	return func() (wxr.Record, int64, error) {
		var sp spooled
		if err := dec.Decode(&sp); err != nil {
			if !errors.Is(err, io.EOF) {
				err = fmt.Errorf("read the spooled export: %w", err)
			}
			return nil, 0, err
		}
		switch sp.Kind {
		case 'h':
			return cmp.Or(sp.Header, &wxr.Header{}), sp.Offset, nil
		case 'a':
			return cmp.Or(sp.Author, &wxr.Author{}), sp.Offset, nil
		case 't':
			return cmp.Or(sp.Term, &wxr.Term{}), sp.Offset, nil
		case 'i':
			return cmp.Or(sp.Item, &wxr.Item{}), sp.Offset, nil
		}
		return nil, 0, fmt.Errorf("read the spooled export: a record of kind %q", sp.Kind)
	}, nil
}

// remove closes and deletes the file (and s.then's).
func (s *spool) remove() {
	if s.then != nil {
		s.then.remove()
	}
	_ = s.f.Close()
	_ = os.Remove(s.f.Name())
}
