/* ETR-INV: the source problem of the ER-hardness proofs for training.
 *
 * An ETR-INV system is a conjunction of constraints x = 1, x + y = z and
 * x * y = 1 over real variables that all lie in [1/2, 2]; deciding
 * whether it has a solution is complete for the existential theory of
 * the reals (Abrahamsen, Adamaszek and Miltzow, "The art gallery problem
 * is ER-complete", STOC 2018), and it is the source of the reductions to
 * training of Abrahamsen, Kleist and Miltzow (NeurIPS 2021) and
 * Bertschinger, Hertrich, Jungeblut, Miltzow and Weber (2023).
 * Solutions may be irrational: {y = 1, x + y = z, x * z = 1} forces
 * x = (sqrt 5 - 1) / 2.
 *
 * Text format (comments "c", a header "p etr-inv VARIABLES CONSTRAINTS",
 * one constraint a line over the variables x0 .. x{VARIABLES-1}):
 *
 *     c the golden ratio
 *     p etr-inv 3 3
 *     x1 = 1
 *     x0 + x1 = x2
 *     x0 * x2 = 1
 *
 * Solutions are lines "v xI VALUE", VALUE a rational or (root-obj POLY
 * INDEX).  docs/smt.md describes both. */
#ifndef XTRAIN_ETRINV_H
#define XTRAIN_ETRINV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "xtrain/error.h"
#include "xtrain/smt.h"

/* Largest accepted numbers of variables and constraints. */
#define XT_ETRINV_MAX_VARS 100000
#define XT_ETRINV_MAX_CONSTRAINTS 1000000

/* ---- Systems ------------------------------------------------------ */

typedef enum {
    XT_ETRINV_ONE = 0,  /* x_a = 1 */
    XT_ETRINV_ADD = 1,  /* x_a + x_b = x_c */
    XT_ETRINV_INV = 2   /* x_a * x_b = 1 */
} xt_etrinv_op;

/* One constraint over 0-based variable indices; unused indices are 0. */
typedef struct {
    xt_etrinv_op op;
    int a, b, c;
} xt_etrinv_constraint;

typedef struct {
    int nvars;
    int count;          /* constraints */
    int capacity;
    xt_etrinv_constraint *constraints;
} xt_etrinv_struct;

typedef xt_etrinv_struct xt_etrinv_t[1];

void xt_etrinv_init(xt_etrinv_t sys);
void xt_etrinv_clear(xt_etrinv_t sys);

/* Removes every constraint and sets the number of variables (0 ..
 * XT_ETRINV_MAX_VARS). */
void xt_etrinv_reset(xt_etrinv_t sys, int nvars);

/* Appends a constraint.  Returns XT_OK, XT_ERR_INPUT (an index out of
 * range, an unknown op, too many constraints) or XT_ERR_NOMEM. */
int xt_etrinv_add(xt_etrinv_t sys, xt_etrinv_op op, int a, int b, int c,
                  xt_error_t *err);

/* Copies src into dst.  Returns XT_OK or XT_ERR_NOMEM. */
int xt_etrinv_set(xt_etrinv_t dst, const xt_etrinv_t src);

/* Parses the text format; spaces around symbols are optional.  Errors
 * read "NAME:LINE: what is wrong".  On failure out is unchanged. */
int xt_etrinv_parse(xt_etrinv_t out, const char *text, size_t len,
                    const char *name, xt_error_t *err);

/* Reads a file in the text format. */
int xt_etrinv_read_file(xt_etrinv_t out, const char *path, xt_error_t *err);

/* Writes sys in the text format. */
void xt_etrinv_write(FILE *stream, const xt_etrinv_t sys);

/* Sets sys to the golden-ratio system {x1 = 1, x0 + x1 = x2,
 * x0 * x2 = 1}, whose only solution has x0 = (sqrt 5 - 1) / 2. */
void xt_etrinv_golden(xt_etrinv_t sys);

/* ---- Solutions ---------------------------------------------------- */

