/*
 * afile.c - a file replaced as a whole by rename (afile.h).
 */
#include "afile.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

int
afile_open(struct afile *a, const char *path)
{
	int e;

	a->path = xstrdup(path);
	a->tmp = xasprintf("%s.tmp", path);
	if ((a->f = fopen(a->tmp, "we")) == NULL) {
		e = errno;
		log_warn("%s", a->tmp);
		free(a->path);
		free(a->tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int
afile_commit(struct afile *a)
{
	int rc = 0, e = 0;

	if (fflush(a->f) != 0 || ferror(a->f)) {
		e = errno ? errno : EIO;
		log_warn("%s", a->tmp);
		rc = -1;
	}
	if (fclose(a->f) != 0 && rc == 0) {
		e = errno;
		log_warn("%s", a->tmp);
		rc = -1;
	}
	if (rc == 0 && rename(a->tmp, a->path) != 0) {
		e = errno;
		log_warn("rename %s to %s", a->tmp, a->path);
		rc = -1;
	}
	if (rc != 0)
		unlink(a->tmp);
	free(a->path);
	free(a->tmp);
	a->f = NULL;
	if (rc != 0)
		errno = e;
	return rc;
}
