/*
 * cli.h - what every danesim subcommand's command line shares: the
 * message for an option getopt_long rejected (whether to colour the
 * terminal output is harness/report/term.h).
 *
 * Subcommands parse with getopt_long and an optstring starting with ':'
 * (after a '+' if they stop at the first operand), so "--opt=value" and
 * "--opt value" both work and a missing value is told apart from an
 * unknown option. They start with optind = 0: glibc then initialises
 * getopt afresh (with optind = 1 it would keep the '+' of main()'s own
 * parse and stop at the first operand).
 */
#ifndef DSIM_CLI_H
#define DSIM_CLI_H

#include <getopt.h>

/*
 * cli_bad_option - after getopt_long returned ch (':' or '?') for argv:
 * print "danesim CMD: --opt needs a value", "--opt takes no value" or
 * "unknown option 'X'" and "see 'danesim CMD --help'" on stderr. cmd
 * NULL means the top-level command. The caller returns 2.
 */
void cli_bad_option(
    const char *cmd, int ch, char **argv, const struct option *lopts);

#endif /* DSIM_CLI_H */
