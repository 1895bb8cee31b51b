package edge

import (
	"fmt"
	"net/http"
)

// Error is a failure with the HTTP status it deserves and a message safe
// to show whoever made the request. Surfaces turn it into their own kind
// of error page (HTML for people, JSON for the REST API).
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s", e.Status, e.Message) }

// BadRequest is a 400 with msg.
func BadRequest(msg string) error { return &Error{Status: http.StatusBadRequest, Message: msg} }
