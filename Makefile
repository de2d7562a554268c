# scc's build. `make test` is what CI runs (.ci/run) and what a newcomer runs first.
GO ?= go

.PHONY: all build test test-arches vet unit fuzz bench generate groups man release example clean

all: build

# scc needs no cgo (only pflag's net import would link it, for its DNS resolver): a static
# binary starts about a millisecond sooner, without the dynamic loader and libc's start.
build:
	CGO_ENABLED=0 $(GO) build -o bin/scc ./cmd/scc

vet:
	$(GO) vet ./...

unit:
	$(GO) test -count=1 ./...

test: vet unit

# Every ABI in its own kernel: Debian's kernels under qemu (scc vm fetch all), one boot per arch,
# two at a time. See docs/other-arches.md.
test-arches:
	./tests/arches/run.sh

# Short fuzz runs of the parser, the compiler, the expansion of `use` and groups, the optimizer,
# lint on large conditions, the meaning engine on random programs and the proof of random
# builds; the seed corpora (testdata/fuzz) also run in `make test`.
fuzz:
	$(GO) test -run=NONE -fuzz=FuzzParse -fuzztime=30s ./lang
	$(GO) test -run=NONE -fuzz=FuzzCompile -fuzztime=30s ./compiler
	$(GO) test -run=NONE -fuzz=FuzzOptimize -fuzztime=30s ./optimizer
	$(GO) test -run=NONE -fuzz=FuzzNestedExpansion -fuzztime=30s ./compiler
	$(GO) test -run=NONE -fuzz=FuzzLargeConditions -fuzztime=30s ./lint
	$(GO) test -run=NONE -fuzz=FuzzProgramMeaning -fuzztime=30s ./meaning
	$(GO) test -run=NONE -fuzz=FuzzProve -fuzztime=30s ./tests/differential

# Benchmarks of compile time and of the filters, scc's and libseccomp's; whole processes
# (scc build and run, and libseccomp's C API building the same profile); the filters' cost
# per call in the kernel; and the growth of scc build, scc lint and libseccomp with the
# policy's size: prints Go's benchmark results and rewrites BENCHMARKS.md
# (bench/cmd/benchtable, which builds scc, bench/cmd/libseccompbuild and bench/cmd/benchhelper
# first; it needs only Go, cgo and libseccomp-dev). Several minutes; `go run
# ./bench/cmd/benchtable -growth-only -o -` prints the growth table alone, `-process-only`
# the whole-process and kernel tables.
bench:
	$(GO) test -run=NONE -bench=. -benchmem -benchtime=0.5s ./bench/ ./optimizer/
	$(GO) run ./bench/cmd/benchtable -go "$(GO)" -o BENCHMARKS.md

# Regenerate stdlib's tables from the Go module cache and Debian's kernel headers (the newest
# /usr/src/linux-headers-*-common, or HEADERS=DIR: a tree unpacked with dpkg-deb -x).
generate:
	$(GO) run ./stdlib/internal/gen $(if $(HEADERS),-headers $(HEADERS))

# Man pages of scc and each of its commands, from their help text, into bin/man (not checked in):
# man -l bin/man/scc-build.1
man:
	$(GO) run ./cmd/scc/internal/mangen -o bin/man

# Regenerate stdlib's groups (and docs/groups.md) from systemd's syscall filter sets: the saved
# listing, refreshed from this machine's systemd-analyze first.
groups:
	$(GO) run ./stdlib/internal/gensystemd -refresh

# Static binaries (CGO_ENABLED=0: libseccomp is for the tests only) for each platform into
# bin/release, with SHA256SUMS. The version is Go's build info, which scc version prints: the
# module version, and the VCS revision, time and state of the clone built from
# (-buildvcs=true; a git worktree has none, so build releases from a clone). cmd/scc's
# TestStaticBuild builds the same way; keep its platform list in step.
RELEASE_PLATFORMS = linux/amd64 linux/arm64 linux/riscv64

release:
	mkdir -p bin/release
	for p in $(RELEASE_PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -buildvcs=true -ldflags='-s -w' \
			-o bin/release/scc-$$os-$$arch ./cmd/scc || exit 1; \
	done
	cd bin/release && sha256sum scc-* > SHA256SUMS

example: build
	./bin/scc build examples/web-server.sc -o /tmp/web-server.bpf

clean:
	rm -rf bin
