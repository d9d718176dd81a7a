/*
 * sut.c - SUT profiles: parsing "key = value" profiles, finding them,
 * and running their steps as "sh -c" inside the run's namespace with the
 * documented DANESIM_* environment (see sut.h, docs/sut-profiles.md).
 */
#include "harness/run/sut.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "share.h"
#include "smtp.h"
#include "xmalloc.h"

#define SUT_FILE_MAX (64 * 1024)
#define SUT_MESSAGE_MAX (1024 * 1024) /* what slurp reads */

extern char **environ;

static const char *const step_names[SUT_STEP__COUNT] = {
    "prepare",
    "start",
    "inject",
    "flush",
    "status",
    "stop",
    "version",
    "check",
    "config",
    "validate",
    "inject-smtp",
    "status-batch",
};

struct sut {
	const struct sut_profile *prof;
	int off[SUT_STEP__COUNT]; /* an opt-steps step no --sut-opt gives */
	char *netns;
	char *run_dir;
	char *steps_log;
	char **env; /* run-wide environment, NULL-terminated */
	size_t nenv;
};

const char *
sut_step_str(enum sut_step st)
{
	if ((unsigned)st >= SUT_STEP__COUNT)
		return "?";
	return step_names[st];
}

enum scn_sut
sut_status_parse(const char *text)
{
	size_t i, n;

	if (text == NULL)
		return SCN_SUT_UNKNOWN;
	while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
		text++;
	n = strcspn(text, " \t\r\n");
	for (i = 1; i < SCN_SUT__COUNT; i++)
		if (strlen(scn_sut_str(i)) == n &&
		    strncmp(text, scn_sut_str(i), n) == 0)
			return (enum scn_sut)i;
	return SCN_SUT_UNKNOWN;
}

int
sut_status_attempts(const char *text)
{
	char *end;
	long n;

	if (text == NULL)
		return 0;
	text += strspn(text, " \t\r\n");
	text += strcspn(text, " \t\r\n");
	text += strspn(text, " \t");
	if (*text < '1' || *text > '9')
		return 0;
	errno = 0;
	n = strtol(text, &end, 10);
	if (errno != 0 || n < 1 || n > 1000 ||
	    (*end != '\0' && strchr(" \t\r\n", *end) == NULL))
		return 0;
	return (int)n;
}

char *
sut_status_text(const char *text)
{
	size_t n;

	if (text == NULL)
		return NULL;
	text += strspn(text, " \t\r\n");
	text += strcspn(text, " \t\r\n");
	text += strspn(text, " \t");
	/* the count: digits up to a blank or the end (strchr finds NUL) */
	n = strspn(text, "0123456789");
	if (n > 0 && strchr(" \t\r\n", text[n]) != NULL)
		text += n;
	text += strspn(text, " \t");
	n = strcspn(text, "\r\n");
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	if (n == 0)
		return NULL;
	if (n > SUT_STATUS_TEXT_MAX)
		n = SUT_STATUS_TEXT_MAX;
	return xstrndup(text, n);
}

/* trim - strip blanks at both ends, in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* base_name - last path component without ".conf" (new string). */
static char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b != NULL ? b + 1 : path;
	n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".conf") == 0)
		n -= 5;
	return xstrndup(b, n);
}

/* opt_steps - the step names of an "opt-steps" value into p->by_opt;
   0, or -1 with err naming the word that is no step. */
static int
opt_steps(struct sut_profile *p, const char *val, const char *path, int lineno,
    char *err, size_t errsz)
{
	const char *w = val;
	size_t n;
	int i;

	for (w += strspn(w, " \t"); *w != '\0'; w += strspn(w, " \t")) {
		n = strcspn(w, " \t");
		for (i = 0; i < SUT_STEP__COUNT; i++)
			if (strlen(step_names[i]) == n &&
			    strncmp(w, step_names[i], n) == 0 &&
			    i != SUT_STEP_INJECT && i != SUT_STEP_VALIDATE &&
			    i != SUT_STEP_INJECT_SMTP &&
			    i != SUT_STEP_STATUS_BATCH)
				break;
		if (i == SUT_STEP__COUNT) {
			snprintf(err, errsz,
			    "%s:%d: opt-steps: '%.*s' is not a step an "
			    "option can leave out (prepare, start, flush, "
			    "status, stop, version, check, config)",
			    path, lineno, (int)(n > 40 ? 40 : n), w);
			return -1;
		}
		p->by_opt[i] = 1;
		w += n;
	}
	return 0;
}

