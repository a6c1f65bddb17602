/* Exact linear programs and least-squares quadratic programs.
 *
 * Every problem has free variables x in Q^n and rows of two kinds,
 *
 *     a_i . x >= b_i   (XT_ROW_GE)        a_i . x = b_i   (XT_ROW_EQ),
 *
 * so an upper bound or a <= row is written by negating it.  Objectives:
 *
 *     LP:  minimize  c . x
 *     QP:  minimize  ||M x - t||^2 + c . x     (M is p-by-n, convex)
 *
 * Answers are exact rationals and come with certificates that can be
 * checked with nothing but rational arithmetic (src/check does so):
 *
 *   optimal LP    y with y_i >= 0 on GE rows and A^T y = c, and b . y equal
 *                 to c . x: every feasible point costs at least b . y.
 *   optimal QP    (x, y) with y_i >= 0 on GE rows and
 *                 2 M^T (M x - t) + c = A^T y, x feasible and y_i = 0 on
 *                 every GE row that x leaves slack (KKT).  In general any
 *                 (x', y) with the sign and stationarity conditions gives
 *                 the lower bound f(x') + y . (b - A x') (Wolfe duality).
 *   infeasible    a Farkas ray y: y_i >= 0 on GE rows, A^T y = 0, b.y > 0.
 *   unbounded     a direction r: A_GE r >= 0, A_EQ r = 0, c . r < 0 (LP);
 *                 for a QP also M r = 0.
 *
 * Method: GLPK solves a copy scaled to integers in double precision; the
 * final basis is then re-solved exactly in mpq and all conditions above
 * are verified.  When that fails, or when a coefficient does not fit a
 * double exactly, an exact solver in mpq takes over.  GLPK is never
 * trusted for a value.  QPs use an exact active-set method, started
 * (XT_LP_METHOD_AUTO) from the subspace minimizer of a working set
 * guessed in double precision, or else from a feasible point found by the
 * LP path.  Every certificate is verified exactly before it is
 * returned.
 *
 * GLPK keeps per-thread global state (glp_term_out); the solver silences
 * it during each call and restores it afterwards. */
#ifndef XTRAIN_LP_H
#define XTRAIN_LP_H

#include <gmp.h>
#include "xtrain/error.h"

typedef enum { XT_ROW_GE = 0, XT_ROW_EQ = 1 } xt_row_type;

typedef enum {
    XT_LP_OPTIMAL = 0,
    XT_LP_INFEASIBLE = 1,
    XT_LP_UNBOUNDED = 2,
    XT_LP_ERROR = 3          /* limit reached or internal failure */
} xt_lp_status;

/* A problem.  Dense storage: the problems xtrain solves are small. */
typedef struct {
    int ncols;              /* variables n */
    int nrows;              /* constraint rows */
    int nsq;                /* rows p of M; 0 for an LP */
    mpq_t *a;               /* nrows*ncols, row-major */
    xt_row_type *type;      /* nrows */
    mpq_t *b;               /* nrows */
    mpq_t *c;               /* ncols linear objective */
    mpq_t *m;               /* nsq*ncols, row-major (QP only) */
    mpq_t *t;               /* nsq (QP only) */
    int row_capacity, sq_capacity;
} xt_lp_struct;
typedef xt_lp_struct xt_lp_t[1];

/* A result.  By status:
 *   XT_LP_OPTIMAL     x optimum, y multipliers (0 on rows of all-zero
 *                     coefficients), value the objective at x;
 *   XT_LP_INFEASIBLE  y a Farkas ray, x = 0, value 0;
 *   XT_LP_UNBOUNDED   x a direction r, y = 0, value 0;
 *   XT_LP_ERROR       nothing. */
typedef struct {
    xt_lp_status status;
    mpq_t value;            /* optimal objective value */
    mpq_t *x;               /* ncols: primal optimum, or a direction r */
    mpq_t *y;               /* nrows: duals/multipliers, or a Farkas ray */
    int ncols, nrows;
    /* Statistics for the last solve. */
    int used_exact_fallback; /* 1 when an exact mpq simplex replaced GLPK:
                                skipped (a value does not fit a double),
                                failed, or its basis failed the check */
    long pivots;            /* GLPK iterations plus working-set changes of
                               the exact methods */
} xt_lp_result_struct;
typedef xt_lp_result_struct xt_lp_result_t[1];

/* Initializes an empty problem with ncols variables, no rows, c = 0. */
void xt_lp_init(xt_lp_t lp, int ncols);
void xt_lp_clear(xt_lp_t lp);

/* Appends a row coef . x (type) rhs; coef has ncols entries. Returns the
 * row index. */
int xt_lp_add_row(xt_lp_t lp, const mpq_t *coef, xt_row_type type,
                  const mpq_t rhs);
/* Appends a squared term (coef . x - target)^2 to the objective.
 * Returns its index.  Both return -1 when out of memory. */
int xt_lp_add_square(xt_lp_t lp, const mpq_t *coef, const mpq_t target);

/* Keeps the first nrows rows and nsq squares (larger counts change
 * nothing); the memory stays allocated for rows added later. */
void xt_lp_truncate(xt_lp_t lp, int nrows, int nsq);

/* A result can be reused for many solves; its arrays are resized only
 * when the problem size changes. */
void xt_lp_result_init(xt_lp_result_t res);
void xt_lp_result_clear(xt_lp_result_t res);

/* Solves lp exactly (an LP when nsq == 0, a QP otherwise).  Returns XT_OK
 * with res->status set, or an error code (res->status = XT_LP_ERROR):
 * XT_ERR_INPUT for an invalid row type, XT_ERR_LIMIT when the iteration
 * limit is hit, XT_ERR_NOMEM, or XT_ERR_INTERNAL when a certificate
 * failed its exact verification (a bug).  err may be NULL. */
int xt_lp_solve(xt_lp_result_t res, const xt_lp_t lp, xt_error_t *err);

/* The same, with a method forced (for tests and benchmarks). */
typedef enum {
    XT_LP_METHOD_AUTO = 0,      /* GLPK, verified; exact fallback */
    XT_LP_METHOD_EXACT = 1      /* exact mpq method only */
} xt_lp_method;
int xt_lp_solve_method(xt_lp_result_t res, const xt_lp_t lp,
                       xt_lp_method method, xt_error_t *err);

/* Frees GLPK's environment of the calling thread.  GLPK keeps one per
 * thread and never frees it by itself, so a worker thread that solved LPs
 * calls this before it ends.  Later solves in the thread start a new one. */
void xt_lp_release_thread(void);

#endif
