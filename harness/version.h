/*
 * version.h - danesim's release version, shared by --version and the
 * provenance of every report (provenance.h).
 */
#ifndef DSIM_VERSION_H
#define DSIM_VERSION_H

#define DANESIM_VERSION "0.1.0"

#endif /* DSIM_VERSION_H */