struct sut_profile *
sut_profile_parse(const char *path, const char *text, char *err, size_t errsz)
{
	struct sut_profile *p;
	char *copy, *line, *next, *key, *val, *eq;
	size_t n;
	int lineno = 0, i, found;

	p = xcalloc(1, sizeof(*p));
	p->file = xstrdup(path);
	p->name = base_name(path);
	n = strlen(path);
	if (n > 5 && strcmp(path + n - 5, ".conf") == 0)
		p->dir = xstrndup(path, n - 5);
	else
		p->dir = xasprintf("%s.d", path);
	copy = xstrdup(text);
	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		line = trim(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (eq == NULL) {
			snprintf(err, errsz, "%s:%d: expected 'key = value'",
			    path, lineno);
			goto fail;
		}
		*eq = '\0';
		key = trim(line);
		val = trim(eq + 1);
		if (strcmp(key, "description") == 0) {
			if (p->description != NULL)
				goto dup;
			p->description = xstrdup(val);
			continue;
		}
		if (strcmp(key, "opt-steps") == 0) {
			if (opt_steps(p, val, path, lineno, err, errsz) < 0)
				goto fail;
			continue;
		}
		found = 0;
		for (i = 0; i < SUT_STEP__COUNT; i++) {
			if (strcmp(key, step_names[i]) != 0)
				continue;
			found = 1;
			if (p->steps[i] != NULL)
				goto dup;
			p->steps[i] = xstrdup(val);
		}
		if (!found) {
			snprintf(err, errsz,
			    "%s:%d: unknown key '%.40s' (description, prepare, "
			    "start, inject, flush, status, stop, version, "
			    "check, validate, opt-steps)",
			    path, lineno, key);
			goto fail;
		}
	}
	if (p->steps[SUT_STEP_INJECT] == NULL ||
	    p->steps[SUT_STEP_INJECT][0] == '\0') {
		snprintf(
		    err, errsz, "%s: the profile gives no 'inject' step", path);
		goto fail;
	}
	for (i = 0; i < SUT_STEP__COUNT; i++)
		if (p->steps[i] != NULL && p->steps[i][0] == '\0') {
			free(p->steps[i]);
			p->steps[i] = NULL;
		}
	free(copy);
	return p;
dup:
	snprintf(err, errsz, "%s:%d: '%.40s' given twice", path, lineno, key);
fail:
	free(copy);
	sut_profile_free(p);
	return NULL;
}

/* read_small - whole file (at most SUT_FILE_MAX) or NULL with err. */
static char *
read_small(const char *path, char *err, size_t errsz)
{
	struct buf b;
	char chunk[4096];
	size_t r;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b);
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_append(&b, chunk, r);
		if (b.len > SUT_FILE_MAX) {
			snprintf(
			    err, errsz, "%s: too large for a profile", path);
			fclose(f);
			buf_free(&b);
			return NULL;
		}
	}
	if (ferror(f) || memchr(buf_cstr(&b), '\0', b.len) != NULL) {
		snprintf(err, errsz, "%s: unreadable or binary", path);
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	if (b.len == 0)
		buf_puts(&b, "");
	return buf_steal(&b);
}

/* valid_profile_name - [a-z0-9][a-z0-9_-]*: a name, never a path. */
static int
valid_profile_name(const char *s)
{
	size_t i;

	if (s[0] == '\0' || strlen(s) > 64 || s[0] == '-' || s[0] == '_')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

/*
 * find_profile - the path of NAME.conf in $DANESIM_SUT_PATH, else in the
 * share folder's sut/ (share.h), or NULL.
 */
static char *
find_profile(const char *name)
{
	const char *env = getenv("DANESIM_SUT_PATH");
	char *dir, *cand;
	struct stat st;

	if (env != NULL && env[0] != '\0') {
		cand = xasprintf("%s/%s.conf", env, name);
		if (stat(cand, &st) == 0)
			return cand;
		free(cand);
	}
	dir = share_path("sut");
	cand = xasprintf("%s/%s.conf", dir, name);
	free(dir);
	if (stat(cand, &st) == 0)
		return cand;
	free(cand);
	return NULL;
}

struct sut_profile *
sut_profile_load(const char *name_or_file, char *err, size_t errsz)
{
	struct sut_profile *p;
	char *path, *text;
	size_t n = strlen(name_or_file);

	if (strchr(name_or_file, '/') != NULL ||
	    (n > 5 && strcmp(name_or_file + n - 5, ".conf") == 0))
		path = xstrdup(name_or_file);
	else if (!valid_profile_name(name_or_file)) {
		snprintf(
		    err, errsz, "bad SUT profile name '%.60s'", name_or_file);
		return NULL;
	} else if ((path = find_profile(name_or_file)) == NULL) {
		char *dir = share_path("sut");

		snprintf(err, errsz,
		    "no SUT profile '%s' (looked for %s.conf in "
		    "$DANESIM_SUT_PATH and %s; danesim profiles lists them); "
		    "try --sut FILE",
		    name_or_file, name_or_file, dir);
		free(dir);
		return NULL;
	}
	text = read_small(path, err, errsz);
	if (text == NULL) {
		free(path);
		return NULL;
	}
	p = sut_profile_parse(path, text, err, errsz);
	free(text);
	free(path);
	return p;
}

void
sut_profile_free(struct sut_profile *p)
{
	int i;

	if (p == NULL)
		return;
	free(p->name);
	free(p->file);
	free(p->dir);
	free(p->description);
	for (i = 0; i < SUT_STEP__COUNT; i++)
		free(p->steps[i]);
	free(p);
}

/* env_add - append "KEY=VALUE" to a NULL-terminated vector. */
static void
env_add(char ***env, size_t *n, const char *key, const char *val)
{
	*env = xreallocarray(*env, *n + 2, sizeof(**env));
	(*env)[(*n)++] = xasprintf("%s=%s", key, val != NULL ? val : "");
	(*env)[*n] = NULL;
}

/* ours - 1 if the NAME=VALUE entry e names a variable set by sut_new. */
static int
ours(const char *e)
{
	static const char *const names[] = {"DANESIM_RUN_DIR",
	    "DANESIM_SUT_DIR", "DANESIM_PROFILE_DIR", "DANESIM_RESOLVER",
	    "DANESIM_TRUST_ANCHOR", "DANESIM_ROOT_KEY", "DANESIM_TRUSTED_CAS",
	    "DANESIM_BIN", "DANESIM_SUT", "DANESIM_SUT_OPTS", "DANESIM_KEEP",
	    "DANESIM_NETNS", "DANESIM_SUT_POLICY", "DANESIM_SCENARIO",
	    "DANESIM_SENDER", "DANESIM_RECIPIENT", "DANESIM_MESSAGE",
	    "DANESIM_MESSAGE_ID", "DANESIM_MESSAGE_KEY"};
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if (strncmp(e, names[i], n) == 0 && e[n] == '=')
			return 1;
	}
	return 0;
}

