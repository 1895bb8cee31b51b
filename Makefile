# The README's test command. .ci/run calls it after installing what the
# tests need; developers run it directly.
.PHONY: test test-browser bench build

test:
	go vet ./...
	go test -count=1 -timeout 30m ./...
	# The HTTP-level suites again, with their sites on PostgreSQL (the store
	# suite already runs on both backends above).
	MASTHEAD_SITE_BACKEND=postgres go test -count=1 -timeout 30m ./internal/web/ ./internal/admin/ ./internal/newsroom/ ./internal/wpimport/ ./internal/wpapi/
	$(MAKE) test-browser

# The browser tests (e2e/): the newsroom workflow in headless Chromium, and
# every page type through axe-core and the Nu HTML Checker. They need Node,
# Java and Debian's chromium; .ci/run installs them.
test-browser: e2e/node_modules
	cd e2e && npm test

e2e/node_modules: e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

bench:
	go test -run '^$$' -bench . -benchmem ./...

# nodynamic: the AVIF and WebP encoders (internal/media) run as WebAssembly;
# without the tag they would also look for the system's libavif and libwebp,
# which makes the binary link dynamically.
build:
	CGO_ENABLED=0 go build -tags nodynamic -o masthead ./cmd/masthead
