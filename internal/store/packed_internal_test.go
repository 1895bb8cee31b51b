package store

import (
	"hash/maphash"
	"strconv"
	"strings"
	"testing"
)

// TestKeptBodies: a body inflated through the kept bodies is the body,
// read again it comes from them, a different BLOB under the same hash is
// not taken for it, and they stay within two generations of keptMax.
func TestKeptBodies(t *testing.T) {
	p := newPacker()
	p.kept.max = 64 << 10
	bodies := make([]string, 40)
	packed := make([][]byte, len(bodies))
	for i := range bodies {
		bodies[i] = strings.Repeat("<p>Story "+strconv.Itoa(i)+" of the council’s budget.</p>\n", 100)
		b, ok := p.pack(bodies[i]).([]byte)
		if !ok {
			t.Fatalf("body %d not packed", i)
		}
		packed[i] = b
	}
	for round := range 2 {
		for i, b := range packed {
			got, err := p.unpackKept(b)
			if err != nil || got != bodies[i] {
				t.Fatalf("round %d, body %d: %.40q, %v", round, i, got, err)
			}
		}
	}
	h := maphash.Bytes(p.kept.seed, packed[len(packed)-1])
	if got, ok := p.kept.get(h, packed[len(packed)-1]); !ok || got != bodies[len(packed)-1] {
		t.Errorf("last body not kept")
	}
	if _, ok := p.kept.get(h, packed[0]); ok {
		t.Errorf("another BLOB taken for a kept one with the same hash")
	}
	total := p.kept.curBytes
	for _, e := range p.kept.old {
		total += len(e.packed) + len(e.text)
	}
	if total > 2*p.kept.max {
		t.Errorf("%d bytes kept, more than 2 × %d", total, p.kept.max)
	}
}