typedef struct {
    int n;
    xt_algebraic_struct *value;
} xt_etrinv_solution_struct;

typedef xt_etrinv_solution_struct xt_etrinv_solution_t[1];

void xt_etrinv_solution_init(xt_etrinv_solution_t sol);
void xt_etrinv_solution_clear(xt_etrinv_solution_t sol);

/* Resizes to n values, all 0. */
void xt_etrinv_solution_resize(xt_etrinv_solution_t sol, int n);

/* Writes "v xI VALUE" per variable, each irrational value followed by a
 * comment "c xI = DECIMALS..." with digits correct digits. */
void xt_etrinv_solution_write(FILE *stream, const xt_etrinv_solution_t sol,
                              int digits);

/* Parses "v xI VALUE" lines for the variables 0 .. n - 1 (each exactly
 * once, any order; "c" comment lines allowed). */
int xt_etrinv_solution_parse(xt_etrinv_solution_t sol, int n,
                             const char *text, size_t len, const char *name,
                             xt_error_t *err);

/* Checks exactly whether sol satisfies sys, domain [1/2, 2] included.
 * Comparisons with constants use xtrain's own algebraic numbers.  Sums
 * and products are formed with Z3's real algebraic numbers in a fresh
 * context and compared with xt_algebraic_cmp, and an MPFR interval check
 * must agree.  Sets *holds to 1 or 0 and, when 0, *failed (if not NULL)
 * to the index of the first failing constraint, or -1 - v when variable
 * v is outside [1/2, 2].  Returns XT_OK, XT_ERR_INPUT (wrong number of
 * values) or XT_ERR_INTERNAL. */
int xt_etrinv_check(int *holds, int *failed, const xt_etrinv_t sys,
                    const xt_etrinv_solution_t sol, xt_error_t *err);

/* ---- Deciding with Z3 --------------------------------------------- */

/* Writes sys as an SMT-LIB 2 script (QF_NRA, QF_LRA without products),
 * with every variable bounded to [1/2, 2]. */
void xt_etrinv_write_smt2(FILE *stream, const xt_etrinv_t sys);

/* Decides sys with one Z3 check (a fresh solver, in a child process
 * killed after time_limit seconds; 0: none).  On XT_SMT_SAT, sol is
 * Z3's solution as algebraic numbers, confirmed by xt_etrinv_check.
 * Returns XT_OK with *status set, or XT_ERR_INTERNAL when Z3 fails or
 * its model does not check. */
int xt_etrinv_solve(xt_smt_status *status, xt_etrinv_solution_t sol,
                    const xt_etrinv_t sys, double time_limit,
                    xt_error_t *err);

/* ---- Generators --------------------------------------------------- */

/* A uniformly random system: nconstraints constraints of random kinds (x
 * = 1 with probability 1/6, x + y = z 1/2, x * y = 1 1/3) over random
 * variables among nvars.  rng is splitmix64 state. */
int xt_etrinv_random(xt_etrinv_t out, uint64_t *rng, int nvars,
                     int nconstraints, xt_error_t *err);

/* A system satisfied by a chosen solution.  The first nvalues variables
 * take values[0..nvalues), each in [1/2, 2].  Further variables up to
 * nvars are sums of two earlier ones (when at most 2) or inverses, each
 * with its defining constraint.  Every variable equal to 1 gets x = 1,
 * and relations the values satisfy are added up to nconstraints
 * constraints in all.  Variables are renamed and constraints shuffled at
 * random; planted receives the solution in the new names.  Returns
 * XT_OK, XT_ERR_INPUT (a value outside [1/2, 2], nvars < nvalues) or
 * XT_ERR_INTERNAL. */
int xt_etrinv_plant(xt_etrinv_t out, xt_etrinv_solution_t planted,
                    const xt_algebraic_struct *values, int nvalues,
                    int nvars, int nconstraints, uint64_t *rng,
                    xt_error_t *err);

#endif
