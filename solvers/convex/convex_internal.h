/* Private declarations of the convex fixed-parameter solver (the branching
 * search for exact fitting with all output weights +1; see convex.c).
 *
 * Column layout of every node LP (the same as the enumeration solver's):
 *   neuron j: w_j at j*(d+1) .. j*(d+1)+d-1, b_j at j*(d+1)+d;
 *   then the output bias c when the instance allows one;
 *   in the extended form, then z_ij at D + i*k + j.
 * D = k(d+1) (+1 with an output bias) is the dimension of theta. */
#ifndef XT_CONVEX_INTERNAL_H
#define XT_CONVEX_INTERNAL_H

#include <stdio.h>
#include "xtrain/instance.h"
#include "xtrain/lp.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"

/* Largest k: a node has up to 2^k children and row indices are
 * i * 2^k + T. */
#define XT_CONVEX_MAX_HIDDEN 16

/* How the polyhedron P = { theta : c + g_T(x_i) <= y_i for all i, T } is
 * given to the LP layer. */
typedef enum {
    XT_CONVEX_FORM_LAZY = 0,  /* subset rows added when violated */
    XT_CONVEX_FORM_SUBSETS,   /* all n * 2^k subset rows */
    XT_CONVEX_FORM_EXTENDED   /* z_ij >= 0, z_ij >= l_j(x_i), O(nk) rows */
} xt_convex_form;

/* Which non-tight point a node branches on. */
typedef enum {
    XT_CONVEX_BRANCH_MAX_SLACK = 0, /* largest y_i - f(x_i) */
    XT_CONVEX_BRANCH_MIN_SLACK,     /* smallest positive y_i - f(x_i) */
    XT_CONVEX_BRANCH_FIRST,         /* lowest index */
    XT_CONVEX_BRANCH_FEWEST         /* fewest feasible children among the
                                       points of largest slack (probes) */
} xt_convex_branch;

typedef struct {
    xt_convex_form form;
    xt_convex_branch branch;
    int symmetry;   /* 1: one child per class of interchangeable subsets */
    int rounds;     /* linearization LPs per node; 0: feasibility only */
    int probes;     /* BRANCH_FEWEST: candidate points probed per node */
} xt_convex_options;

/* Sets the defaults used by xt_solve_convex. */
void xt_convex_options_default(xt_convex_options *copt);

/* xt_solve_convex with the search options given explicitly (for tests
 * and benchmarks).  copt->symmetry is overridden to 0 by opt->naive. */
int xt_convex_solve(xt_solve_result_t res, const xt_instance_t inst,
                    const xt_solve_options *opt,
                    const xt_convex_options *copt, xt_error_t *err);

/* An equality c + g_T(x_i) = y_i, or a fit row c + g_T(x_i) <= y_i;
 * subset has bit j set when neuron j is in T. */
typedef struct {
    long point;
    unsigned subset;
} xt_convex_pair;

/* Certificate writer (certificate.c): a JSON file streamed while the
 * search runs, rewritten with the network alone on a YES answer. */
typedef struct {
    FILE *stream;
    const char *path;
    long entries;
} xt_convex_certificate;

/* The state of one search. */
typedef struct {
    const xt_instance_struct *inst;
    const xt_solve_options *opt;
    xt_convex_options copt;
    xt_solve_result_struct *res;
    int d, k, dim, bias_col;
    long n;
    unsigned full;            /* 2^k: number of subsets T */

    xt_convex_pair *eq;       /* equalities E on the current path */
    int neq;
    xt_convex_pair *rows;     /* lazy form: fit rows in the LP (a stack) */
    long nrows, rows_cap;

    /* The current node's theta and its evaluation. */
    mpq_t *theta;             /* dim */
    mpq_t *act;               /* n*k: l_j(x_i) = w_j . x_i + b_j */
    mpq_t *slack;             /* n: y_i - f(x_i) */
    unsigned *active;         /* n: { j : l_j(x_i) > 0 } */
    /* The node's evaluation, swapped in and out around probes. */
    mpq_t *save_theta, *save_act, *save_slack;
    unsigned *save_active;
    unsigned **level_obj;     /* 2 arrays of n per depth, and the root's */
    int nlevels;

    /* Farkas ray of the last infeasible node, in certificate rows. */
    long *ray_row;
    mpq_t *ray_val;
    long ray_len, ray_cap;

    xt_lp_result_t lpres;
    mpq_t *coef;              /* scratch row of the widest LP */
    int coef_len;
    mpq_t tmp;

    xt_convex_certificate cert;
    int writing_certificate;
    int found, stop;
    double start;
} xt_convex_search;

/* ---- node.c: the LP of a node ---- */

/* Finds theta in P satisfying the equalities s->eq, steered by the
 * objective "maximize sum_i c + g_{obj[i]}(x_i)" for up to
 * s->copt.rounds linearization steps (obj is updated to the active sets
 * each step).  On success sets *feasible; theta, act, slack and active
 * hold the evaluation of theta, or the ray arrays a Farkas ray in
 * certificate row numbers (see docs/certificates.md) when infeasible. */
int xt_convex_node_solve(xt_convex_search *s, unsigned *obj, int *feasible,
                         xt_error_t *err);

/* The same without an objective: only decides feasibility (and leaves
 * some theta in P, or a ray). */
int xt_convex_node_feasible(xt_convex_search *s, int *feasible,
                            xt_error_t *err);

/* Evaluates s->theta on every point: act, slack and active. */
void xt_convex_evaluate(xt_convex_search *s);

/* ---- search.c ---- */

/* Runs Search({}) from the root.  Sets s->found (theta then fits) or
 * s->stop (limit or interrupt); neither means the tree proves NO. */
int xt_convex_search_run(xt_convex_search *s, xt_error_t *err);

/* ---- certificate.c ---- */

int xt_convex_certificate_open(xt_convex_certificate *cert,
                               const char *path, const xt_instance_t inst,
                               xt_error_t *err);
/* Writes an inner node: its branch point. */
void xt_convex_certificate_inner(xt_convex_certificate *cert, long id,
                                 long parent, unsigned subset, int k,
                                 long point);
/* Writes a leaf: the Farkas ray of its LP. */
void xt_convex_certificate_leaf(xt_convex_certificate *cert, long id,
                                long parent, unsigned subset, int k,
                                const long *rows, const mpq_t *values,
                                long len);
/* Ends the file.  For claim "feasible" the file is rewritten with the
 * network alone. */
int xt_convex_certificate_close(xt_convex_certificate *cert,
                                const xt_instance_t inst, const char *claim,
                                const xt_network_t net, xt_error_t *err);

#endif
