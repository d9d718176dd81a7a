/*
 * capture.c - live packet capture of a run with libpcap, inside the run's
 * network namespace.
 *
 * The capture runs in a forked child so that entering the namespace
 * (setns(2), CLONE_NEWNET) changes nothing for the harness itself. The
 * child reports over a pipe: "ok" once the handle is active and the dump
 * file open (capture_start() waits for it, so no packet of the run is
 * missed), or "error: <reason>"; at the end "stats <received> <dropped>".
 * Files are written in the classic pcap format (link type EN10MB for lo),
 * which every tool and our own analyser (pcapfacts.c) read.
 */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "log.h"
#include "xmalloc.h"

/*
 * Not 65535: lo's MTU is 65536, so a full-sized IPv4 packet plus its
 * 14-byte Ethernet header is 65549 bytes, and a 65535 snaplen would cut
 * the tail off every such frame (a gap in the stream). 262144 is
 * libpcap's maximum and holds any loopback frame whole.
 */
#define CAPTURE_SNAPLEN 262144
#define CAPTURE_BUFSIZE (32 * 1024 * 1024)
#define CAPTURE_START_TIMEOUT_MS 10000
#define CAPTURE_STOP_TIMEOUT_MS 5000

static volatile sig_atomic_t child_stop;
static unsigned long child_written;

/* on_term - SIGTERM in the child: finish the capture. */
static void
on_term(int sig)
{
	(void)sig;
	child_stop = 1;
}

/* dump_one - pcap callback: write one packet to the dump file, count it. */
static void
dump_one(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	pcap_dump(user, h, bytes);
	child_written++;
}

/* child_say - write one status line to the parent (best effort). */
static void
child_say(int fd, const char *fmt, ...)
{
	char line[PCAP_ERRBUF_SIZE + 256];
	va_list ap;
	int n;
	ssize_t w;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	do
		w = write(fd, line, (size_t)n);
	while (w < 0 && errno == EINTR);
}

/* valid_netns_name - a plain file name under /run/netns, nothing else. */
static int
valid_netns_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 200 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	return strchr(s, '/') == NULL;
}

/* child_main - enter the namespace, capture until SIGTERM; never returns. */
static void
child_main(const char *netns, const char *path, int fd, pid_t parent)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct sigaction sa;
	sigset_t none;
	struct pollfd pfd;
	struct pcap_stat st;
	pcap_dumper_t *d = NULL;
	pcap_t *p = NULL;
	char nspath[300];
	int nsfd, rc, sel;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	/* Ctrl-C goes to the whole process group: the harness decides. */
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (netns != NULL && netns[0] != '\0') {
		snprintf(nspath, sizeof(nspath), "/run/netns/%s", netns);
		nsfd = open(nspath, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0) {
			child_say(fd, "error: network namespace %s: %s", nspath,
			    strerror(errno));
			_exit(1);
		}
		if (setns(nsfd, CLONE_NEWNET) < 0) {
			child_say(fd,
			    "error: cannot enter network namespace "
			    "%s: %s",
			    netns, strerror(errno));
			_exit(1);
		}
		close(nsfd);
	}

	errbuf[0] = '\0';
	p = pcap_create("lo", errbuf);
	if (p == NULL) {
		child_say(fd, "error: pcap_create(lo): %s", errbuf);
		_exit(1);
	}
	pcap_set_snaplen(p, CAPTURE_SNAPLEN);
	pcap_set_promisc(p, 0);
	pcap_set_immediate_mode(p, 1);
	pcap_set_buffer_size(p, CAPTURE_BUFSIZE);
	pcap_set_timeout(p, 100);
	rc = pcap_activate(p);
	if (rc < 0) {
		child_say(fd, "error: cannot capture on lo: %s%s",
		    pcap_statustostr(rc),
		    rc == PCAP_ERROR_PERM_DENIED
		        ? " (needs root or CAP_NET_RAW)"
		        : "");
		_exit(1);
	}
	if (pcap_setnonblock(p, 1, errbuf) < 0) {
		child_say(fd, "error: pcap_setnonblock: %s", errbuf);
		_exit(1);
	}
	sel = pcap_get_selectable_fd(p);
	if (sel < 0) {
		child_say(fd, "error: lo has no selectable descriptor");
		_exit(1);
	}
	d = pcap_dump_open(p, path);
	if (d == NULL) {
		child_say(fd, "error: %s", pcap_geterr(p));
		_exit(1);
	}
	child_say(fd, "ok");

	pfd.fd = sel;
	pfd.events = POLLIN;
	while (!child_stop) {
		rc = poll(&pfd, 1, 200);
		if (rc < 0 && errno != EINTR)
			break;
		if (pcap_dispatch(p, -1, dump_one, (u_char *)d) < 0)
			break;
		pcap_dump_flush(d);
	}
	/* Drain what the kernel still holds for us. */
	while (pcap_dispatch(p, -1, dump_one, (u_char *)d) > 0)
		;
	pcap_dump_flush(d);
	if (pcap_stats(p, &st) < 0)
		st.ps_drop = 0;
	child_say(
	    fd, "stats %lu %lu", child_written, (unsigned long)st.ps_drop);
	pcap_dump_close(d);
	pcap_close(p);
	_exit(0);
}

