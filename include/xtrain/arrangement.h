/* Affine dichotomies of a finite point set.
 *
 * A subset A of the points x_1..x_n in Q^d is an affine dichotomy when
 * some affine function is > 0 on A and < 0 on the other points (the empty
 * set and the full set included).  These are exactly the activation sets a
 * hidden ReLU or threshold neuron can have, up to points on its
 * hyperplane, which is why the enumeration solver needs all of them.  The
 * enumeration is complete on degenerate input: repeated, collinear and
 * coplanar points, and point sets that are not full-dimensional.
 *
 * n points in general position in R^d have 2 * sum_{i=0}^{d} C(n-1, i)
 * dichotomies (Cover, 1965); degenerate sets have fewer. */
#ifndef XTRAIN_ARRANGEMENT_H
#define XTRAIN_ARRANGEMENT_H

#include <stddef.h>
#include <stdint.h>
#include <gmp.h>
#include "xtrain/error.h"

/* A list of subsets of {0..n-1}, each a bitset of `words` 64-bit words:
 * point i is in set s when bit (i % 64) of sets[s*words + i/64] is 1. */
typedef struct {
    long n;
    size_t words;
    size_t count;
    size_t capacity;
    uint64_t *sets;
} xt_dichotomy_list;

/* Initializes an empty list of subsets of n points (n < 0 is taken as 0).
 * words is at least 1, so a set of 0 points is one zero word. */
void xt_dichotomy_list_init(xt_dichotomy_list *list, long n);

/* Frees the sets.  The list stays usable, empty, for the same n. */
void xt_dichotomy_list_clear(xt_dichotomy_list *list);

static inline int xt_dichotomy_has(const xt_dichotomy_list *list,
                                   size_t s, long i)
{
    return (int)((list->sets[s * list->words + (size_t)i / 64]
                  >> ((unsigned)i % 64)) & 1u);
}

/* Enumerates every affine dichotomy of the n points x (row-major, d
 * columns), each exactly once.  out must be initialized (for any n); its
 * old sets are freed and it becomes a list over n points.  The sets are
 * sorted by size, then lexicographically by their lists of members, so
 * the empty set comes first; for n = 0 the only set is the empty one.
 * n >= 0 and d >= 0 are required (XT_ERR_INPUT otherwise), and x may be
 * NULL when n or d is 0.  Returns XT_OK, XT_ERR_INPUT, XT_ERR_NOMEM, or
 * XT_ERR_LIMIT when more than max_count sets would be produced (max_count
 * 0 means no limit).  On an error out is left empty and err says why.
 * Exact: all arithmetic is in GMP integers and rationals. */
int xt_dichotomies(xt_dichotomy_list *out, const mpq_t *x, long n, int d,
                   size_t max_count, xt_error_t *err);

/* Decides exactly whether the subset set (a bitset of (n + 63) / 64
 * words, at least 1) of the n points x (row-major, d columns) is an
 * affine dichotomy.  It is one exactly when it is empty or full, or when
 * the convex hulls of the set and of its complement are disjoint.  The
 * test is a phase-one simplex in rationals with Bland's rule, independent
 * of xt_dichotomies and of any LP library.  Meant for small n (tests,
 * certificate checks).  Returns 1 when realizable, 0 when not, and -1
 * when an allocation fails. */
int xt_dichotomy_is_realizable(const uint64_t *set, const mpq_t *x, long n,
                               int d);

/* Number of dichotomies of n points in general position in R^d:
 * 2 * sum_{i=0}^{d} C(n-1, i), or 1 when n = 0 (d >= 0). */
void xt_dichotomy_count_general(mpz_t out, long n, int d);

#endif
