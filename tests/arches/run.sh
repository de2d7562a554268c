#!/usr/bin/env bash
# make test-arches: every ABI scc boots a kernel for (aarch64, arm, riscv64, ppc64le, s390x,
# mips64le, i386, x32) checks, in its own Debian kernel under qemu, the project's kernel test
# cases (tests/kernel/cases, the hand-written filters tests/kernel checks on the host), the
# policies here (every action, argument rules of 16, 32 and 64 bits) and the examples' expect
# lines. One boot per arch for each of the two runs, two at a time. Needs the kernels (scc vm fetch all) and qemu-system-{arm,misc,ppc,
# mips,x86}; .ci/run installs both.
set -euo pipefail
cd "$(dirname "$0")/../.."
go build -o bin/scc ./cmd/scc
export SCC_SOURCE=$PWD

# The examples are written for x86; their rules and expect lines mean the same on the other
# little-endian ABIs, so each is checked there as written but for its arch line. (Not on
# s390x: its mmap takes one struct pointer and its clone another argument order, so the
# examples do not build or mean the same there; be64.sc covers it.)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in examples/*.sc; do
  sed -E 's/^([[:space:]]*)arch .*/\1arch aarch64, arm, riscv64, ppc64le, mips64le, i386, x32/' "$f" > "$work/$(basename "$f")"
done

bin/scc test --kernel --vm --vm-always tests/arches/*.sc "$work"/*.sc

# The kernel test cases, as tests/kernel checks them on the host (TestCases); pipefail keeps
# go test's status.
SCC_VM_CASES=all go test -count=1 -run '^TestCasesInVMs$' -v ./tests/kernel | grep -E '^(---|ok|FAIL|PASS)|cases_test.go'
