// Package news is Masthead's domain: articles, sections, tags, staff,
// reader comments and the rules that govern them (slugs, article URLs,
// comment validation and moderation). It knows nothing about HTTP or SQL;
// the web and admin packages call it, and the store persists its types.
package news
