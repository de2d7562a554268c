//go:build linux

package kernel

import "sync/atomic"

// trapInfo is the SIGSYS siginfo a trapped call left behind.
type trapInfo struct {
	trapped bool
	data    uint32
	nr      int32
	arch    uint32
}

// resetTrap clears the handler's record before a call.
func resetTrap() { atomic.StoreUint32(&trapFlag, 0) }

// takeTrap reads the handler's record after a call.
func takeTrap() trapInfo {
	if atomic.LoadUint32(&trapFlag) == 0 {
		return trapInfo{}
	}
	return trapInfo{trapped: true, data: atomic.LoadUint32(&trapData),
		nr: atomic.LoadInt32(&trapNr), arch: atomic.LoadUint32(&trapArch)}
}
