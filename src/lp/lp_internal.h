/* Internal interfaces of the exact LP and QP layer.  Not installed.
 *
 * Inside src/lp every problem is in internal form: each row of the
 * caller's problem is multiplied by a positive rational s_i so that its
 * coefficients and right-hand side are coprime integers, all-zero rows
 * are removed, and the objective is
 *
 *     f(x) = 1/2 x^T H x + lin . x          (H = NULL for an LP).
 *
 * Certificates are computed and verified in this form and then mapped
 * back: x is unchanged and y_i = s_i * y'_i / (objective scale). */
#ifndef XT_LP_INTERNAL_H
#define XT_LP_INTERNAL_H

#include <gmp.h>
#include "xtrain/lp.h"

typedef struct {
    int n, m;
    mpz_t *a;               /* m*n integer coefficients, row-major */
    mpz_t *b;               /* m */
    unsigned char *eq;      /* m: 1 for an equality row */
    mpq_t *hess;            /* n*n Hessian H, NULL for an LP */
    mpq_t *lin;             /* n linear objective */
} xt_lp_prob;

/* A certificate in internal form (see lp.h for the conditions). */
typedef struct {
    xt_lp_status status;
    int n, m;
    mpq_t *x;               /* n: point, or direction when unbounded */
    mpq_t *y;               /* m: multipliers, or Farkas ray */
} xt_lp_cert;

typedef struct {
    long pivots;            /* working-set changes plus GLPK iterations */
    int fallback;           /* 1 when an exact mpq method replaced GLPK */
} xt_lp_stats;

/* Allocates P with every entry 0 (a Hessian only when with_hess).
 * Returns XT_OK or XT_ERR_NOMEM (P is then empty and safe to free). */
int xt_lp_prob_alloc(xt_lp_prob *P, int n, int m, int with_hess);
void xt_lp_prob_free(xt_lp_prob *P);

int xt_lp_cert_alloc(xt_lp_cert *C, int n, int m);
void xt_lp_cert_free(xt_lp_cert *C);
/* Sets every entry to 0 and the status to XT_LP_ERROR. */
void xt_lp_cert_reset(xt_lp_cert *C);

/* Arrays of initialized GMP values; NULL when count is 0 or on failure. */
mpz_t *xt_lp_zvec_new(int count);
void xt_lp_zvec_free(mpz_t *v, int count);
mpq_t *xt_lp_qvec_new(int count);
void xt_lp_qvec_free(mpq_t *v, int count);

/* ---- Exact linear algebra (lp_linalg.c) ---- */

/* Brings the rows x cols block of a (row stride stride) to reduced row
 * echelon form in place, choosing pivots only in the first pivcols
 * columns.  Stores the pivot column of row r in piv[r] and returns the
 * rank.  tmp points to two scratch rationals. */
int xt_lp_rref(mpq_t *a, int rows, int cols, int stride, int pivcols,
               int *piv, mpq_t *tmp);

/* Solves the k-by-k system whose augmented k x (k+1) integer matrix is a
 * (destroyed), fraction-free (Bareiss).  On success sets the solution to
 * num[i] / den with den > 0 and returns 1; returns 0 when singular.  tmp
 * points to two scratch integers. */
int xt_lp_bareiss_solve(mpz_t *a, int k, mpz_t *num, mpz_t den,
                        mpz_t *tmp);

/* Writes v (len entries) as num[i] / den, den > 0 the lcm of the
 * denominators. */
void xt_lp_common_den(mpz_t *num, mpz_t den, const mpq_t *v, int len);

/* Sets slack[i] = (a_i . x - b_i) * den for every row, where x = num/den. */
void xt_lp_row_slacks(mpz_t *slack, const xt_lp_prob *P, const mpz_t *num,
                      const mpz_t den);

/* Replaces the nonzero rational vector v by a primitive integer vector
 * out = kappa * v with kappa > 0; returns 0 when v is zero. */
int xt_lp_primitive(mpz_t *out, mpq_t kappa, const mpq_t *v, int len);

/* ---- Verification in internal form (lp_verify.c): 1 when valid ---- */

int xt_lp_verify_feasible(const xt_lp_prob *P, const mpq_t *x);
/* Optimal LP: x feasible, y_GE >= 0, A^T y = lin, lin . x = b . y. */
int xt_lp_verify_lp_optimal(const xt_lp_prob *P, const mpq_t *x,
                            const mpq_t *y);
/* Optimal QP: x feasible, y_GE >= 0, A^T y = H x + lin, y_i = 0 on every
 * slack GE row. */
