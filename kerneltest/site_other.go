//go:build linux && !amd64

package kerneltest

import "errors"

// supported: the call sites are only written for amd64.
const supported = false

var errUnsupported = errors.New("kerneltest: only implemented on amd64")

func siteIP(ABI) (uint64, error) { return 0, errUnsupported }
func callSite(Call) uintptr      { return 0 }
