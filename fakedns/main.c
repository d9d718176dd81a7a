/*
 * main.c - fakedns: a DNSSEC authoritative server that breaks on purpose.
 *
 *   fakedns -c fakedns.json [-p PORT] [-v] [-f]
 *
 * Loads the world of fakedns.json (docs/internals.md), binds UDP and TCP
 * on every zone address and serves until SIGTERM or SIGINT. It stays in
 * the foreground (the harness supervises it) and writes nothing but its
 * query log and stderr. Exit 0 when stopped by a signal, 2 on a
 * configuration or start-up error, 1 on a fatal error while serving.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "dnsbreak.h"
#include "dns_server.h"
#include "dns_world.h"
#include "log.h"
#include "version.h"

static volatile sig_atomic_t stop_flag;

/* on_signal - ask the loop to stop. */
static void
on_signal(int sig)
{
	stop_flag = sig;
}

/* usage - the --help text on fp. */
static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: fakedns -c FAKEDNS.JSON [-p PORT] [-v] [-f]\n"
	    "\n"
	    "Authoritative DNS server for danesim: serves the (signed) zones\n"
	    "named in FAKEDNS.JSON on UDP and TCP at each zone's address, and\n"
	    "applies the configured faults:\n"
	    "  %s.\n"
	    "\n"
	    "  -c FILE   configuration (docs/internals.md, \"fakedns.json\")\n"
	    "  -p PORT   port to listen on (default 53)\n"
	    "  -v        more messages on stderr (twice: debugging)\n"
	    "  -f        also copy each query-log line to stderr\n"
	    "  -h        this text;  --version  print the version\n"
	    "\n"
	    "Stops cleanly on SIGTERM or SIGINT. Exit status 2 on a\n"
	    "configuration error.\n",
	    dnsbreak_list(1));
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"config", required_argument, NULL, 'c'},
	    {"port", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	const char *conf = NULL;
	struct dns_world *w;
	struct dns_server *s;
	struct sigaction sa;
	struct rlimit rl;
	FILE *qlog = NULL;
	char err[2048], *end;
	int ch, port = 53, verbose = 0, echo = 0, rc;
	long v;

	log_init("fakedns", LOG_LVL_WARN);
	while ((ch = getopt_long(argc, argv, "c:p:vfh", longopts, NULL)) != -1)
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'p':
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 1 ||
			    v > 65535)
				fatalx("-p %s: not a port number", optarg);
			port = (int)v;
			break;
		case 'v':
			verbose++;
			break;
		case 'f':
			echo = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("fakedns (danesim) %s\n", DANESIM_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	if (conf == NULL || optind != argc) {
		usage(stderr);
		return 2;
	}
	log_set_level(verbose >= 2   ? LOG_LVL_DEBUG
	              : verbose == 1 ? LOG_LVL_INFO
	                             : LOG_LVL_WARN);
	if ((w = dns_world_load(conf, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	if (w->log != NULL && (qlog = fopen(w->log, "a")) == NULL)
		fatal("%s: query log %s", conf, w->log);
	/* two sockets per address plus the TCP connections */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((s = dns_server_new(w, port, qlog, echo)) == NULL) {
		if (qlog != NULL)
			fclose(qlog);
		dns_world_free(w);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_info("serving %zu zones on %zu addresses, port %d, %zu faults",
	    w->nzones, w->naddrs, port, w->nfaults);
	rc = dns_server_run(s, &stop_flag);
	if (rc == 0)
		log_info("stopped by signal %d", (int)stop_flag);
	dns_server_free(s);
	if (qlog != NULL)
		fclose(qlog);
	dns_world_free(w);
	return rc == 0 ? 0 : 1;
}
