/* Private declarations of the enumeration certificate checker: entry
 * verification (enum_check.c) and coverage of the pattern tree
 * (enum_check_tree.c). */
#ifndef XT_ENUM_CHECK_H
#define XT_ENUM_CHECK_H

#include <stdint.h>
#include "check_internal.h"
#include "xtrain/arrangement.h"

typedef struct {
    const xt_instance_struct *inst;
    const char *path;
    int k, d, bias_col;
    long n;
    xt_loss loss;
    size_t words;           /* 64-bit words of a set of instance points */
    long *order;            /* n: the point order (identity by default) */
    mpq_t *rest;            /* n + 1: verified bound for the last t points */

    /* The problem of the entry being verified: points pts[0..m-1]
     * (increasing instance indices) and its layout. */
    long *pts;
    long m;
    int ncols, aux_col;
    long nrows;
    uint64_t *keytmp;       /* words */

    /* Rational scratch, sized for all n points. */
    mpq_t *row, *acc, *x, *y;
    mpq_t rhs, sum, tmp;
} enum_checker;

/* One verified certificate entry and its canonical key. */
typedef struct {
    uint64_t *key;          /* k sets, positives first, each class sorted */
    long depth;             /* points the entry's problem covers */
    int positives;
    int has_bound;          /* 0: proven infeasible */
    int initialized;        /* bound was initialized */
    mpq_t bound;
} enum_entry;

/* An open-addressing hash table from keys to entries. */
typedef struct {
    size_t capacity;
    long *slot;             /* entry index or -1 */
    enum_entry *entries;
    long count;
} enum_table;

/* Builds the canonical key of a pattern: the k sets (bitsets over the
 * instance points), positive neurons first, each class sorted. */
void xt_enum_check_key(const enum_checker *c, uint64_t *key, int *positives,
                       const int *sign, uint64_t *const *sets);

/* The entry with this key and depth, or NULL. */
const enum_entry *xt_enum_check_find(const enum_checker *c,
                                     const enum_table *t,
                                     const uint64_t *key, int positives,
                                     long depth);

/* Verifies the coverage of the problem on the doll points dpts[0..s-1]
 * (in tree order) by the entries of table.  Every pattern of dichotomies
 * of those points, in every sign class, up to permutations within a
 * class, must lie below an entry: it agrees with the entry's sets on the
 * entry's points.  Sets *has_lower and lower to the smallest entry bound
 * combined with the bound for the remaining points (*has_lower is 0 when
 * every entry is infeasible).  Returns 0, or -1 with err. */
int xt_enum_check_cover(enum_checker *c, const enum_table *table,
                        const long *dpts, long s, int *has_lower,
                        mpq_t lower, long *visited, xt_error_t *err);

#endif
