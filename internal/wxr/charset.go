package wxr

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// charsetReader decodes the legacy single-byte charsets WordPress sites
// configured before UTF-8 became the default. As in browsers, the
// ISO-8859-1 labels are read as windows-1252, its superset.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1",
		"windows-1252", "cp1252", "x-cp1252":
		return &cp1252Reader{src: input}, nil
	}
	return nil, fmt.Errorf("unsupported character encoding %q: convert the file to UTF-8", label)
}

// cp1252High maps bytes 0x80–0x9F of windows-1252; the five bytes it leaves
// undefined map to the C1 control of the same value, as WHATWG specifies.
var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// cp1252Reader transcodes windows-1252 to UTF-8.
type cp1252Reader struct {
	src     io.Reader
	in      [4096]byte
	pending []byte // decoded bytes not yet returned
	err     error
}

func (c *cp1252Reader) Read(p []byte) (int, error) {
	for len(c.pending) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		n, err := c.src.Read(c.in[:])
		c.err = err
		out := c.pending[:0]
		for _, b := range c.in[:n] {
			switch {
			case b < 0x80:
				out = append(out, b)
			case b < 0xA0:
				out = utf8.AppendRune(out, cp1252High[b-0x80])
			default:
				out = utf8.AppendRune(out, rune(b))
			}
		}
		c.pending = out
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}
