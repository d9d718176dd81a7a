/*
 * netns.c - the run's network namespace and its /etc/netns files (see
 * netns.h). Creation and deletion go through iproute2 ("ip netns"), which
 * every Linux distribution ships and which owns the /run/netns mount
 * convention; finding and killing the processes inside is done here by
 * comparing /proc/PID/ns/net with the namespace's inode, as "ip netns
 * pids" does.
 */
#include "harness/run/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "proc.h"
#include "xmalloc.h"

#define NETNS_RUN_DIR "/run/netns"
#define NETNS_ETC_DIR "/etc/netns"
#define NETNS_CMD_MS 10000

/* ip_cmd - run "ip ARGS..." here; 0 on exit 0, else -1 (logged). */
static int
ip_cmd(const char *what, char *const argv[], int quiet)
{
	struct buf out;
	int rc;

	buf_init(&out);
	rc = proc_run(what, NULL, argv, NULL, NETNS_CMD_MS, &out);
	if (rc != 0 && !quiet)
		log_warnx("%s failed (exit %d): %s", what, rc, buf_cstr(&out));
	buf_free(&out);
	return rc == 0 ? 0 : -1;
}

/* valid_name - namespace names are ours: short, [A-Za-z0-9_.-]. */
static int
valid_name(const char *name)
{
	size_t i;

	if (name == NULL || name[0] == '\0' || name[0] == '.' ||
	    strlen(name) > 64)
		return 0;
	for (i = 0; name[i] != '\0'; i++)
		if (!(name[i] >= 'a' && name[i] <= 'z') &&
		    !(name[i] >= 'A' && name[i] <= 'Z') &&
		    !(name[i] >= '0' && name[i] <= '9') && name[i] != '-' &&
		    name[i] != '_' && name[i] != '.')
			return 0;
	return 1;
}

int
netns_exists(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	return stat(path, &st) == 0;
}

int
netns_etc_write(const char *name, const char *file, const char *content)
{
	char path[PATH_MAX];
	FILE *f;
	int rc = -1;

	if (!valid_name(name) || strchr(file, '/') != NULL) {
		log_errx("netns: bad name %s/%s", name, file);
		return -1;
	}
	if (mkdir(NETNS_ETC_DIR, 0755) < 0 && errno != EEXIST) {
		log_err("mkdir %s", NETNS_ETC_DIR);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", NETNS_ETC_DIR, name);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		log_err("mkdir %s", path);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", NETNS_ETC_DIR, name, file);
	f = fopen(path, "w");
	if (f == NULL) {
		log_err("%s", path);
		return -1;
	}
	if (fputs(content, f) != EOF)
		rc = 0;
	if (fclose(f) != 0 || rc != 0) {
		log_err("%s: write", path);
		rc = -1;
	}
	chmod(path, 0644);
	return rc;
}

/* rm_etc - remove /etc/netns/<name> and the files in it. */
static int
rm_etc(const char *name)
{
	char path[PATH_MAX], *fpath;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", NETNS_ETC_DIR, name);
	d = opendir(path);
	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		fpath = xasprintf("%s/%s", path, de->d_name);
		if (unlink(fpath) < 0 && errno != ENOENT) {
			log_err("unlink %s", fpath);
			rc = -1;
		}
		free(fpath);
	}
	closedir(d);
	if (rmdir(path) < 0 && errno != ENOENT) {
		log_err("rmdir %s", path);
		rc = -1;
	}
	/* Leave /etc/netns itself only if someone else uses it. */
	rmdir(NETNS_ETC_DIR);
	return rc;
}

#define NETNS_STR_(x) #x
#define NETNS_STR(x) NETNS_STR_(x)
#define NETNS_STUB_OPTIONS                                                     \
	"timeout:" NETNS_STR(NETNS_STUB_TIMEOUT_S) " attempts:" NETNS_STR(     \
	    NETNS_STUB_ATTEMPTS)

int
netns_create(const char *name, const char *resolver)
{
	char *add[] = {"ip", "netns", "add", (char *)name, NULL};
	char *up[] = {
	    "ip", "-n", (char *)name, "link", "set", "lo", "up", NULL};
	char *conf;
	int rc;

	if (!valid_name(name)) {
		log_errx("netns: bad namespace name '%s'", name);
		return -1;
	}
	if (ip_cmd("ip netns add", add, 0) < 0)
		return -1;
	if (ip_cmd("ip link set lo up", up, 0) < 0)
		goto fail;
	conf = xasprintf("# danesim run namespace %s\n"
	                 "nameserver %s\n"
	                 "options trust-ad edns0 " NETNS_STUB_OPTIONS "\n",
	    name, resolver);
	rc = netns_etc_write(name, "resolv.conf", conf);
	free(conf);
	if (rc < 0)
		goto fail;
	log_info("network namespace %s ready", name);
	return 0;
fail:
	netns_destroy(name, 0);
	return -1;
}

