package news

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound is returned when a requested record does not exist (or is not
// visible to the public, which readers cannot tell apart).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write collides with existing data, such as a
// slug or email that must be unique.
var ErrConflict = errors.New("conflict")

// FieldErrors maps a form field name to a message a person can act on. It is
// an error so domain validation can be returned through ordinary error paths
// and recognised at the edge with errors.As.
type FieldErrors map[string]string

func (fe FieldErrors) Error() string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + fe[k]
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Err returns fe as an error, or nil when there are no problems, so callers can
// write `return fe.Err()` without the typed-nil trap.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// WaitText says how long someone has to wait, in whole minutes rounded up,
// as a message to them puts it: "a minute", "15 minutes".
func WaitText(d time.Duration) string {
	m := int(math.Ceil(d.Minutes()))
	if m <= 1 {
		return "a minute"
	}
	return strconv.Itoa(m) + " minutes"
}
