package main

// scc's deliberate differences from systemd's syscall filter sets: the one list of them.
// The generator applies them to systemd's sets and writes them into docs/groups.md.

// difference is one change to a systemd set, or a group of scc's own (systemd has no set
// of that name).
type difference struct {
	group  string
	add    []string // members added (syscalls or @groups)
	remove []string // members removed
	why    string
	about  string // the description of a group of scc's own
}

// differences are applied in this order; a group that systemd lacks is made from its adds.
var differences = []difference{
	{
		group:  "@network-io",
		remove: []string{"socket", "socketcall", "socketpair"},
		why: "Socket creation is a group of its own, @socket-create, so that a policy can allow I/O " +
			"on sockets and still restrict the address families of new ones " +
			"(allow socket if domain in {AF_INET, AF_INET6}).",
	},
	{
		group: "@socket-create",
		about: "Creating sockets, of any address family",
		add:   []string{"socket", "socketcall", "socketpair"},
		why: "Creating sockets, of any address family (systemd has them in @network-io). socketcall is " +
			"i386's multiplexer for every socket call: allowing it allows socket() of any family, " +
			"whatever rules name socket itself.",
	},
	{
		group: "@system-service",
		add:   []string{"@socket-create"},
		why:   "Keeps systemd's @system-service whole, since @network-io no longer creates sockets.",
	},
	{
		group: "@clock",
		add:   []string{"stime"},
		why: "stime sets the system clock (i386's older settimeofday); systemd lists it only in " +
			"@obsolete, where it stays too.",
	},
}

// ungrouped are the syscalls of scc's tables that no group has, with the reason; a test
// holds that every other syscall of the tables is in a group, and that these are in none. A
// syscall newer than the systemd the groups come from lands here until a newer systemd's sets
// group it (or a difference above does).
var ungrouped = []struct {
	names []string
	why   string
}{
	{[]string{"cachestat", "file_getattr", "file_setattr", "futex_requeue", "futex_wait", "futex_wake",
		"getxattrat", "listmount", "listns", "listxattrat", "lsm_get_self_attr", "lsm_list_modules",
		"lsm_set_self_attr", "map_shadow_stack", "mseal", "open_tree_attr", "removexattrat",
		"rseq_slice_yield", "setxattrat", "statmount", "uprobe"},
		"Newer than systemd 252, whose sets do not name them."},
	{[]string{"landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "memfd_secret",
		"mincore", "process_mrelease", "seccomp", "syslog"},
		"systemd 252 lists them in no set (systemd-analyze's \"unlisted\" calls): a policy names them itself."},
	{[]string{"arm_sync_file_range"}, "arm's other name for sync_file_range2, the same number, which @sync has."},
	{[]string{"breakpoint", "cachectl", "get_tls", "multiplexer", "s390_guarded_storage",
		"s390_sthyi", "spu_create", "spu_run", "sysmips", "usr26", "usr32"},
		"One arch's private calls (arm, mips, powerpc, s390x) that systemd's sets do not name."},
	{[]string{"timerfd"}, "A number the kernel reserves (never implemented); systemd's sets do not name it."},
}