int xt_lp_verify_kkt(const xt_lp_prob *P, const mpq_t *x, const mpq_t *y);
/* Farkas ray: y_GE >= 0, A^T y = 0, b . y > 0. */
int xt_lp_verify_farkas(const xt_lp_prob *P, const mpq_t *y);
/* Unbounded direction: A_GE r >= 0, A_EQ r = 0, lin . r < 0, H r = 0. */
int xt_lp_verify_ray(const xt_lp_prob *P, const mpq_t *r);
/* Verifies C against P by its status (optimal: LP or KKT conditions). */
int xt_lp_verify_cert(const xt_lp_prob *P, const xt_lp_cert *C);

/* ---- Exact active-set method (lp_active.c) ---- */

/* Minimizes f over P exactly from the feasible point x0 (n entries).
 * Rows in hint that are tight at x0 are preferred for the first working
 * set.  An LP (no Hessian) is solved by the primal simplex method in
 * active-set form with Bland's rule.  A QP is solved by a primal
 * active-set method that settles degenerate points with an exact local
 * LP.  Fills C with
 * XT_LP_OPTIMAL (x, y) or XT_LP_UNBOUNDED (x = direction) and returns
 * XT_OK, or returns XT_ERR_LIMIT, XT_ERR_NOMEM or XT_ERR_INTERNAL. */
int xt_lp_active_solve(xt_lp_cert *C, const xt_lp_prob *P, const mpq_t *x0,
                       const int *hint, int nhint, xt_lp_stats *st);

/* QP only: moves base onto the working set spanned by the EQ rows and
 * rows (independent ones kept), to the minimizer of f there.  When that
 * point is feasible, sets *started and continues the active-set method
 * from it as xt_lp_active_solve does; otherwise leaves C untouched. */
int xt_lp_active_crossover(xt_lp_cert *C, int *started, const xt_lp_prob *P,
                           const mpq_t *base, const int *rows, int nrows,
                           xt_lp_stats *st);

/* ---- Numeric warm start (lp_numeric.c) ---- */

/* Guesses the optimal working set of the QP P in double precision.
 * Returns 1 with a rounded point in x (n entries) and rows of P in w
 * (room for n + 1, count *k), or 0 when no guess was found. */
int xt_lp_numeric_guess(const xt_lp_prob *P, mpq_t *x, int *w, int *k);

/* ---- Phase 1 (lp_phase1.c) ---- */

/* Builds the phase-1 LP of P in variables (x, t): a_i x + t >= b_i for
 * each GE row, a_i x + t >= b_i and -a_i x + t >= -b_i for each EQ row,
 * and t >= 0 as the last row; the objective is t. */
int xt_lp_phase1_build(xt_lp_prob *Q, const xt_lp_prob *P);
/* Maps multipliers lam of the phase-1 LP to a ray y of P. */
void xt_lp_phase1_ray(mpq_t *y, const mpq_t *lam, const xt_lp_prob *P);
/* Returns 1 when every b_i <= 0 on GE rows and b_i = 0 on EQ rows, so
 * x = 0 is feasible. */
int xt_lp_zero_feasible(const xt_lp_prob *P);
/* Finds a feasible point of P exactly: C->status = XT_LP_OPTIMAL with the
 * point in C->x, or XT_LP_INFEASIBLE with a Farkas ray in C->y. */
int xt_lp_exact_feasible(xt_lp_cert *C, const xt_lp_prob *P,
                         xt_lp_stats *st);

/* ---- GLPK with exact re-derivation (lp_glpk.c) ---- */

/* Returns 1 when lin is integral and every integer of P is below 2^53 in
 * magnitude, so that a double holds it exactly. */
int xt_lp_prob_fits_double(const xt_lp_prob *P);

/* Solves the LP P with GLPK's simplex and recomputes the final basis
 * exactly.  Sets *verdict to XT_LP_OPTIMAL when C holds a verified
 * optimal certificate, to XT_LP_INFEASIBLE when GLPK claims so
 * (unverified), and to XT_LP_ERROR otherwise.  When the basic
 * point is exactly feasible, *warm is set to 1, C->x holds it and tight
 * (at least m entries) its nonbasic rows, *ntight of them.  Requires
 * xt_lp_prob_fits_double(P) and P->m > 0. */
int xt_lp_glpk_solve(xt_lp_cert *C, int *verdict, int *warm, int *tight,
                     int *ntight, const xt_lp_prob *P, xt_lp_stats *st);

#endif
