/*
 * capture.h - live packet capture of a run: every packet on the loopback
 * interface of the run's network namespace, written to a pcap file.
 *
 * A forked child ("dsim-capture") enters the namespace (setns on
 * /run/netns/<name>), opens "lo" with libpcap (a TPACKET_V3 ring of
 * 64 MB, not immediate mode: capture.c says why; snaplen 262144, so that
 * lo's 65549-byte frames are kept whole) and dumps every packet to the
 * file until capture_stop() sends it SIGTERM; it then drains what the
 * kernel still holds and reports libpcap's counters.
 * The child dies with its parent (PR_SET_PDEATHSIG), so a crashed harness
 * leaves no capture process behind.
 */
#ifndef DSIM_CAPTURE_H
#define DSIM_CAPTURE_H

#include <stddef.h>
#include <sys/types.h>

/* A running capture; owned by the caller until capture_stop(). */
struct capture {
	pid_t pid;              /* the capturing child */
	int status_fd;          /* read end of the child's status pipe */
	char *path;             /* the pcap file being written */
	char *netns;            /* namespace name, or NULL (current one) */
	unsigned long received; /* packets written (set by capture_stop) */
	unsigned long dropped;  /* kernel drops (set by capture_stop) */
};

/*
 * capture_start - start capturing on "lo" of network namespace netns
 * (a name under /run/netns; NULL or "" = the caller's own namespace) into
 * path (created or truncated). Returns only once the capture is active, so
 * no packet sent afterwards is missed. Returns a new capture, or NULL with
 * the reason in err (errsz bytes; e.g. no privilege, no such namespace,
 * file not writable). Not logged.
 */
struct capture *capture_start(
    const char *netns, const char *path, char *err, size_t errsz);

/*
 * capture_stop - stop the capture (SIGTERM), wait for the child to flush
 * and close the file, and free c. The packet counts are logged at info
 * level; kernel drops are a warning. Returns 0 if the capture ended
 * cleanly, -1 if the child failed or had to be killed (logged). NULL is
 * fine (returns 0).
 */
int capture_stop(struct capture *c);

/* What the capture process counted (pcap_stats(3PCAP) and its own). */
struct capture_stats {
	int known;               /* 0: the process gave no counts */
	unsigned long written;   /* packets written to the file */
	unsigned long ps_recv;   /* pcap_stats ps_recv */
	unsigned long ps_drop;   /* ps_drop: the kernel had no room */
	unsigned long ps_ifdrop; /* ps_ifdrop: dropped by the interface */
};

/*
 * capture_stop_stats - as capture_stop, and also fill *st (may be NULL;
 * zeroed with known = 0 when the counts are unknown). Drops are logged
 * as a warning.
 */
int capture_stop_stats(struct capture *c, struct capture_stats *st);

/*
 * capture_stop_counts - as capture_stop, and also return the packets
 * written and dropped by the kernel in *received and *dropped (either
 * pointer may be NULL; both 0 if unknown).
 */
int capture_stop_counts(
    struct capture *c, unsigned long *received, unsigned long *dropped);

#endif /* DSIM_CAPTURE_H */
