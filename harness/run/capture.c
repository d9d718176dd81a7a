/*
 * capture.c - live packet capture of a run with libpcap, inside the run's
 * network namespace.
 *
 * The capture runs in a forked child so that entering the namespace
 * (setns(2), CLONE_NEWNET) changes nothing for the harness itself. The
 * child reports over a pipe: "ok" once the handle is active and the dump
 * file open (capture_start() waits for it, so no packet of the run is
 * missed), or "error: <reason>"; at the end "stats <written> <ps_recv>
 * <ps_drop> <ps_ifdrop>". Files are written in the classic pcap format
 * (link type EN10MB for lo), which every tool and our own analyser
 * (pcapfacts.c) read.
 *
 * Why not immediate mode: libpcap's immediate mode uses a TPACKET_V2 ring
 * of fixed-size slots, one per packet, each as large as the biggest frame
 * lo can carry (lo has segmentation offload, so about 64 KB, rounded up
 * to a 128 KB block). A 32 MB buffer then holds 256 packets, 64 MB 511,
 * whatever their size. Measured (a reader that sleeps while 5000 small
 * UDP packets and their ICMP replies pass): 256 kept, the rest counted
 * in pcap_stats' ps_drop. On a 2-core machine where Postfix, fakemx,
 * Unbound and fakedns all want the CPU, the capture child easily sleeps
 * through 256 packets: 500 scenarios against Postfix lost 882 packets
 * (ps_drop), leaving 29 connections with gaps and 5 that looked as if
 * their TLS handshake never completed, and 16 expectations inconclusive.
 * Without immediate mode libpcap uses TPACKET_V3, whose blocks hold
 * packets back to back at their real size: the same test keeps 95,700
 * packets in 64 MB. Latency does not matter here (the file is read after
 * the run); a block is handed over when full or after CAPTURE_BLOCK_MS,
 * and the child drains the last one when told to stop.
 */
#include "harness/run/capture.h"

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
#define CAPTURE_BUFSIZE (64 * 1024 * 1024)
#define CAPTURE_BLOCK_MS 50
/* After SIGTERM: read until this long passes without a packet (more than
 * CAPTURE_BLOCK_MS, so the kernel has handed over its last block), but
 * no longer than CAPTURE_DRAIN_MAX_MS in all. */
#define CAPTURE_DRAIN_QUIET_MS (4 * CAPTURE_BLOCK_MS)
#define CAPTURE_DRAIN_MAX_MS 2000
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

/* now_ms - monotonic milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
	long long start, quiet;
	int nsfd, rc, sel;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* "dsim-capture" in ps and in the benchmarks' memory figures. */
	prctl(PR_SET_NAME, "dsim-capture");
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
	/* TPACKET_V3, not immediate mode: see the top of this file. */
	pcap_set_immediate_mode(p, 0);
	pcap_set_buffer_size(p, CAPTURE_BUFSIZE);
	pcap_set_timeout(p, CAPTURE_BLOCK_MS);
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
	/*
	 * Drain: the kernel hands over a partly filled block only after
	 * CAPTURE_BLOCK_MS, so keep reading until a quiet spell longer than
	 * that (the run's servers are stopped by now).
	 */
	start = quiet = now_ms();
	while (now_ms() - quiet < CAPTURE_DRAIN_QUIET_MS &&
	       now_ms() - start < CAPTURE_DRAIN_MAX_MS) {
		rc = poll(&pfd, 1, CAPTURE_BLOCK_MS);
		if (rc < 0 && errno != EINTR)
			break;
		rc = pcap_dispatch(p, -1, dump_one, (u_char *)d);
		if (rc < 0)
			break;
		if (rc > 0)
			quiet = now_ms();
	}
	pcap_dump_flush(d);
	memset(&st, 0, sizeof(st));
	if (pcap_stats(p, &st) < 0)
		memset(&st, 0, sizeof(st));
	child_say(fd, "stats %lu %lu %lu %lu", child_written,
	    (unsigned long)st.ps_recv, (unsigned long)st.ps_drop,
	    (unsigned long)st.ps_ifdrop);
	pcap_dump_close(d);
	pcap_close(p);
	_exit(0);
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
capture_stop_stats(struct capture *c, struct capture_stats *st)
{
	struct capture_stats got;
	char line[256];
	int status = 0, rc = 0, n;

	memset(&got, 0, sizeof(got));
	if (st != NULL)
		*st = got;
	if (c == NULL)
		return 0;
	if (kill(c->pid, SIGTERM) < 0 && errno != ESRCH)
		log_warn("capture: kill %ld", (long)c->pid);
	/* The stats line comes last, then end of file as the child exits. */
	while ((n = read_line(c->status_fd, line, sizeof(line),
	            CAPTURE_STOP_TIMEOUT_MS)) > 0) {
		if (sscanf(line, "stats %lu %lu %lu %lu", &got.written,
		        &got.ps_recv, &got.ps_drop, &got.ps_ifdrop) == 4) {
			got.known = 1;
			break;
		}
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
	c->received = got.written;
	c->dropped = got.ps_drop;
	if (got.known)
		log_info("capture: %lu packets in %s (pcap_stats: received "
		         "%lu, dropped %lu, dropped by the interface %lu)",
		    got.written, c->path, got.ps_recv, got.ps_drop,
		    got.ps_ifdrop);
	else
		log_warnx("capture: no packet counts from the capture process "
		          "(%s)",
		    c->path);
	if (got.ps_drop > 0 || got.ps_ifdrop > 0)
		log_warnx("capture: %lu packets dropped (kernel %lu, "
		          "interface %lu); the capture is incomplete",
		    got.ps_drop + got.ps_ifdrop, got.ps_drop, got.ps_ifdrop);
	if (st != NULL)
		*st = got;
	close(c->status_fd);
	free(c->path);
	free(c->netns);
	free(c);
	return rc;
}

int
capture_stop_counts(
    struct capture *c, unsigned long *received, unsigned long *dropped)
{
	struct capture_stats st;
	int rc = capture_stop_stats(c, &st);

	if (received != NULL)
		*received = st.written;
	if (dropped != NULL)
		*dropped = st.ps_drop;
	return rc;
}

int
capture_stop(struct capture *c)
{
	return capture_stop_counts(c, NULL, NULL);
}
