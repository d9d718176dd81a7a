/*
 * share.h - where danesim's data and helper programs are: the suite
 * (scenarios/), the SUT profiles, the requirement catalogue, and the
 * fake servers and refsut the harness starts.
 *
 * Data comes from the first of: $DANESIM_SHARE (the installed layout:
 * scenarios/, sut/, docs/), the source tree the running binary was built
 * in (build/danesim or build/asan/danesim: scenarios/, harness/sut/,
 * docs/), or the folder compiled in from PREFIX (DANESIM_SHAREDIR,
 * PREFIX/share/danesim). Helper programs are beside the running binary
 * (a build folder) or in DANESIM_LIBEXECDIR (PREFIX/libexec/danesim).
 */
#ifndef DSIM_SHARE_H
#define DSIM_SHARE_H

/*
 * share_path - the path of rel ("scenarios", "sut", "profiles",
 * "docs/rfc7672-requirements.md", ...) in the share folder, whether or not
 * it exists. New string (caller frees); never NULL.
 */
char *share_path(const char *rel);

/*
 * share_dir - the share folder itself (see above). New string (caller
 * frees); never NULL.
 */
char *share_dir(void);

/*
 * share_helper_dir - the folder holding fakedns, fakemx and refsut: the
 * running binary's own folder when they are there, else the compiled-in
 * libexec folder. New string (caller frees); never NULL.
 */
char *share_helper_dir(void);

#endif /* DSIM_SHARE_H */