/* now_ms - monotonic milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * read_line - read one status line from fd into line (size n) within
 * timeout_ms. Returns the length, 0 on end of file, -1 on timeout/error.
 */
static int
read_line(int fd, char *line, size_t n, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd;
	size_t len = 0;
	ssize_t r;
	char c;
	int left;

	pfd.fd = fd;
	pfd.events = POLLIN;
	while (len + 1 < n) {
		left = (int)(deadline - now_ms());
		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, left) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		if (c == '\n')
			break;
		line[len++] = c;
	}
	line[len] = '\0';
	return (int)len;
}

/* reap - wait for pid up to timeout_ms, then SIGKILL it; *status set. */
static int
reap(pid_t pid, int timeout_ms, int *status)
{
	long long deadline = now_ms() + timeout_ms;
	struct timespec ts = {0, 20 * 1000 * 1000};
	pid_t r;

	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() >= deadline)
			break;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return -1;
}

struct capture *
capture_start(const char *netns, const char *path, char *err, size_t errsz)
{
	struct capture *c;
	char line[PCAP_ERRBUF_SIZE + 256];
	int fds[2], status, n;
	pid_t pid, parent;

	if (errsz > 0)
		err[0] = '\0';
	if (path == NULL || path[0] == '\0') {
		snprintf(err, errsz, "capture: no output file given");
		return NULL;
	}
	if (netns != NULL && netns[0] != '\0' && !valid_netns_name(netns)) {
		snprintf(err, errsz,
		    "capture: bad network namespace name "
		    "\"%s\"",
		    netns);
		return NULL;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, errsz, "capture: pipe: %s", strerror(errno));
		return NULL;
	}
	parent = getpid();
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errsz, "capture: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(netns, path, fds[1], parent);
	}
	close(fds[1]);

	n = read_line(fds[0], line, sizeof(line), CAPTURE_START_TIMEOUT_MS);
	if (n <= 0 || strcmp(line, "ok") != 0) {
		if (n > 0 && strncmp(line, "error: ", 7) == 0)
			snprintf(err, errsz, "capture: %s", line + 7);
		else if (n < 0)
			snprintf(err, errsz,
			    "capture: the capture process did "
			    "not start within %d s",
			    CAPTURE_START_TIMEOUT_MS / 1000);
		else
			snprintf(err, errsz,
			    "capture: the capture process "
			    "ended without a reason");
		kill(pid, SIGTERM);
		reap(pid, 1000, &status);
		close(fds[0]);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->pid = pid;
	c->status_fd = fds[0];
	c->path = xstrdup(path);
	c->netns = netns != NULL && netns[0] != '\0' ? xstrdup(netns) : NULL;
	log_debug("capture: pid %ld writing %s", (long)pid, path);
	return c;
}

int
capture_stop_counts(
    struct capture *c, unsigned long *received, unsigned long *dropped)
{
	char line[256];
	unsigned long rcv = 0, drop = 0;
	int status = 0, rc = 0, n;

	if (received != NULL)
		*received = 0;
	if (dropped != NULL)
		*dropped = 0;
	if (c == NULL)
		return 0;
	if (kill(c->pid, SIGTERM) < 0 && errno != ESRCH)
		log_warn("capture: kill %ld", (long)c->pid);
	/* The stats line comes last, then end of file as the child exits. */
	while ((n = read_line(c->status_fd, line, sizeof(line),
	            CAPTURE_STOP_TIMEOUT_MS)) > 0) {
		if (sscanf(line, "stats %lu %lu", &rcv, &drop) == 2)
			break;
	}
	if (reap(c->pid, CAPTURE_STOP_TIMEOUT_MS, &status) < 0) {
		log_warnx("capture: the capture process did not stop; killed "
		          "(%s may lack its last packets)",
		    c->path);
		rc = -1;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_warnx(
		    "capture: the capture process failed (status %d)", status);
		rc = -1;
	}
	c->received = rcv;
	c->dropped = drop;
	log_info("capture: %lu packets in %s", rcv, c->path);
	if (drop > 0)
		log_warnx("capture: the kernel dropped %lu packets; the "
		          "capture is incomplete",
		    drop);
	if (received != NULL)
		*received = rcv;
	if (dropped != NULL)
		*dropped = drop;
	close(c->status_fd);
	free(c->path);
	free(c->netns);
	free(c);
	return rc;
}

int
capture_stop(struct capture *c)
{
	return capture_stop_counts(c, NULL, NULL);
}
