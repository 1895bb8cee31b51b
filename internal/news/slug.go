package news

import (
	"hash/crc32"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen keeps URLs readable; slugs are cut at a word boundary below it.
const MaxSlugLen = 80

// Slugify turns a headline in any language into a lowercase ASCII slug of
// letters, digits and single hyphens. Accented Latin letters lose their
// accents, a few letters and the Greek and Cyrillic alphabets are
// transliterated, and text with no usable letters at all (say, a Chinese
// headline) gets a short stable hash so every headline yields a valid slug.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // combining accents left over by NFKD
		}
		r = unicode.ToLower(r)
		var out string
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			out = string(r)
		case r == '\'' || r == '’' || r == '‘':
			continue // "Don't" -> "dont", not "don-t"
		default:
			out = transliteration[r]
			if out == "" && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				out = "-"
			}
		}
		if out == "" || out == "-" {
			hyphen = b.Len() > 0
			continue
		}
		word := !unicode.IsLetter(r) && !unicode.IsDigit(r) // "&" becomes the word "and"
		if (hyphen || word) && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = word
		b.WriteString(out)
	}
	slug := b.String()
	if len(slug) > MaxSlugLen {
		slug = slug[:MaxSlugLen]
		if i := strings.LastIndexByte(slug, '-'); i > MaxSlugLen/2 {
			slug = slug[:i]
		}
		slug = strings.TrimRight(slug, "-")
	}
	if slug == "" {
		if strings.TrimSpace(s) == "" {
			return "untitled"
		}
		return "n-" + strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(s))), 36)
	}
	return slug
}

// ValidSlug reports whether s is a slug Slugify could have produced.
func ValidSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// SlugWithSuffix returns the n-th alternative of a taken slug ("slug-2" …),
// keeping it within MaxSlugLen.
func SlugWithSuffix(slug string, n int) string {
	suffix := "-" + strconv.Itoa(n)
	if len(slug)+len(suffix) > MaxSlugLen {
		slug = strings.TrimRight(slug[:MaxSlugLen-len(suffix)], "-")
	}
	return slug + suffix
}

var transliteration = map[rune]string{
	'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'đ': "d", 'ð': "d", 'þ': "th", 'ł': "l", 'ı': "i", 'ħ': "h",
	'&': "and", '@': "at", '%': "percent", '+': "plus",
	// Greek
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i", 'κ': "k",
	'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t",
	'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
	// Cyrillic
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'е': "e", 'ё': "yo", 'є': "ye", 'ж': "zh",
	'з': "z", 'и': "i", 'і': "i", 'ї': "yi", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh",
	'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}
