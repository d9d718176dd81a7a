/*
 * version.h - danesim's version, printed by every program's --version
 * (danesim, fakedns, fakemx) and kept equal to debian/changelog's.
 */
#ifndef DSIM_VERSION_H
#define DSIM_VERSION_H

#define DANESIM_VERSION "0.1.0"

#endif /* DSIM_VERSION_H */
