/*
 * nsenter.c - entering a named network namespace from a process: its
 * network only (nsenter_net), or everything "ip netns exec" sets up before
 * it execs a command (nsenter_switch). Below the harness's namespace
 * management (harness/run/netns.c) and lib/proc.c's children.
 */

#include "nsenter.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "log.h"

#define NSENTER_RUN_DIR "/run/netns"
#define NSENTER_ETC_DIR "/etc/netns"

int
nsenter_net(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", NSENTER_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_err("%s", path);
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		log_err("setns %s", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* bind_etc - bind-mount each file of /etc/netns/<name>/ over /etc/. */
static int
bind_etc(const char *name)
{
	char dir[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/%s", NSENTER_ETC_DIR, name);
	if ((d = opendir(dir)) == NULL)
		return 0; /* nothing to mount */
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(from, sizeof(from), "%s/%s", dir,
		        de->d_name) >= sizeof(from) ||
		    (size_t)snprintf(to, sizeof(to), "/etc/%s", de->d_name) >=
		        sizeof(to)) {
			log_warnx("%s/%s: name too long", dir, de->d_name);
			rc = -1;
			continue;
		}
		if (mount(from, to, "none", MS_BIND, NULL) < 0) {
			log_err("bind %s over %s", from, to);
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

int
nsenter_switch(const char *name)
{
	struct statvfs sv;
	unsigned long flags = 0;

	if (nsenter_net(name) < 0)
		return -1;
	if (unshare(CLONE_NEWNS) < 0) {
		log_err("unshare(CLONE_NEWNS)");
		return -1;
	}
	/* No mount of ours may propagate back to the host. */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0) {
		log_err("mount --make-rslave /");
		return -1;
	}
	/* A /sys that shows the namespace's interfaces, not the host's. */
	if (umount2("/sys", MNT_DETACH) < 0 && statvfs("/sys", &sv) == 0 &&
	    (sv.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	if (mount(name, "/sys", "sysfs", flags, NULL) < 0) {
		log_err("mount sysfs on /sys");
		return -1;
	}
	return bind_etc(name);
}