/*
 * env_host - append the host's environment minus the variables sut_new
 * sets (a duplicate would shadow ours), and a PATH when there is none.
 * Other DANESIM_* variables pass: profiles may document knobs of their
 * own.
 */
static void
env_host(char ***env, size_t *n)
{
	char **e;

	for (e = environ; e != NULL && *e != NULL; e++) {
		if (ours(*e))
			continue;
		*env = xreallocarray(*env, *n + 2, sizeof(**env));
		(*env)[(*n)++] = xstrdup(*e);
		(*env)[*n] = NULL;
	}
	if (getenv("PATH") == NULL)
		env_add(env, n, "PATH",
		    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:"
		    "/bin");
}

/* env_add_opts - DANESIM_SUT_OPTS: the nopts opts, one a line. */
static void
env_add_opts(char ***env, size_t *n, char *const *opts, size_t nopts)
{
	struct buf o;
	size_t i;

	buf_init(&o);
	for (i = 0; i < nopts; i++)
		buf_printf(&o, "%s%s", i > 0 ? "\n" : "", opts[i]);
	env_add(env, n, "DANESIM_SUT_OPTS", buf_cstr(&o));
	buf_free(&o);
}

/* abs_path - an absolute form of path (new string). */
static char *
abs_path(const char *path)
{
	char *r = realpath(path, NULL);

	if (r != NULL)
		return r;
	return xstrdup(path);
}

struct sut *
sut_new(const struct sut_profile *prof, const char *netns, const char *run_dir,
    const char *sut_dir, const char *bin_dir, const char *resolver,
    const char *trust_anchor, const char *root_key, char *const *opts,
    size_t nopts)
{
	struct sut *s;
	char *tmp;
	size_t i, n;
	int st;

	s = xcalloc(1, sizeof(*s));
	s->prof = prof;
	for (st = 0; st < SUT_STEP__COUNT; st++) {
		if (!prof->by_opt[st])
			continue;
		s->off[st] = 1;
		n = strlen(step_names[st]);
		for (i = 0; i < nopts; i++)
			if (strncmp(opts[i], step_names[st], n) == 0 &&
			    opts[i][n] == '=')
				s->off[st] = 0;
	}
	s->netns = netns != NULL ? xstrdup(netns) : NULL;
	s->run_dir = abs_path(run_dir);
	s->steps_log = xasprintf("%s/sut-steps.log", s->run_dir);
	if (mkdir(sut_dir, 0755) < 0 && errno != EEXIST)
		log_warn("mkdir %s", sut_dir);

	env_host(&s->env, &s->nenv);
	env_add(&s->env, &s->nenv, "DANESIM_RUN_DIR", s->run_dir);
	tmp = abs_path(sut_dir);
	env_add(&s->env, &s->nenv, "DANESIM_SUT_DIR", tmp);
	free(tmp);
	tmp = abs_path(prof->dir);
	env_add(&s->env, &s->nenv, "DANESIM_PROFILE_DIR", tmp);
	free(tmp);
	env_add(&s->env, &s->nenv, "DANESIM_RESOLVER", resolver);
	env_add(&s->env, &s->nenv, "DANESIM_TRUST_ANCHOR", trust_anchor);
	env_add(&s->env, &s->nenv, "DANESIM_ROOT_KEY", root_key);
	tmp = abs_path(bin_dir);
	env_add(&s->env, &s->nenv, "DANESIM_BIN", tmp);
	free(tmp);
	env_add(&s->env, &s->nenv, "DANESIM_SUT", prof->name);
	env_add_opts(&s->env, &s->nenv, opts, nopts);
	return s;
}

