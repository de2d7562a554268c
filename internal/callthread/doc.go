// Package callthread makes one system call at a time in a seccomp test child, each on a
// fresh OS thread that is not the thread-group leader, and tells how it ended: it returned,
// it trapped (caught by the package's SIGSYS handler, which records the siginfo), it blocked,
// or its thread was killed. A kill of the whole process ends the child, which its parent sees
// in the wait status.
//
// It serves the kerneltest package (behind `scc test --kernel`) and the tests/kernel harness,
// whose children both install a filter and then call Run once per call. The SIGSYS handler is
// only written for linux/amd64; elsewhere InstallTrapHandler returns ErrNoTrapHandler and a
// trap's SIGSYS reaches the Go runtime, which crashes the child.
package callthread
