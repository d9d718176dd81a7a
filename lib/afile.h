/*
 * afile.h - a file replaced as a whole: written to PATH.tmp and renamed
 * over PATH, so a reader in another process sees the old file or the
 * new one, never half of one (the attempt state file the fakes read,
 * refsut's state folder).
 */
#ifndef DSIM_AFILE_H
#define DSIM_AFILE_H

#include <stdio.h>

/* One file being replaced. */
struct afile {
	FILE *f;    /* write here */
	char *path; /* owned */
	char *tmp;  /* owned: PATH.tmp */
};

/*
 * afile_open - start replacing path: a->f is PATH.tmp opened for
 * writing. Returns 0, or -1 (logged, errno kept; nothing to release).
 */
int afile_open(struct afile *a, const char *path);

/*
 * afile_commit - flush and close a->f and rename PATH.tmp over PATH;
 * on any failure PATH.tmp is removed and PATH left as it was. Releases
 * a. Returns 0, or -1 (logged, errno kept).
 */
int afile_commit(struct afile *a);

#endif /* DSIM_AFILE_H */
