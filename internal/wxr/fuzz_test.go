package wxr_test

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"

	"masthead/internal/wxr"
)

// FuzzReader feeds arbitrary bytes to the reader. It must never panic, and
// whatever it reads completely must survive a write and a second read
// unchanged.
func FuzzReader(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(filepath.Dir(fixturePath(f, "small-export.xml")), "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		f.Add(mustReadFile(f, file))
	}
	f.Add([]byte(minimalHead + "<item><title>x</title></item></channel></rss>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := wxr.NewReader(bytes.NewReader(data))
		var e export
		for i := 0; ; i++ {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if rec != nil {
					t.Fatalf("Next returned a record with error %v", err)
				}
				return
			}
			if i == 0 {
				if _, ok := rec.(*wxr.Header); !ok {
					t.Fatalf("first record is %T, not *wxr.Header", rec)
				}
			}
			switch rec := rec.(type) {
			case *wxr.Header:
				if i != 0 {
					t.Fatal("a second header")
				}
				e.Header = rec
			case *wxr.Author:
				e.Authors = append(e.Authors, rec)
			case *wxr.Term:
				e.Terms = append(e.Terms, rec)
			case *wxr.Item:
				e.Items = append(e.Items, rec)
			}
		}
		roundTrip(t, e)
	})
}

// BenchmarkReadThemeUnitTest parses the 609 KB Theme Unit Test export; the
// MB/s column is the reader's throughput.
func BenchmarkReadThemeUnitTest(b *testing.B) {
	data := mustReadFile(b, themePath(b))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := wxr.NewReader(bytes.NewReader(data))
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkWriteThemeUnitTest writes the Theme Unit Test export back out.
func BenchmarkWriteThemeUnitTest(b *testing.B) {
	e := mustRead(b, themePath(b))
	b.SetBytes(int64(len(write(b, e))))
	b.ReportAllocs()
	for b.Loop() {
		write(b, e)
	}
}
