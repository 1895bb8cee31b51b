package markup

import (
	"strings"

	nethtml "golang.org/x/net/html"
)

// Text is the words of sanitised HTML, tags left out and spaces collapsed:
// for where a summary must be plain (structured data).
func Text(h string) string {
	z := nethtml.NewTokenizer(strings.NewReader(h))
	var b strings.Builder
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case nethtml.TextToken:
			b.Write(z.Text())
		case nethtml.StartTagToken, nethtml.EndTagToken, nethtml.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}
