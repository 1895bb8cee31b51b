package render

import (
	"html/template"

	"masthead/internal/news"
)

// Signup is the newsletter sign-up form's data: the newsletters offered
// (none: no form), and what a failed submission sent, with its errors.
type Signup struct {
	Newsletters []news.Newsletter
	Chosen      string // the newsletter picked on the form
	Email       string
	Errors      news.FieldErrors
}

// signupForm writes the sign-up form as the "newsletter-signup" template
// (partials/newsletter.html) does, byte for byte (newsletter_test.go).
func signupForm(s Signup) template.HTML {
	if len(s.Newsletters) == 0 {
		return ""
	}
	b := make([]byte, 0, 1200)
	b = append(b, "<form class=\"newsletter-signup\" method=\"post\" action=\"/newsletters/subscribe\" aria-labelledby=\"signup-heading\">\n  <h2 id=\"signup-heading\" class=\"section-heading\">Get our newsletter</h2>\n  "...)
	if msg := s.Errors["newsletter"]; msg != "" {
		b = append(b, `<p class="error" role="alert">`...)
		b = appendEscaped(b, msg)
		b = append(b, `</p>`...)
	}
	b = append(b, "\n  "...)
	if len(s.Newsletters) == 1 {
		n := s.Newsletters[0]
		b = append(b, `<input type="hidden" name="newsletter" value="`...)
		b = appendEscaped(b, n.Slug)
		b = append(b, `"><p>`...)
		b = appendEscaped(b, n.Name)
		if n.Description != "" {
			b = append(b, ": "...)
			b = appendEscaped(b, n.Description)
		}
		b = append(b, "</p>\n  "...)
	} else {
		b = append(b, "<div class=\"field\"><label for=\"signup-newsletter\">Newsletter</label>\n    <select id=\"signup-newsletter\" name=\"newsletter\">"...)
		for _, n := range s.Newsletters {
			b = append(b, `<option value="`...)
			b = appendEscaped(b, n.Slug)
			b = append(b, '"')
			if n.Slug == s.Chosen {
				b = append(b, ` selected`...)
			}
			b = append(b, '>')
			b = appendEscaped(b, n.Name)
			b = append(b, `</option>`...)
		}
		b = append(b, `</select></div>`...)
	}
	emailErr := s.Errors["email"]
	b = append(b, "\n  <div class=\"field"...)
	if emailErr != "" {
		b = append(b, ` invalid`...)
	}
	b = append(b, "\">\n    <label for=\"signup-email\">Your email address</label>\n    <input id=\"signup-email\" name=\"email\" type=\"email\" value=\""...)
	b = appendEscaped(b, s.Email)
	b = append(b, `" maxlength="254" autocomplete="email" required`...)
	if emailErr != "" {
		b = append(b, ` aria-invalid="true" aria-describedby="err-signup-email"`...)
	}
	b = append(b, ">\n    "...)
	if emailErr != "" {
		b = append(b, `<p class="error" id="err-signup-email">`...)
		b = appendEscaped(b, emailErr)
		b = append(b, `</p>`...)
	}
	b = append(b, "\n  </div>\n  <p class=\"form-note\">We email you a link to confirm. No tracking pixels, no rewritten links; every issue has a link to unsubscribe.</p>\n  <button type=\"submit\">Sign up</button>\n</form>"...)
	return template.HTML(b)
}

// appendFollow writes the form to follow a section or a person by email
// as the "newsletter-follow" template does.
func appendFollow(b []byte, n *news.Newsletter) []byte {
	b = append(b, `<form class="newsletter-follow" method="post" action="/newsletters/subscribe" aria-labelledby="follow-`...)
	b = appendEscaped(b, n.Slug)
	b = append(b, "-heading\">\n  <input type=\"hidden\" name=\"newsletter\" value=\""...)
	b = appendEscaped(b, n.Slug)
	b = append(b, "\">\n  <p class=\"follow-heading\" id=\"follow-"...)
	b = appendEscaped(b, n.Slug)
	b = append(b, `-heading"><strong>`...)
	b = appendEscaped(b, n.Name)
	b = append(b, `</strong> by email: `...)
	b = appendEscaped(b, n.Schedule.Text())
	b = append(b, ", when there is something new.</p>\n  <div class=\"follow-row\">\n    <label for=\"follow-"...)
	b = appendEscaped(b, n.Slug)
	b = append(b, "-email\">Your email address</label>\n    <input id=\"follow-"...)
	b = appendEscaped(b, n.Slug)
	b = append(b, "-email\" name=\"email\" type=\"email\" maxlength=\"254\" autocomplete=\"email\" required>\n    <button type=\"submit\">Follow</button>\n  </div>\n  <p class=\"form-note\">We email you a link to confirm. No tracking pixels, no rewritten links; every email has a link to unsubscribe.</p>\n</form>"...)
	return b
}
