/*
 * nsenter.h - enter a named network namespace (one made by "ip netns add"
 * or harness/run/netns.c: /run/netns/<name>, its files in
 * /etc/netns/<name>/) from the calling process.
 */

#ifndef DSIM_NSENTER_H
#define DSIM_NSENTER_H

/*
 * nsenter_net - move the calling process (meant for a forked child) into
 * namespace name's network (setns). Returns 0 or -1 (logged).
 */
int nsenter_net(const char *name);

/*
 * nsenter_switch - in a forked child about to exec: what "ip netns exec
 * name" does before it execs its command (iproute2's nsenter_switch): the
 * namespace's network, a private mount namespace (nothing propagates
 * back), a /sys of the namespace, and each /etc/netns/<name>/ file
 * bind-mounted over /etc. Done here it saves an exec of ip per child
 * (hundreds of SUT steps in a large run). Returns 0 or -1 (logged).
 */
int nsenter_switch(const char *name);

#endif /* DSIM_NSENTER_H */
