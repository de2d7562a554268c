//go:build linux && !(amd64 || arm64 || arm || riscv64 || ppc64le || ppc64 || s390x || mips64le || mips64 || 386)

package kerneltest

import "errors"

// supported: no call site is written for this arch.
const supported = false

var errUnsupported = errors.New("kerneltest: no call site for this arch")

func siteRange(ABI) (lo, hi uint64, err error) { return 0, 0, errUnsupported }
func callSite(Call) uintptr                    { return 0 }