int
sut_validate(const struct sut_profile *prof, const char *bin_dir,
    char *const *opts, size_t nopts, int timeout_ms, struct buf *out)
{
	char **env = NULL, *argv[4], *tmp;
	size_t nenv = 0, i;
	int rc;

	if (prof->steps[SUT_STEP_VALIDATE] == NULL)
		return 0;
	env_host(&env, &nenv);
	tmp = abs_path(prof->dir);
	env_add(&env, &nenv, "DANESIM_PROFILE_DIR", tmp);
	free(tmp);
	tmp = abs_path(bin_dir);
	env_add(&env, &nenv, "DANESIM_BIN", tmp);
	free(tmp);
	env_add(&env, &nenv, "DANESIM_SUT", prof->name);
	env_add_opts(&env, &nenv, opts, nopts);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = prof->steps[SUT_STEP_VALIDATE];
	argv[3] = NULL;
	rc = proc_run(
	    sut_step_str(SUT_STEP_VALIDATE), NULL, argv, env, timeout_ms, out);
	for (i = 0; i < nenv; i++)
		free(env[i]);
	free(env);
	return rc;
}

void
sut_setenv(struct sut *s, const char *key, const char *value)
{
	size_t i, klen = strlen(key);

	for (i = 0; i < s->nenv; i++)
		if (strncmp(s->env[i], key, klen) == 0 &&
		    s->env[i][klen] == '=') {
			free(s->env[i]);
			s->env[i] = xasprintf("%s=%s", key, value);
			return;
		}
	env_add(&s->env, &s->nenv, key, value);
}

void
sut_free(struct sut *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nenv; i++)
		free(s->env[i]);
	free(s->env);
	free(s->netns);
	free(s->run_dir);
	free(s->steps_log);
	free(s);
}

int
sut_has(const struct sut *s, enum sut_step st)
{
	return (unsigned)st < SUT_STEP__COUNT && s->prof->steps[st] != NULL &&
	       !s->off[st];
}

/* log_step - append what a step did to the run's sut-steps.log. */
static void
log_step(struct sut *s, enum sut_step st, const struct sut_msg *m, int rc,
    const struct buf *out)
{
	FILE *f;
	time_t now = time(NULL);
	struct tm tm;
	char ts[32];

	f = fopen(s->steps_log, "a");
	if (f == NULL)
		return;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "%s %s%s%s exit %d\n", ts, sut_step_str(st),
	    m != NULL ? " " : "", m != NULL ? m->scenario : "", rc);
	if (out != NULL && out->len > 0)
		fprintf(f, "%s%s", buf_cstr((struct buf *)out),
		    out->data[out->len - 1] == '\n' ? "" : "\n");
	fclose(f);
}

/* msg_key - DANESIM_MESSAGE_KEY of m into key. */
static void
msg_key(const struct sut_msg *m, char *key, size_t keysz)
{
	if (m->number > 1)
		snprintf(key, keysz, "%s.%d", m->scenario, m->number);
	else
		snprintf(key, keysz, "%s", m->scenario);
}

/* step_env - the run's environment plus m's variables (free_env). */
static char **
step_env(struct sut *s, const struct sut_msg *m)
{
	char **env, key[300];
	size_t n = s->nenv, i;

	env = xcalloc(s->nenv + 8, sizeof(*env));
	for (i = 0; i < s->nenv; i++)
		env[i] = s->env[i];
	if (m != NULL) {
		env[n++] = xasprintf("DANESIM_SCENARIO=%s", m->scenario);
		env[n++] = xasprintf("DANESIM_SENDER=%s", m->sender);
		env[n++] = xasprintf("DANESIM_RECIPIENT=%s", m->recipient);
		env[n++] = xasprintf("DANESIM_MESSAGE=%s", m->file);
		env[n++] = xasprintf("DANESIM_MESSAGE_ID=%s", m->message_id);
		msg_key(m, key, sizeof(key));
		env[n++] = xasprintf("DANESIM_MESSAGE_KEY=%s", key);
	}
	env[n] = NULL;
	return env;
}

