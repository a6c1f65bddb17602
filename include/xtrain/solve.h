/* The exact solvers behind one dispatcher.
 *
 * xt_solve reads the problem from the instance (k = inst->hidden, loss,
 * target, output bias, convex) and returns a network with its exact loss
 * and, for a proven answer, a certificate file when one was requested. */
#ifndef XTRAIN_SOLVE_H
#define XTRAIN_SOLVE_H

#include <gmp.h>
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"

typedef enum {
    XT_METHOD_AUTO = 0,
    XT_METHOD_ENUM,       /* activation-pattern enumeration (ReLU) */
    XT_METHOD_CONVEX,     /* branching FPT search, convex, target 0 */
    XT_METHOD_THRESHOLD,  /* enumeration for threshold networks */
    XT_METHOD_SMT,        /* Z3 on the ETR formula */
    XT_METHOD_MIP         /* big-M MIP in GLPK, for comparison */
} xt_method;

typedef enum {
    XT_SOLVE_OPTIMAL = 0,    /* loss is the proven global optimum */
    XT_SOLVE_FEASIBLE = 1,   /* network meets the target (decision) */
    XT_SOLVE_INFEASIBLE = 2, /* proven: no network meets the target */
    XT_SOLVE_UNKNOWN = 3     /* limit or interrupt: nothing proven */
} xt_solve_status;

typedef struct {
    xt_method method;
    double time_limit;            /* seconds; 0 means none */
    const char *certificate_path; /* write a certificate here, or NULL */
    int naive;                    /* no symmetry reduction or pruning */
    int threads;                  /* 0: all cores */
    long max_patterns;            /* refuse larger enumerations; 0 none */
} xt_solve_options;

void xt_solve_options_init(xt_solve_options *opt);

typedef struct {
    xt_solve_status status;
    int has_network;
    xt_network_t network;    /* best network found */
    mpq_t loss;              /* its exact loss */
    int has_lower;
    mpq_t lower;             /* proven lower bound on the optimum */
    const char *method_name; /* the method that ran */
    int interrupted;         /* stopped by Ctrl-C or SIGTERM */
    int time_limit_reached;
    double weight_bound;     /* mip: assumed bound on |w|, |b|; 0 none */

    /* Statistics. */
    long dichotomies;        /* per-neuron activation sets */
    long patterns;           /* combinations examined */
    long subproblems;        /* LPs or QPs solved */
    long infeasible;         /* subproblems with a Farkas ray */
    long pruned;             /* patterns skipped by a valid bound */
    long exact_fallbacks;    /* LP solves that needed the exact method */
    long nodes;              /* search-tree nodes (convex) */
    int depth;               /* deepest search node with a feasible LP */
    double seconds_enumerate, seconds_solve, seconds_total;
} xt_solve_result_struct;
typedef xt_solve_result_struct xt_solve_result_t[1];

void xt_solve_result_init(xt_solve_result_t res);
void xt_solve_result_clear(xt_solve_result_t res);

const char *xt_solve_status_name(xt_solve_status status);
/* Returns 0 and sets *out, or -1 for an unknown method name. */
int xt_method_parse(xt_method *out, const char *name);

/* Solves inst exactly.  Returns XT_OK (res->status tells the outcome),
 * XT_ERR_INPUT when the instance does not fit the method (message set),
 * or another error code. */
int xt_solve(xt_solve_result_t res, const xt_instance_t inst,
             const xt_solve_options *opt, xt_error_t *err);

/* The enumeration solver itself (solvers/enum). */
int xt_solve_enum(xt_solve_result_t res, const xt_instance_t inst,
                  const xt_solve_options *opt, xt_error_t *err);

/* The MPI rank of this process: 0 unless xtrain was built with XT_MPI
 * and started by mpirun.  The enumeration solver shares its search among
 * the processes, and every process returns the same result; only rank 0
 * should print it. */
int xt_solve_rank(void);

/* The big-M MIP baseline in GLPK (solvers/mip), for comparison only:
 * weights bounded by a box stated on the log, GLPK in double precision,
 * the best pattern re-solved and its loss recomputed exactly.  Proves no
 * lower bound: the status is UNKNOWN, or FEASIBLE when a target is met. */
int xt_solve_mip(xt_solve_result_t res, const xt_instance_t inst,
                 const xt_solve_options *opt, xt_error_t *err);

/* The threshold-network solver (solvers/threshold): hidden neurons
 * [w.x + b > 0], zero-one loss, 1 to 4 neurons, one output.  The output
 * is a threshold [c + a.h > 0] when every label is 0 or 1 and linear
 * otherwise.  opt->naive selects the plain enumeration of dichotomy
 * tuples without symmetry reduction. */
int xt_solve_threshold(xt_solve_result_t res, const xt_instance_t inst,
                       const xt_solve_options *opt, xt_error_t *err);

/* Receives each network a search finds.  A nonzero return stops the
 * search, and the search returns that value. */
typedef int (*xt_network_visit)(void *data, const xt_network_t net);

enum {
    XT_THRESHOLD_ENUMERATE = 1,     /* dichotomy tuples, not branching */
    XT_THRESHOLD_ALL_FUNCTIONS = 2, /* no symmetry reduction */
    XT_THRESHOLD_LINEAR_OUTPUT = 4  /* linear output even on 0/1 labels */
};

/* Runs the threshold solver to completion and calls visit with every
 * network it finds that meets the target (every leaf of the branching
 * search, or every dichotomy tuple and output function of the
 * enumeration).  With vertex_limit > 0 it also visits, for each of
 * them, the networks made from the vertices of each neuron's separation
 * polyhedron when there are at most vertex_limit row subsets to try.
 * res->status is FEASIBLE when some network meets the target and
 * INFEASIBLE when the complete search found none. */
int xt_solve_threshold_each(xt_solve_result_t res, const xt_instance_t inst,
                            const xt_solve_options *opt, int flags,
                            long vertex_limit, xt_network_visit visit,
                            void *data, xt_error_t *err);

/* The branching search for convex instances with target 0 (solvers/convex):
 * all output weights +1, exact fit.  Branches on points until every point
 * is tight (Froese and Hertrich, NeurIPS 2023, fixed-parameter tractable
 * in d and k); res->nodes and res->depth describe the search tree, and
 * res->patterns repeats res->nodes.  Returns XT_ERR_INPUT when the
 * instance is not convex, has no target 0, more than one output, another
 * activation than relu, or more than 16 hidden neurons. */
int xt_solve_convex(xt_solve_result_t res, const xt_instance_t inst,
                    const xt_solve_options *opt, xt_error_t *err);

#endif
