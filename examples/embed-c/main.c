/*
 * embed-c: a C program that sandboxes itself with a filter compiled into it.
 *
 * filter.h is what `scc build --format c` makes of policy.sc (run make). The program
 * checks that the kernel can honour the filter, installs it with the flags scc wrote into
 * the header, then tries to make the directory given as its argument and reports the errno.
 *
 *     make && ./embed-c /tmp/some-dir    # mkdir /tmp/some-dir: Permission denied
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/seccomp.h>

#include "filter.h"

/* seccomp(2) has no glibc wrapper before 2.35 and none at all in some libcs. */
static long sys_seccomp(unsigned op, unsigned flags, void *arg)
{
	return syscall(SYS_seccomp, op, flags, arg);
}

/*
 * sandbox installs scc_filter. A process-killing filter (SCC_FILTER_PROCESS_KILLING) is
 * refused where the kernel lacks SECCOMP_RET_KILL_PROCESS (Linux < 4.14), whose kills
 * would end only the calling thread: fail closed.
 */
static int sandbox(void)
{
	struct sock_fprog prog = {
		.len = SCC_FILTER_LEN,
		.filter = (struct sock_filter *)scc_filter,
	};
	if (SCC_FILTER_PROCESS_KILLING) {
		unsigned action = SECCOMP_RET_KILL_PROCESS;
		if (sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action) != 0) {
			fprintf(stderr, "embed-c: SECCOMP_RET_KILL_PROCESS: %s\n", strerror(errno));
			return -1;
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		perror("embed-c: prctl(PR_SET_NO_NEW_PRIVS)");
		return -1;
	}
	if (sys_seccomp(SECCOMP_SET_MODE_FILTER, SCC_FILTER_FLAGS, &prog) != 0) {
		perror("embed-c: seccomp(SECCOMP_SET_MODE_FILTER)");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: embed-c DIR\n");
		return 2;
	}
	if (sandbox() != 0)
		return 1;
	if (mkdir(argv[1], 0755) != 0) {
		int e = errno;
		printf("mkdir %s: %s (errno %d)\n", argv[1], strerror(e), e);
		return 0;
	}
	printf("mkdir %s: ok\n", argv[1]);
	return 1;
}
