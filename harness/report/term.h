/*
 * term.h - whether the terminal output (the summary table of analyse,
 * run and compare, lint's messages) is coloured: --color/--no-color,
 * NO_COLOR, TERM=dumb, a terminal or not.
 */
#ifndef DSIM_TERM_H
#define DSIM_TERM_H

/*
 * term_colour - whether to colour output on fd: force 1 always, 2 never;
 * 0 decides: not when NO_COLOR is set and not empty, not when TERM is
 * "dumb", else when fd is a terminal.
 */
int term_colour(int force, int fd);

#endif /* DSIM_TERM_H */
