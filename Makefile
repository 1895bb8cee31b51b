# The README's test command. .ci/run calls it after installing what the
# tests need; developers run it directly.
.PHONY: test bench build

test:
	go vet ./...
	go test -count=1 ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...

build:
	CGO_ENABLED=0 go build -o masthead ./cmd/masthead