/* free_env - release what step_env added (not the shared part). */
static void
free_env(struct sut *s, char **env)
{
	size_t i;

	for (i = s->nenv; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/* step_done - log a finished step. */
static void
step_done(struct sut *s, enum sut_step st, const struct sut_msg *m, int rc,
    const struct buf *out)
{
	if (st != SUT_STEP_STATUS || rc != 0)
		log_step(s, st, m, rc, out);
	if (rc != 0 && st != SUT_STEP_STATUS)
		log_debug("SUT step %s exit %d: %s", sut_step_str(st), rc,
		    out->data != NULL ? out->data : "");
}

int
sut_run_step(struct sut *s, enum sut_step st, const struct sut_msg *m,
    int timeout_ms, struct buf *out)
{
	char **env;
	char *argv[4];
	struct buf local;
	int rc;

	if (!sut_has(s, st))
		return 0;
	env = step_env(s, m);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = s->prof->steps[st];
	argv[3] = NULL;
	buf_init(&local);
	rc =
	    proc_run(sut_step_str(st), s->netns, argv, env, timeout_ms, &local);
	step_done(s, st, m, rc, &local);
	if (out != NULL)
		buf_append(
		    out, local.data != NULL ? local.data : "", local.len);
	buf_free(&local);
	free_env(s, env);
	return rc;
}

/* slurp - what fd (a memory file) holds so far into out, up to 1 MiB. */
static void
slurp(int fd, struct buf *out)
{
	char chunk[4096];
	ssize_t r;
	off_t off = 0;

	while ((r = pread(fd, chunk, sizeof(chunk), off)) > 0 &&
	       out->len < 1024 * 1024) {
		buf_append(out, chunk, (size_t)r);
		off += r;
	}
}

/* spawn_step - start step st (sh -c, m's variables when m is not NULL)
 * with its stdin on in (-1: /dev/null), stdout on out, stderr on err
 * (-1: out). NULL when it could not start (logged). */
static struct proc *
spawn_step(struct sut *s, enum sut_step st, const struct sut_msg *m, int in,
    int out, int err)
{
	char *argv[4], **env;
	struct proc *p;

	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = s->prof->steps[st];
	argv[3] = NULL;
	env = step_env(s, m);
	p = proc_spawn_io(sut_step_str(st), s->netns, argv, env, in, out, err);
	free_env(s, env);
	return p;
}

/*
 * Book-keeping of one step of a batch in flight. Its output goes to a
 * memory file, as it would to a file on disk (a process the step left
 * in the background may go on writing there unharmed), without creating
 * and removing a file in the run folder per step.
 */
struct batch_slot {
	struct proc *p;
	size_t idx;
	long long end;
	int outfd; /* memfd; -1 when the slot is free */
};

int
sut_run_batch(struct sut *s, enum sut_step st, const struct sut_msg *msgs,
    size_t n, int timeout_ms, int *rcs, char **outs, long long *done_ms)
{
	struct batch_slot slot[SUT_BATCH_MAX];
	sig_atomic_t seen = proc_interrupts;
	struct buf b;
	size_t next = 0, busy = 0, i;
	int rc, interrupted = 0;

	for (i = 0; i < n; i++) {
		rcs[i] = sut_has(s, st) ? -1 : 0;
		if (outs != NULL)
			outs[i] = NULL;
		if (done_ms != NULL)
			done_ms[i] = 0;
	}
	if (!sut_has(s, st))
		return 0;
	memset(slot, 0, sizeof(slot));
	while (next < n || busy > 0) {
		if (proc_interrupts != seen)
			interrupted = 1;
		/* Fill free slots. */
		for (i = 0; i < SUT_BATCH_MAX && next < n && !interrupted;
		     i++) {
			if (slot[i].p != NULL)
				continue;
			slot[i].idx = next++;
			slot[i].outfd =
			    memfd_create(sut_step_str(st), MFD_CLOEXEC);
			if (slot[i].outfd < 0) {
				log_err("%s %s: memfd_create", sut_step_str(st),
				    msgs[slot[i].idx].scenario);
				continue;
			}
			slot[i].p = spawn_step(
			    s, st, &msgs[slot[i].idx], -1, slot[i].outfd, -1);
			slot[i].end = proc_now_ms() + timeout_ms;
			if (slot[i].p == NULL) {
				close(slot[i].outfd);
				continue;
			}
			busy++;
		}
		/* Reap finished ones. */
		for (i = 0; i < SUT_BATCH_MAX; i++) {
			if (slot[i].p == NULL)
				continue;
			if (proc_poll(slot[i].p) && !interrupted &&
			    proc_now_ms() < slot[i].end)
				continue;
			if (slot[i].p->running) {
				(interrupted ? log_debug : log_warnx)(
				    "%s %s: %s, killed", sut_step_str(st),
				    msgs[slot[i].idx].scenario,
				    interrupted ? "interrupted"
				                : "no result in time");
				proc_stop(slot[i].p, 0);
				rc = -1;
			} else if (WIFEXITED(slot[i].p->status))
				rc = WEXITSTATUS(slot[i].p->status);
			else if (WIFSIGNALED(slot[i].p->status))
				rc = 128 + WTERMSIG(slot[i].p->status);
			else
				rc = -1;
			buf_init(&b);
			slurp(slot[i].outfd, &b);
			close(slot[i].outfd);
			step_done(s, st, &msgs[slot[i].idx], rc, &b);
			rcs[slot[i].idx] = rc;
			if (done_ms != NULL)
				done_ms[slot[i].idx] = proc_now_ms();
			if (outs != NULL)
				outs[slot[i].idx] = xstrdup(buf_cstr(&b));
			buf_free(&b);
			proc_free(slot[i].p);
			memset(&slot[i], 0, sizeof(slot[i]));
			busy--;
		}
		if (interrupted && busy == 0)
			break;
		if (busy > 0)
			usleep(5000);
	}
	return interrupted ? -1 : 0;
}

/* wait_exit - wait up to timeout_ms (less when interrupted) for p to
 * exit: 1 when it has, 0 when it still runs. */
static int
wait_exit(struct proc *p, int timeout_ms)
{
	long long deadline = proc_now_ms() + timeout_ms;

	while (proc_poll(p) && proc_now_ms() < deadline && proc_interrupts == 0)
		usleep(2000);
	return !p->running;
}

/* The SUT's end of an inject-smtp session: its replies, read a line at a
 * time within a deadline. */
struct smtp_pipe {
	int in;  /* to the SUT (its stdin), non-blocking */
	int out; /* from the SUT (its stdout), non-blocking */
	char buf[4096];
	size_t len;
	int timeout_ms;
};

/* pipe_wait - poll fd for ev until deadline; 1 ready, 0 not in time. */
static int
pipe_wait(int fd, short ev, long long deadline)
{
	struct pollfd pfd = {.fd = fd, .events = ev};
	long long left;
	int rc;

	for (;;) {
		left = deadline - proc_now_ms();
		if (left <= 0)
			return 0;
		rc = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return 0;
		if (proc_interrupts > 0)
			return 0;
	}
}

/* pipe_send - write all of data; 0, or -1 (not in time, SUT gone). */
static int
pipe_send(struct smtp_pipe *sp, const char *data, size_t len)
{
	long long deadline = proc_now_ms() + sp->timeout_ms;
	ssize_t w;

	while (len > 0) {
		w = write(sp->in, data, len);
		if (w > 0) {
			data += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (!pipe_wait(sp->in, POLLOUT, deadline))
			return -1;
	}
	return 0;
}

/*
 * pipe_reply - read one whole reply (every line of a multi-line one) into
 * log; its code, or -1 when none came in time, the SUT closed its end or
 * what came is no reply line.
 */
static int
pipe_reply(struct smtp_pipe *sp, struct buf *log)
{
	long long deadline = proc_now_ms() + sp->timeout_ms;
	const char *text;
	size_t used;
	long n;
	ssize_t r;
	int code, last;

	for (;;) {
		n = smtp_line_end(sp->buf, sp->len, &used);
		if (n >= 0) {
			if (smtp_parse_reply(
			        sp->buf, (size_t)n, &code, &last, &text) < 0)
				return -1;
			buf_append(log, sp->buf, (size_t)n);
			buf_append(log, "\n", 1);
			memmove(sp->buf, sp->buf + used, sp->len - used);
			sp->len -= used;
			if (last)
				return code;
			continue;
		}
		if (sp->len == sizeof(sp->buf))
			return -1; /* a line longer than any reply */
		r = read(sp->out, sp->buf + sp->len, sizeof(sp->buf) - sp->len);
		if (r > 0) {
			sp->len += (size_t)r;
			continue;
		}
		if (r == 0 || (errno != EAGAIN && errno != EINTR))
			return -1;
		if (!pipe_wait(sp->out, POLLIN, deadline))
			return -1;
	}
}

/* pipe_cmd - send a command line and read the reply (its code or -1). */
static int pipe_cmd(struct smtp_pipe *sp, struct buf *log, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
pipe_cmd(struct smtp_pipe *sp, struct buf *log, const char *fmt, ...)
{
	char line[1100];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 2)
		return -1;
	buf_append(log, "> ", 2);
	buf_append(log, line, (size_t)n);
	buf_append(log, "\n", 1);
	memcpy(line + n, "\r\n", 2);
	if (pipe_send(sp, line, (size_t)n + 2) < 0)
		return -1;
	return pipe_reply(sp, log);
}

/*
 * pipe_content - the message file as DATA content: every line ended by
 * CRLF, a leading dot doubled (RFC 5321 section 4.5.2), then the ending
 * dot. 0, or -1 (file unreadable: *unreadable set; or the SUT gone).
 */
static int
pipe_content(struct smtp_pipe *sp, const char *file, int *unreadable)
{
	struct buf out, in;
	struct stat st;
	const char *text;
	size_t len, i, start;
	int rc, fd;

	*unreadable = 1;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_size > SUT_MESSAGE_MAX) {
		close(fd);
		return -1;
	}
	buf_init(&in);
	slurp(fd, &in);
	close(fd);
	*unreadable = 0;
	text = in.data != NULL ? in.data : "";
	len = in.len;
	buf_init(&out);
	for (start = 0; start < len; start = i + 1) {
		for (i = start; i < len && text[i] != '\n'; i++)
			;
		if (text[start] == '.')
			buf_append(&out, ".", 1);
		buf_append(&out, text + start,
		    i - start - (i > start && text[i - 1] == '\r'));
		buf_append(&out, "\r\n", 2);
	}
	buf_append(&out, ".\r\n", 3);
	rc = pipe_send(sp, out.data, out.len);
	buf_free(&out);
	buf_free(&in);
	return rc;
}

/*
 * smtp_message - one mail transaction of an inject-smtp session: 0 when
 * the SUT took the message (2xx after the content), 1 when it refused it
 * (the session goes on after RSET), -1 when the session broke.
 */
static int
smtp_message(struct smtp_pipe *sp, const struct sut_msg *m, struct buf *log)
{
	int code, unreadable;

	code = pipe_cmd(sp, log, "MAIL FROM:<%s>", m->sender);
	if (code == 250)
		code = pipe_cmd(sp, log, "RCPT TO:<%s>", m->recipient);
	if (code == 250 || code == 251)
		code = pipe_cmd(sp, log, "DATA");
	if (code == 354) {
		buf_append(log, "> (message)\n", 12);
		if (pipe_content(sp, m->file, &unreadable) < 0) {
			if (unreadable)
				buf_printf(log, "%s: unreadable\n", m->file);
			return -1;
		}
		code = pipe_reply(sp, log);
		if (code >= 200 && code < 300)
			return 0;
	}
	if (code < 0)
		return -1;
	return pipe_cmd(sp, log, "RSET") < 0 ? -1 : 1;
}

int
sut_inject_smtp(struct sut *s, const struct sut_msg *msgs, size_t n,
    int timeout_ms, int *rcs, long long *done_ms)
{
	struct smtp_pipe sp;
	struct proc *p = NULL;
	struct sigaction ign, old_pipe;
	struct buf log, err;
	int to[2] = {-1, -1}, from[2] = {-1, -1}, errfd = -1, rc = -1;
	size_t i = 0;

	for (i = 0; i < n; i++) {
		rcs[i] = -1;
		if (done_ms != NULL)
			done_ms[i] = 0;
	}
	i = 0;
	if (!sut_has(s, SUT_STEP_INJECT_SMTP))
		return -1;
	/* A SUT that closes its end: EPIPE from write, not a signal. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old_pipe);
	buf_init(&log);
	buf_init(&err);
	if (pipe2(to, O_CLOEXEC) < 0 || pipe2(from, O_CLOEXEC) < 0 ||
	    (errfd = memfd_create("inject-smtp", MFD_CLOEXEC)) < 0) {
		log_err("inject-smtp: pipe");
		goto done;
	}
	p = spawn_step(s, SUT_STEP_INJECT_SMTP, NULL, to[0], from[1], errfd);
	close(to[0]);
	close(from[1]);
	to[0] = from[1] = -1;
	if (p == NULL)
		goto done;
	memset(&sp, 0, sizeof(sp));
	sp.in = to[1];
	sp.out = from[0];
	sp.timeout_ms = timeout_ms;
	fcntl(sp.in, F_SETFL, fcntl(sp.in, F_GETFL) | O_NONBLOCK);
	fcntl(sp.out, F_SETFL, fcntl(sp.out, F_GETFL) | O_NONBLOCK);
	if (pipe_reply(&sp, &log) != 220 ||
	    pipe_cmd(&sp, &log, "EHLO danesim.invalid") != 250) {
		log_warnx("inject-smtp: no SMTP greeting and EHLO: %s",
		    buf_cstr(&log));
		goto done;
	}
	buf_free(&log);
	buf_init(&log);
	for (i = 0; i < n && proc_interrupts == 0; i++) {
		rc = smtp_message(&sp, &msgs[i], &log);
		rcs[i] = rc;
		if (done_ms != NULL)
			done_ms[i] = proc_now_ms();
		step_done(s, SUT_STEP_INJECT_SMTP, &msgs[i], rc, &log);
		buf_free(&log);
		buf_init(&log);
		if (rc < 0)
			break;
	}
	if (rc >= 0)
		(void)pipe_cmd(&sp, &log, "QUIT");
	rc = 0;
done:
	if (to[1] >= 0)
		close(to[1]);
	if (from[0] >= 0)
		close(from[0]);
	if (to[0] >= 0)
		close(to[0]);
	if (from[1] >= 0)
		close(from[1]);
	if (p != NULL) {
		if (!wait_exit(p, timeout_ms)) {
			log_warnx("inject-smtp: still running at the end of "
			          "its session, killed");
			proc_stop(p, 0);
		}
		if (errfd >= 0)
			slurp(errfd, &err);
		if (rc < 0 || err.len > 0)
			step_done(s, SUT_STEP_INJECT_SMTP, NULL,
			    p->running || !WIFEXITED(p->status)
			        ? -1
			        : WEXITSTATUS(p->status),
			    &err);
		proc_free(p);
	}
	if (errfd >= 0)
		close(errfd);
	buf_free(&log);
	buf_free(&err);
	sigaction(SIGPIPE, &old_pipe, NULL);
	for (i = 0; i < n; i++)
		if (rcs[i] != 0)
			return -1;
	return rc < 0 ? -1 : 0;
}

/*
 * keys_fd - a memory file, read from its start, holding a "KEY
 * MESSAGE-ID" line for each of the n messages of msgs
 * (DANESIM_MESSAGE_KEY, DANESIM_MESSAGE_ID) and, when tries is set, " N"
 * after it when the message's tries field N is not 0: the stdin of
 * status-batch and flush. -1 on failure.
 */
static int
keys_fd(const struct sut_msg *msgs, size_t n, int tries)
{
	struct buf in;
	char key[300];
	size_t i;
	int fd;

	buf_init(&in);
	for (i = 0; i < n; i++) {
		msg_key(&msgs[i], key, sizeof(key));
		buf_printf(&in, "%s %s", key, msgs[i].message_id);
		if (tries && msgs[i].tries > 0)
			buf_printf(&in, " %d", msgs[i].tries);
		buf_append(&in, "\n", 1);
	}
	fd = memfd_create("sut-keys", MFD_CLOEXEC);
	if (fd >= 0 &&
	    ((in.len > 0 && write(fd, in.data, in.len) != (ssize_t)in.len) ||
	        lseek(fd, 0, SEEK_SET) < 0)) {
		close(fd);
		fd = -1;
	}
	buf_free(&in);
	return fd;
}

/*
 * keyed_step - run step st with the lines of the n messages of msgs on
 * its stdin (keys_fd; flush: with their tries) and its stdout and stderr
 * into out; a step not done within timeout_ms is killed. Returns its
 * exit status, 128+N when a signal N ended it, or -1 when it could not
 * start or was killed (logged).
 */
static int
keyed_step(struct sut *s, enum sut_step st, const struct sut_msg *msgs,
    size_t n, int timeout_ms, struct buf *out)
{
	struct proc *p;
	int infd, outfd = -1, rc = -1;

	infd = keys_fd(msgs, n, st == SUT_STEP_FLUSH);
	if (infd >= 0)
		outfd = memfd_create(sut_step_str(st), MFD_CLOEXEC);
	if (infd < 0 || outfd < 0) {
		log_err("%s: memfd", sut_step_str(st));
		goto done;
	}
	p = spawn_step(s, st, NULL, infd, outfd, -1);
	if (p == NULL)
		goto done;
	(void)wait_exit(p, timeout_ms);
	if (p->running) {
		log_warnx("%s: not done in %d ms, killed", sut_step_str(st),
		    timeout_ms);
		proc_stop(p, 0);
	} else if (WIFEXITED(p->status))
		rc = WEXITSTATUS(p->status);
	else if (WIFSIGNALED(p->status))
		rc = 128 + WTERMSIG(p->status);
	proc_free(p);
	slurp(outfd, out);
done:
	if (infd >= 0)
		close(infd);
	if (outfd >= 0)
		close(outfd);
	return rc;
}

int
sut_status_batch(struct sut *s, const struct sut_msg *msgs, size_t n,
    int timeout_ms, int *rcs, char **outs)
{
	struct buf out;
	char key[300], *line, *next, *sp, **keys;
	int rc;
	size_t i, j, k, klen;

	for (i = 0; i < n; i++) {
		rcs[i] = -1;
		outs[i] = NULL;
	}
	if (!sut_has(s, SUT_STEP_STATUS_BATCH))
		return -1;
	buf_init(&out);
	rc = keyed_step(s, SUT_STEP_STATUS_BATCH, msgs, n, timeout_ms, &out);
	if (rc != 0) {
		step_done(s, SUT_STEP_STATUS_BATCH, NULL, rc, &out);
		rc = -1;
		goto done;
	}
	/*
	 * "KEY STATUS..." per line; a key asked twice takes the first. The
	 * lines usually come in the order asked: line k is tried against
	 * message k first.
	 */
	keys = xcalloc(n + 1, sizeof(*keys));
	for (i = 0; i < n; i++) {
		msg_key(&msgs[i], key, sizeof(key));
		keys[i] = xstrdup(key);
	}
	for (k = 0, line = out.data; line != NULL && *line != '\0';
	     line = next, k++) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		sp = strchr(line, ' ');
		if (sp == NULL)
			continue;
		klen = (size_t)(sp - line);
		for (j = 0; j < n; j++) {
			i = (k + j) % n;
			if (outs[i] == NULL && strlen(keys[i]) == klen &&
			    strncmp(keys[i], line, klen) == 0) {
				outs[i] = xstrdup(sp + 1);
				rcs[i] = 0;
				break;
			}
		}
	}
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	rc = 0;
done:
	buf_free(&out);
	return rc;
}

int
sut_flush(struct sut *s, const struct sut_msg *msgs, size_t n, int timeout_ms)
{
	struct buf out;
	int rc;

	if (!sut_has(s, SUT_STEP_FLUSH))
		return 0;
	buf_init(&out);
	rc = keyed_step(s, SUT_STEP_FLUSH, msgs, n, timeout_ms, &out);
	step_done(s, SUT_STEP_FLUSH, NULL, rc, &out);
	buf_free(&out);
	return rc;
}

enum scn_sut
sut_status(struct sut *s, const struct sut_msg *m, int timeout_ms)
{
	struct buf out;
	enum scn_sut st = SCN_SUT_UNKNOWN;

	if (!sut_has(s, SUT_STEP_STATUS))
		return SCN_SUT_UNKNOWN;
	buf_init(&out);
	if (sut_run_step(s, SUT_STEP_STATUS, m, timeout_ms, &out) == 0)
		st = sut_status_parse(buf_cstr(&out));
	buf_free(&out);
	return st;
}
