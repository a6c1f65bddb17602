/* Private declarations of the threshold-network solver.
 *
 * The network is f(x) = out(c + sum_j a_j h_j(x)) with hidden bits
 * h_j(x) = [w_j . x + b_j > 0] and out the threshold [t > 0] or the
 * identity.  A hidden code is the k-bit integer whose bit j is h_j.  The
 * output is then a function phi of the code alone, and every search below
 * fixes phi first and then searches for codes of the points. */
#ifndef XT_THRESHOLD_INTERNAL_H
#define XT_THRESHOLD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "xtrain/arrangement.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"

/* Largest k for which output-function tables are built.  There are 1882
 * threshold functions of 4 bits and 94572 of 5 (OEIS A000609).
 * NOTE: the limit is a choice, not a measured boundary: k = 5 would need
 * wider code bitmasks (32 codes) and was not tried. */
#define XT_THR_MAX_K 4

/* Value index meaning "any value": a code whose output is not a label. */
#define XT_THR_ANY 255

/* A list of output functions phi: codes -> label values.  map contains
 * count rows of 2^k value indices (into values, or XT_THR_ANY).  weights
 * contains count rows of k + 1 exact numbers a_1..a_k, c that realize the
 * row.  For a threshold output [c + a.h > 0] equals the row's value on
 * every code, and for a linear output c + a.h equals it on every code that
 * is not XT_THR_ANY.  c is 0 when there is no output bias. */
typedef struct {
    int k;
    int codes;              /* 2^k */
    int threshold;          /* 1: threshold output, 0: linear output */
    int bias;               /* 1: output bias c allowed */
    int nvalues;
    mpq_t *values;          /* the label values a row may take */
    size_t count;
    unsigned char *map;     /* count * codes */
    mpq_t *weights;         /* count * (k + 1) */
} xt_thr_functions;

void xt_thr_functions_init(xt_thr_functions *f);
void xt_thr_functions_clear(xt_thr_functions *f);

/* Builds every Boolean threshold function of k bits (values 0 and 1),
 * realized with an output bias when bias is 1 and as [a.h > 0] when it is
 * 0.  With canonical, keeps one function per orbit under permuting the
 * hidden neurons and, when bias is 1, negating some of them (h -> 1 - h,
 * which the hidden neuron realizes by negating its weights and moving
 * points off its hyperplane).  1 <= k <= XT_THR_MAX_K. */
int xt_thr_functions_threshold(xt_thr_functions *f, int k, int bias,
                               int canonical, xt_error_t *err);

/* Builds the output functions of a linear output for zero-one loss: maps
 * from codes to the nvalues label values or XT_THR_ANY that an affine
 * function c + a.h (c = 0 without bias) realizes, keeping only maximal
 * ones (no XT_THR_ANY entry can take a label value).  canonical as
 * above.  Returns XT_ERR_LIMIT when (nvalues + 1)^(2^k) exceeds
 * XT_THR_MAX_LINEAR_MAPS. */
#define XT_THR_MAX_LINEAR_MAPS (1L << 22)
int xt_thr_functions_linear(xt_thr_functions *f, int k, int bias,
                            const mpq_t *values, int nvalues, int canonical,
                            xt_error_t *err);

/* Bitsets over the n points, (n + 63) / 64 words each. */
static inline int xt_thr_bit(const uint64_t *set, long i)
{
    return (int)((set[i / 64] >> (i % 64)) & 1u);
}
static inline void xt_thr_set_bit(uint64_t *set, long i, int value)
{
    uint64_t mask = (uint64_t)1 << (i % 64);
    if (value)
        set[i / 64] |= mask;
    else
        set[i / 64] &= ~mask;
}

/* Finds (w, b), d + 1 numbers with b last, such that w.x_i + b >= 1 for
 * the points in pos and w.x_i + b <= -margin_neg for those in neg (both
 * bitsets over n points; neg may be NULL for "none").  Without bias, b is
 * fixed to 0.  Scaling makes ">= 1" equivalent to "> 0", so with
 * margin_neg = 1 the LP is feasible exactly when pos and neg are strictly
 * separable.  Returns 1 feasible (wb set), 0 infeasible, or a negative
 * xt error code (message in err).  *lps counts the LPs solved. */
int xt_thr_separate(mpq_t *wb, const mpq_t *x, long n, int d,
                    const uint64_t *pos, const uint64_t *neg, int bias,
                    int margin_neg, long *lps, xt_error_t *err);

