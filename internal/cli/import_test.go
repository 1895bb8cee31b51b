package cli

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"masthead/internal/media"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// TestImportExportCommands runs `masthead import wordpress` and `masthead
// export wordpress` as a shell would, with a media folder for the
// attachments.
func TestImportExportCommands(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	run := func(args ...string) (string, string, error) {
		var out, errOut strings.Builder
		err := Main(ctx, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}, args)
		return out.String(), errOut.String(), err
	}
	bad := testutil.SharedData(t, "wordpress", "importer-fixtures", "malformed-simple.xml")
	_, _, err := run("import", "wordpress", "--data", data, bad)
	if err == nil || !strings.Contains(err.Error(), "line 14") || !strings.Contains(err.Error(), "Nothing was imported") {
		t.Errorf("a truncated file: %v", err)
	}

	// A media folder holding one attachment's file, where the export says.
	mediaDir := t.TempDir()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(mediaDir, "2013", "03"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mediaDir, "2013", "03", "featured-image-vertical.jpg"), img.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	file := testutil.SharedData(t, "wordpress", "themeunittestdata.wordpress.xml")
	out, progress, err := run("import", "wordpress", "--data", data, "--media-dir", mediaDir, "--timezone", "America/New_York", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"posts", "58", "pages", "21", "comments", "33", "menus are not imported", "invite them"} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary does not say %q:\n%s", want, out)
		}
	}
	if !strings.Contains(progress, "importing: 100%") && !strings.Contains(progress, "importing:") {
		t.Errorf("no progress lines: %q", progress)
	}
	again, _, err := run("import", "wordpress", "--data", data, file)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`posts\s+0\s+0\s+58`).MatchString(again) {
		t.Errorf("the second import changed posts:\n%s", again)
	}
	st, err := store.Open(ctx, "", filepath.Join(data, "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	items, total, err := st.ListMedia(ctx, media.Filter{Limit: 10})
	st.Close()
	if err != nil || total != 1 || items[0].Width != 40 {
		t.Errorf("media library after the import: %d items, %v", total, err)
	} else if _, err := os.Stat(filepath.Join(data, "media", filepath.FromSlash(items[0].Key))); err != nil {
		t.Errorf("the copied file: %v", err)
	}
	dst := filepath.Join(t.TempDir(), "site.xml")
	if _, msg, err := run("export", "wordpress", "--data", data, "--base-url", "https://news.example", "-o", dst); err != nil || !strings.Contains(msg, "Exported 58 posts, 21 pages, 33 comments") {
		t.Fatalf("export: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(dst)
	if err != nil || !strings.Contains(string(b), "<wp:wxr_version>1.2</wp:wxr_version>") {
		t.Fatalf("the export: %v", err)
	}
	if _, _, err := run("import", "nothing"); !errors.Is(err, ErrUsage) {
		t.Errorf("import nothing: %v", err)
	}
}
