/*
 * test_netns.c - the run's network namespace: creation with its
 * resolv.conf, processes inside found and killed whatever their process
 * group, removal leaving nothing, and removal of a dead run's leftovers.
 * Needs root; without it the tests pass vacuously and say so.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "harness/run/netns.h"
#include "proc.h"
#include "harness/run/resolver.h"
#include "xmalloc.h"

/* is_root - 1 if we may create namespaces. */
static int
is_root(void)
{
	return unit_need_root("netns");
}

/* file_has - 1 if path exists and contains text. */
static int
file_has(const char *path, const char *text)
{
	char buf[1024];
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

/* test_lifecycle - create, run inside, find, destroy: nothing left. */
static void
test_lifecycle(void)
{
	char name[64], *etc;
	char *daemon[] = {"sh", "-c", "setsid sleep 60 & exec sleep 60", NULL};
	char *ip[] = {"ip", "-o", "addr", "show", "lo", NULL};
	char *v6off[] = {"sh", "-c",
	    "echo 1 >/proc/sys/net/ipv6/conf/lo/disable_ipv6", NULL};
	struct proc *p;
	struct buf out;
	struct stat st;
	pid_t *pids;
	size_t n;

	if (!is_root())
		return;
	snprintf(name, sizeof(name), "dsimt-unit-%ld", (long)getpid());
	CU_ASSERT_EQUAL_FATAL(netns_create(name, "127.0.0.1"), 0);
	CU_ASSERT_TRUE(netns_exists(name));
	etc = xasprintf("/etc/netns/%s/resolv.conf", name);
	CU_ASSERT_TRUE(file_has(etc, "nameserver 127.0.0.1\n"));
	CU_ASSERT_TRUE(
	    file_has(etc, "options trust-ad edns0 timeout:2 attempts:2\n"));

	/* Inside: only lo, up, with 127.0.0.1. */
	buf_init(&out);
	CU_ASSERT_EQUAL(proc_run("ip", name, ip, NULL, 5000, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf_cstr(&out), "127.0.0.1/8"));
	buf_free(&out);

	/* An MX host's IPv6 address: on lo at once (no DAD), even where
	 * IPv6 was off on the namespace's lo; not twice. */
	CU_ASSERT_EQUAL(proc_run("ipv6 off", name, v6off, NULL, 5000, NULL), 0);
	CU_ASSERT_EQUAL(netns_addr6_add(name, "fd00:da5e:25::1"), 0);
	buf_init(&out);
	CU_ASSERT_EQUAL(proc_run("ip", name, ip, NULL, 5000, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf_cstr(&out), "fd00:da5e:25::1/128"));
	CU_ASSERT_PTR_NULL(strstr(buf_cstr(&out), "tentative"));
	buf_free(&out);
	CU_ASSERT_EQUAL(netns_addr6_add(name, "fd00:da5e:25::1"), -1);
	CU_ASSERT_EQUAL(netns_addr6_add(name, "not-an-address"), -1);

	/* A process that escapes its group (setsid) is still found. */
	p = proc_spawn("daemon", name, daemon, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	usleep(300000);
	CU_ASSERT_EQUAL(netns_pids(name, &pids, &n), 0);
	CU_ASSERT(n >= 2);
	free(pids);

	CU_ASSERT_EQUAL(netns_destroy(name, 1000), 0);
	proc_poll(p);
	proc_stop(p, 100);
	proc_free(p);
	CU_ASSERT_FALSE(netns_exists(name));
	CU_ASSERT_NOT_EQUAL(stat(etc, &st), 0);
	CU_ASSERT_EQUAL(netns_pids(name, &pids, &n), -1);
	free(etc);
}

/* test_bad_names - names that are not plain words are refused. */
static void
test_bad_names(void)
{
	CU_ASSERT_EQUAL(netns_create("../etc", "127.0.0.1"), -1);
	CU_ASSERT_EQUAL(netns_create("", "127.0.0.1"), -1);
	CU_ASSERT_EQUAL(netns_etc_write("ok", "../passwd", "x"), -1);
	CU_ASSERT_EQUAL(netns_destroy("a/b", 0), -1);
}

/* test_reap_stale - a dead run's namespace goes, a live one stays. */
static void
test_reap_stale(void)
{
	char dead[64], live[64];
	char *sh[] = {"sh", "-c", "exit 0", NULL};
	pid_t pid;

	if (!is_root())
		return;
	/* A pid that surely ended: a child we reaped. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	CU_ASSERT_FATAL(pid > 0);
	waitpid(pid, NULL, 0);
	snprintf(dead, sizeof(dead), "%s%ld", NETNS_PREFIX, (long)pid);
	snprintf(live, sizeof(live), "%s%ld", NETNS_PREFIX, (long)getpid());
	(void)sh;
	CU_ASSERT_EQUAL_FATAL(netns_create(dead, "127.0.0.1"), 0);
	/*
	 * Not "returns >= 1": a danesim run started meanwhile on this
	 * machine reaps stale namespaces too and may have taken it first.
	 */
	netns_reap_stale();
	CU_ASSERT_FALSE(netns_exists(dead));
	/* Our own pid's namespace is never reaped (we are alive). */
	CU_ASSERT_EQUAL_FATAL(netns_create(live, "127.0.0.1"), 0);
	netns_reap_stale();
	CU_ASSERT_TRUE(netns_exists(live));
	CU_ASSERT_EQUAL(netns_destroy(live, 500), 0);
}

/* test_resolver_conf - the Unbound config says what the run needs. */
static void
test_resolver_conf(void)
{
	char dir[] = "/tmp/dsim-res-XXXXXX", *conf, *cmd;
	char *const *argv;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	conf = resolver_write_conf(
	    dir, "127.0.0.1", "/w/root.hints", "/w/trust-anchor.ds");
	CU_ASSERT_PTR_NOT_NULL_FATAL(conf);
	CU_ASSERT_TRUE(file_has(conf, "local-zone: \"test.\" nodefault"));
	CU_ASSERT_TRUE(
	    file_has(conf, "trust-anchor-file: \"/w/trust-anchor.ds\""));
	CU_ASSERT_TRUE(file_has(conf, "do-not-query-localhost: no"));
	argv = resolver_argv(conf);
	CU_ASSERT_STRING_EQUAL(argv[0], "unbound");
	CU_ASSERT_PTR_NULL(argv[4]);
	/* Quotes or newlines in a path could inject configuration. */
	CU_ASSERT_PTR_NULL(resolver_write_conf(
	    dir, "127.0.0.1", "/w/x\"\n\tchroot: \"/\"", "/w/ta"));
	free(conf);
	cmd = xasprintf("rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
}

/* test_probe_no_resolver - nothing listening: no usable answer. */
static void
test_probe_no_resolver(void)
{
	char name[64], err[256];

	if (!is_root())
		return;
	snprintf(name, sizeof(name), "dsimt-probe-%ld", (long)getpid());
	CU_ASSERT_EQUAL_FATAL(netns_create(name, "127.0.0.1"), 0);
	CU_ASSERT_EQUAL(
	    resolver_probe_once(name, "127.0.0.1", err, sizeof(err)), 2);
	CU_ASSERT_EQUAL(
	    resolver_probe(name, "127.0.0.1", 500, err, sizeof(err)), -1);
	CU_ASSERT(strlen(err) > 0);
	CU_ASSERT_EQUAL(netns_destroy(name, 500), 0);
}

static CU_TestInfo tests[] = {
    {"lifecycle", test_lifecycle},
    {"bad_names", test_bad_names},
    {"reap_stale", test_reap_stale},
    {"resolver_conf", test_resolver_conf},
    {"probe_no_resolver", test_probe_no_resolver},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("netns", NULL, NULL, tests);
