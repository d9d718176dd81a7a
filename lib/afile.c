/*
 * afile.c - a file replaced as a whole by rename (afile.h).
 */
#include "afile.h"

#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

int
afile_open(struct afile *a, const char *path)
{
	a->path = xstrdup(path);
	a->tmp = xasprintf("%s.tmp", path);
	if ((a->f = fopen(a->tmp, "we")) == NULL) {
		log_warn("%s", a->tmp);
		free(a->path);
		free(a->tmp);
		return -1;
	}
	return 0;
}

int
afile_commit(struct afile *a)
{
	int rc = 0;

	if (fflush(a->f) != 0 || ferror(a->f)) {
		log_warn("%s", a->tmp);
		rc = -1;
	}
	if (fclose(a->f) != 0 && rc == 0) {
		log_warn("%s", a->tmp);
		rc = -1;
	}
	if (rc == 0 && rename(a->tmp, a->path) != 0) {
		log_warn("rename %s", a->tmp);
		rc = -1;
	}
	if (rc != 0)
		unlink(a->tmp);
	free(a->path);
	free(a->tmp);
	a->f = NULL;
	return rc;
}
