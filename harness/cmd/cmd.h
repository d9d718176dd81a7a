/*
 * cmd.h - the danesim subcommands. Each takes the arguments after its
 * name (argv[0] is the subcommand) and returns the process exit status:
 * 0 all passed, 1 a check failed, 2 usage or setup error, 3 only
 * inconclusive results kept the run from passing.
 */
#ifndef DSIM_CMD_H
#define DSIM_CMD_H

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_analyse(int argc, char **argv);
int cmd_world(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_verify(int argc, char **argv);

#endif /* DSIM_CMD_H */
