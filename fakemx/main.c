/*
 * main.c - fakemx: a scripted SMTP server (RFC 5321, RFC 3207 STARTTLS)
 * that plays honest and hostile MX hosts for danesim, as configured by
 * fakemx.json (docs/internals.md).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "log.h"
#include "mx_conf.h"
#include "mx_server.h"
#include "version.h"

static volatile sig_atomic_t stop_flag;

/* on_signal - ask the loop to stop. */
static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* usage - the help text, to fp. */
static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: fakemx -c fakemx.json [-v] [-q] [-t seconds]\n"
	    "\n"
	    "A scripted MX for danesim: listens on every listener of the\n"
	    "configuration and answers SMTP as each listener's behaviour says\n"
	    "(STARTTLS offered, stripped, refused, sabotaged; certificates by\n"
	    "SNI; delays; replies). Logs events to the configuration's "
	    "\"log\"\n"
	    "(JSON lines), TLS secrets to \"keylog\" (NSS format) and stores\n"
	    "accepted messages in \"maildir\".\n"
	    "\n"
	    "  -c FILE     configuration (fakemx.json; see docs/internals.md)\n"
	    "  -t SECONDS  idle time-out of a connection (default 60)\n"
	    "  -v          verbose (debug) logging to stderr\n"
	    "  -q          errors only\n"
	    "  -h, --help  this text\n"
	    "  --version   print the version\n"
	    "\n"
	    "Exit status: 0 stopped by SIGTERM/SIGINT, 2 configuration or\n"
	    "start-up error, 1 failure while running.\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"config", required_argument, NULL, 'c'},
	    {NULL, 0, NULL, 0},
	};
	const char *conf_path = NULL;
	struct mx_conf *conf;
	struct mx_server *srv;
	struct sigaction sa;
	struct rlimit rl;
	sigset_t block, runmask;
	char err[512], *end;
	long idle = 60;
	int ch, rc;

	log_init("fakemx", LOG_LVL_INFO);
	while (
	    (ch = getopt_long(argc, argv, "c:t:vqh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 't':
			idle = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || idle < 1 ||
			    idle > 86400)
				fatalx("-t: not a number of seconds in "
				       "1..86400: %s",
				    optarg);
			break;
		case 'v':
			log_set_level(LOG_LVL_DEBUG);
			break;
		case 'q':
			log_set_level(LOG_LVL_ERROR);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("fakemx (danesim) %s\n", DANESIM_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(
		    stderr, "fakemx: unexpected argument: %s\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (conf_path == NULL) {
		fprintf(stderr, "fakemx: -c fakemx.json is required\n");
		usage(stderr);
		return 2;
	}
	conf = mx_conf_load(conf_path, err, sizeof(err));
	if (conf == NULL)
		fatalx("%s", err);
	if (conf->maildir != NULL && mkdir(conf->maildir, 0755) < 0 &&
	    errno != EEXIST)
		fatal("maildir %s", conf->maildir);

	/* Hundreds of listeners and their clients need descriptors. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &runmask);
	sigdelset(&runmask, SIGTERM);
	sigdelset(&runmask, SIGINT);

	srv = mx_server_new(conf, idle * 1000);
	if (srv == NULL) {
		mx_conf_free(conf);
		fatalx("%s: cannot start (see above)", conf_path);
	}
	rc = mx_server_run(srv, &stop_flag, &runmask) == 0 ? 0 : 1;
	mx_server_free(srv);
	mx_conf_free(conf);
	return rc;
}
