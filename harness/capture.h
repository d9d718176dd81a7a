/*
 * capture.h - live packet capture of a run: every packet on the loopback
 * interface of the run's network namespace, written to a pcap file.
 *
 * A forked child enters the namespace (setns on /run/netns/<name>), opens
 * "lo" with libpcap (immediate mode; snaplen 262144, so that lo's
 * 65549-byte frames are kept whole) and dumps every packet to the file,
 * flushing it after each batch, until capture_stop() sends it SIGTERM.
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

/*
 * capture_stop_counts - as capture_stop, and also return the packets
 * written and dropped by the kernel in *received and *dropped (either
 * pointer may be NULL; both 0 if unknown).
 */
int capture_stop_counts(
    struct capture *c, unsigned long *received, unsigned long *dropped);

#endif /* DSIM_CAPTURE_H */
