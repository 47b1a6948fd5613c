/* output_internal: what output.c and output_commit.c share, the two
 * halves of the output transaction (output.h tells the whole): the
 * output's state, the folder trees read once, the steps of a commit and
 * the changes made through the test hook. Included by those two files
 * only. */
#ifndef STEPBOOK_OUTPUT_INTERNAL_H
#define STEPBOOK_OUTPUT_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "strset.h"

struct diag;

#define JOURNAL_MAGIC "stepbook journal 1\n"
/* where the fallback of a file system that cannot swap two names puts
 * the old site for a moment (see output_commit.c) */
#define STAGE_OLD_SITE "site.old"

/* A folder's entries, read once: path (relative) -> entry. */
struct tree_entry {
	char *path;
	uint64_t ino;
	int dir;
	int placed; /* the staged site holds this path */
};

struct tree {
	struct strset index;
	struct tree_entry *v; /* folders before what they hold */
	size_t n, cap;
};

/* A step of the commit (see the journal). */
enum step_op {
	STEP_SITE = 'x',   /* swap the staged site with the published */
	STEP_RENAME = 'r', /* rename a staged file over the published */
	STEP_REMOVE = 'u'  /* remove a published file */
};

struct step {
	int op;
	char *name;
	uint64_t ino; /* of what is to be published */
};

struct output {
	char *dir, *stage, *site, *stage_site, *lock_path;
	int lock_fd;
	int pending;   /* committed, a step failed: the staged
				 * files are the journal's */
	int created;   /* the folder was made by output_open() */
	int unknown;   /* a journal did not fit the folder */
	int committed; /* a commit was made */
	int site_staged, fresh;
	struct tree cur, old; /* the published site, the staged one as found */
	pthread_t scanner;    /* reads them while the book loads */
	int scanning, scanned;
	pthread_mutex_t lock;    /* over making folders in the staged site,
				  * and over `replace` */
	struct strset made_dirs; /* ... those made, not found there */
	char **replace; /* staged top-level files, in commit order: noted by
			 * the threads that make the EPUBs at once */
	size_t n_replace, cap_replace;
	int twins;    /* a file put in the site as well */
	char *prefix; /* output_site_prefix(): "<tag>/", or NULL */
};

/* output_commit.c: each change to the folder, one step of the test hook
 * (fs_step_begin()), which can stop the process there. 0 or -1 with
 * errno. */
int output_step_link(const char *from, const char *to);
int output_step_unlink(const char *path);
int output_step_remove_tree(const char *path);
/* The inode of `path` (lstat), 0 when there is none; *dir (when not NULL)
 * whether it is a folder. */
uint64_t output_ino(const char *path, int *dir);
/* Removes what the staging folder holds but the site kept for the next
 * build (or the old site a file system that cannot swap left). */
int output_stage_tidy(const struct output *o);
/* Finishes the commit of a build that stopped after its commit point
 * (the journal's steps), or, when the journal does not fit the folder,
 * marks the output unknown with a warning. */
int output_recover(struct output *o, struct diag *d);

/* output.c: forgets the trees read of the published and staged sites. */
void output_site_reset(struct output *o);
/* Removes from the staged site what no call put there. */
int output_site_prune(struct output *o, struct diag *d);

#endif