/* Sets out (bitset over n points) to the points where w.x_i + b > 0. */
void xt_thr_activation_set(uint64_t *out, const mpq_t *wb, const mpq_t *x,
                           long n, int d);

/* Solves the exact square or overdetermined system rows * z = rhs by
 * Gaussian elimination: a is rows x cols (row-major) with the right-hand
 * side in column cols (so rows x (cols + 1) entries), and it is
 * overwritten.  Returns the rank when the system is consistent (z receives
 * a solution with the free variables 0), or -1 when it is not. */
int xt_thr_linsolve(mpq_t *z, mpq_t *a, int rows, int cols);

/* Enumerates the vertices of P = {(w, b) : w.x_i + b >= 1 on set,
 * w.x_i + b <= -1 off set} over all n points, by trying every choice of
 * d + 1 rows as the tight ones.  Stores at most max_vertices of them in
 * *out (d + 1 numbers each, malloc'd, freed with xt_rat_array_free of
 * count * (d + 1)).  Returns the number of vertices stored, 0 when P has
 * none (a line in P: the points do not span Q^d affinely), -2 when
 * C(n, d + 1) exceeds the limit subsets, -1 when out of memory. */
long xt_thr_vertices(mpq_t **out, const mpq_t *x, long n, int d,
                     const uint64_t *set, long subsets, long max_vertices);

/* What a search is asked to do. */
typedef struct {
    const xt_instance_struct *inst;
    const xt_solve_options *opt;
    int threshold_output;   /* 1: threshold output, 0: linear output */
    int all;                /* 1: visit every solution, never stop */
    long budget;            /* points that may be misclassified */
    xt_network_visit visit; /* called with every solution (may be NULL) */
    void *visit_data;
    long vertex_limit;      /* see xt_solve_threshold_each */
    struct xt_thr_vertex_cache *cache; /* vertex lists by activation set */
} xt_thr_task;

/* Vertex lists already computed, keyed by activation set, so that the
 * many solutions sharing a neuron's set enumerate its vertices once. */
struct xt_thr_vertex_cache *xt_thr_vertex_cache_new(void);
void xt_thr_vertex_cache_free(struct xt_thr_vertex_cache *cache);

/* Calls task->visit with net and, when task->vertex_limit > 0, with the
 * networks built from the vertices of net's separation polyhedra (one
 * per hidden neuron, one for a threshold output with bias).  Returns
 * XT_OK or the visitor's nonzero code. */
int xt_thr_visit_all(const xt_thr_task *task, const xt_network_t net,
                     xt_error_t *err);

/* Per-point data shared by the searches: the index of each point's label
 * in the function list's values, or -1 when no function can output it. */
typedef struct {
    long n;
    size_t words;
    int *label;             /* n value indices or -1 */
} xt_thr_labels;

int xt_thr_labels_init(xt_thr_labels *l, const xt_instance_struct *inst,
                       const xt_thr_functions *f);
void xt_thr_labels_clear(xt_thr_labels *l);

/* Builds the network for function row r of f with hidden neurons
 * wb[j] (d + 1 numbers each, b last).  net is resized. */
int xt_thr_network(xt_network_t net, const xt_thr_functions *f, size_t r,
                   mpq_t *const *wb, int d, int threshold_output,
                   xt_error_t *err);

/* Records a solution network in res when it beats the incumbent, after
 * checking its exact loss with xt_network_loss against the loss the
 * search claims (equal for a threshold output, at most for a linear
 * one).  Calls the visitor.  Returns XT_OK, the visitor's nonzero code, or
 * XT_ERR_INTERNAL when the check fails. */
int xt_thr_record(xt_solve_result_struct *res, const xt_thr_task *task,
                  const xt_network_t net, long claimed, xt_error_t *err);

/* The lazy branching search (branch.c) and the dichotomy enumeration
 * (enumerate.c).  Both fill res (network, loss, statistics) and leave the
 * status to the caller; res->has_network is set when a network within
 * the budget was found.  They return XT_OK, or an error code. */
int xt_thr_branch(xt_solve_result_struct *res, const xt_thr_task *task,
                  const xt_thr_functions *f, xt_error_t *err);
int xt_thr_enumerate(xt_solve_result_struct *res, const xt_thr_task *task,
                     const xt_thr_functions *f, int ordered,
                     xt_error_t *err);

/* Whether a search must stop: time limit or interrupt (flags set in
 * res). */
int xt_thr_should_stop(xt_solve_result_struct *res, const xt_thr_task *task,
                       double start);

#endif