int
netns_addr6_add(const char *name, const char *addr)
{
	char *cidr = xasprintf("%s/128", addr);
	char *add[] = {"ip", "-n", (char *)name, "-6", "addr", "add", cidr,
	    "dev", "lo", "nodad", NULL};
	/* A new namespace takes disable_ipv6 from the host's defaults; the
	 * namespace's own lo is ours to switch on (its /proc/sys/net). A
	 * kernel without IPv6 has no such file: the add then fails. */
	char *on[] = {"sh", "-c",
	    "f=/proc/sys/net/ipv6/conf/lo/disable_ipv6; "
	    "[ ! -w $f ] || echo 0 >$f",
	    NULL};
	int rc;

	if (proc_run("enable IPv6 on lo", name, on, NULL, NETNS_CMD_MS, NULL) !=
	    0)
		log_warnx("netns %s: could not enable IPv6 on lo", name);
	rc = ip_cmd("ip -6 addr add", add, 0);
	free(cidr);
	return rc;
}

int
netns_pids(const char *name, pid_t **pids, size_t *n)
{
	char path[PATH_MAX];
	struct stat ns, st;
	struct dirent *de;
	DIR *d;
	pid_t *v = NULL;
	size_t cnt = 0, cap = 0;
	char *end, state;
	long pid;

	*pids = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	if (stat(path, &ns) < 0)
		return -1;
	d = opendir("/proc");
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &st) < 0)
			continue;
		if (st.st_ino != ns.st_ino || st.st_dev != ns.st_dev)
			continue;
		/* A zombie holds nothing; init reaps it in its own time. */
		if (proc_stat((pid_t)pid, &state, NULL) < 0 || state == 'Z' ||
		    state == 'X')
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[cnt++] = (pid_t)pid;
	}
	closedir(d);
	*pids = v;
	*n = cnt;
	return 0;
}

/* signal_all - send sig to every process inside name; how many. */
static size_t
signal_all(const char *name, int sig)
{
	pid_t *pids;
	size_t n, i;

	if (netns_pids(name, &pids, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
	return n;
}

int
netns_kill_all(const char *name, int grace_ms)
{
	long long end;
	size_t left;

	if (signal_all(name, SIGTERM) == 0)
		return 0;
	end = proc_now_ms() + grace_ms;
	while (proc_now_ms() < end) {
		usleep(20000);
		if (signal_all(name, 0) == 0)
			return 0;
	}
	/* Zombies of our own children count as inside until reaped; the
	 * caller reaps its children, others are reaped by init. */
	end = proc_now_ms() + 2000;
	do {
		left = signal_all(name, SIGKILL);
		if (left == 0)
			return 0;
		usleep(20000);
	} while (proc_now_ms() < end);
	return (int)left;
}

int
netns_destroy(const char *name, int grace_ms)
{
	char *del[] = {"ip", "netns", "delete", (char *)name, NULL};
	int rc = 0, left;

	if (!valid_name(name))
		return -1;
	if (netns_exists(name)) {
		left = netns_kill_all(name, grace_ms);
		if (left > 0) {
			log_warnx(
			    "netns %s: %d processes would not die", name, left);
			rc = -1;
		}
		if (ip_cmd("ip netns delete", del, 0) < 0)
			rc = -1;
	}
	if (rm_etc(name) < 0)
		rc = -1;
	if (rc == 0)
		log_info("network namespace %s removed", name);
	return rc;
}

/* stale_pid - the pid in "danesim-<pid>", or 0 if not that form. */
static pid_t
stale_pid(const char *name)
{
	size_t plen = strlen(NETNS_PREFIX);
	char *end;
	long pid;

	if (strncmp(name, NETNS_PREFIX, plen) != 0)
		return 0;
	pid = strtol(name + plen, &end, 10);
	if (*end != '\0' || pid <= 0 || end == name + plen)
		return 0;
	return (pid_t)pid;
}

/*
 * pid_alive - 1 if pid is a live danesim (not a zombie): a pid reused by
 * another program since does not keep a dead run's namespace alive.
 */
static int
pid_alive(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	int alive = 0, ours = 0;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	alive = 1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Name:", 5) == 0)
			ours = strstr(line, "danesim") != NULL;
		if (strncmp(line, "State:", 6) == 0 &&
		    strchr(line, 'Z') != NULL)
			alive = 0;
	}
	fclose(f);
	return alive && ours;
}

int
netns_reap_stale(void)
{
	const char *dirs[] = {NETNS_RUN_DIR, NETNS_ETC_DIR};
	struct dirent *de;
	DIR *d;
	char **names = NULL;
	size_t n = 0, i, k;
	int removed = 0;
	pid_t pid;

	for (k = 0; k < 2; k++) {
		d = opendir(dirs[k]);
		if (d == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			pid = stale_pid(de->d_name);
			if (pid == 0 || pid == getpid() || pid_alive(pid))
				continue;
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
		closedir(d);
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(names[k], names[i]) == 0)
				break;
		if (k == i) {
			log_warnx(
			    "removing %s, left by a run that died", names[i]);
			if (netns_destroy(names[i], 500) == 0)
				removed++;
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return removed;
}
