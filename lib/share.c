/*
 * share.c - find danesim's data (suite, SUT profiles, catalogue) and its
 * helper programs, in a source tree or an installed layout (share.h).
 */
#include "share.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmalloc.h"

#ifndef DANESIM_SHAREDIR
#define DANESIM_SHAREDIR "/usr/local/share/danesim"
#endif
#ifndef DANESIM_LIBEXECDIR
#define DANESIM_LIBEXECDIR "/usr/local/libexec/danesim"
#endif

/* Names whose place differs between the source tree and the share folder. */
static const struct {
	const char *share; /* installed layout */
	const char *src;   /* source tree */
} renames[] = {
    {"sut", "harness/sut"},
};

/* exe_dir - the running binary's folder (new string), or NULL. */
static char *
exe_dir(void)
{
	char exe[PATH_MAX], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(exe[0] != '\0' ? exe : "/");
}

/* is_dir - 1 if path is a folder. */
static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * source_root - the source tree the binary runs from (its folder's parent,
 * or grandparent for build/asan), recognised by scenarios/ and
 * harness/sut/; NULL when installed. "." when dot and the tree is the
 * current folder (so messages and generated files name relative paths),
 * else absolute. New string.
 */
static char *
source_root(int dot)
{
	static const char *up[] = {"..", "../.."};
	char *dir = exe_dir(), *root, *a, *b, *real, *cwd;
	size_t i;

	if (dir == NULL)
		return NULL;
	for (i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		root = xasprintf("%s/%s", dir, up[i]);
		a = xasprintf("%s/scenarios", root);
		b = xasprintf("%s/harness/sut", root);
		if (is_dir(a) && is_dir(b)) {
			free(a);
			free(b);
			free(dir);
			real = realpath(root, NULL);
			if (real == NULL)
				return root;
			free(root);
			cwd = dot ? getcwd(NULL, 0) : NULL;
			if (cwd != NULL && strcmp(cwd, real) == 0) {
				free(real);
				real = xstrdup(".");
			}
			free(cwd);
			return real;
		}
		free(a);
		free(b);
		free(root);
	}
	free(dir);
	return NULL;
}

/* join - root/a b, or a b alone when root is "." (new string). */
static char *
join(const char *root, const char *a, const char *b)
{
	if (strcmp(root, ".") == 0)
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s%s", root, a, b);
}

char *
share_dir(void)
{
	const char *env = getenv("DANESIM_SHARE");
	char *root;

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	root = source_root(0);
	return root != NULL ? root : xstrdup(DANESIM_SHAREDIR);
}

char *
share_path(const char *rel)
{
	const char *env = getenv("DANESIM_SHARE");
	char *root, *p;
	size_t i, n;

	if (env != NULL && env[0] != '\0')
		return xasprintf("%s/%s", env, rel);
	root = source_root(1);
	if (root == NULL)
		return xasprintf("%s/%s", DANESIM_SHAREDIR, rel);
	for (i = 0; i < sizeof(renames) / sizeof(renames[0]); i++) {
		n = strlen(renames[i].share);
		if (strncmp(rel, renames[i].share, n) == 0 &&
		    (rel[n] == '\0' || rel[n] == '/')) {
			p = join(root, renames[i].src, rel + n);
			free(root);
			return p;
		}
	}
	p = join(root, rel, "");
	free(root);
	return p;
}

char *
share_helper_dir(void)
{
	char *dir = exe_dir(), *p;

	if (dir != NULL) {
		p = xasprintf("%s/fakedns", dir);
		if (access(p, X_OK) == 0) {
			free(p);
			return dir;
		}
		free(p);
		free(dir);
	}
	return xstrdup(DANESIM_LIBEXECDIR);
}
