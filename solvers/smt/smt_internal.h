/* Private pieces of the SMT backend: integer polynomials with Sturm
 * sequences, MPFR intervals, and the bridge to Z3's C API.  Nothing here
 * is part of the public API (include/xtrain/smt.h). */
#ifndef XT_SMT_INTERNAL_H
#define XT_SMT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>      /* before gmp.h, which then declares mpz_out_str */
#include <gmp.h>
#include <mpfr.h>
#include <z3.h>
#include "xtrain/error.h"
#include "xtrain/lp.h"
#include "xtrain/smt.h"

/* ------------------------------------------------ integer polynomials */

/* A univariate polynomial with integer coefficients, lowest degree first:
 * c[0] + c[1] x + ... + c[deg] x^deg with c[deg] != 0, or the zero
 * polynomial when deg < 0.  cap is the number of allocated entries. */
typedef struct {
    int deg;
    int cap;
    mpz_t *c;
} xt_poly;

void xt_poly_init(xt_poly *p);
void xt_poly_clear(xt_poly *p);
/* Makes room for degree deg (entries up to deg initialized to 0). */
void xt_poly_reserve(xt_poly *p, int deg);
/* Sets p to coef[0..deg] and drops leading zeros. */
void xt_poly_set_coefs(xt_poly *p, const mpz_t *coef, int deg);
void xt_poly_set(xt_poly *p, const xt_poly *q);
/* Drops leading zero coefficients. */
void xt_poly_normalize(xt_poly *p);
/* Divides by the content and makes the leading coefficient positive. */
void xt_poly_primitive(xt_poly *p);
void xt_poly_derivative(xt_poly *out, const xt_poly *p);
/* Sign of p(q): -1, 0 or 1, computed exactly. */
int xt_poly_sign_at(const xt_poly *p, const mpq_t q);
/* Sign of p(x) for x tending to +infinity (positive != 0) or to
 * -infinity. */
int xt_poly_sign_at_infinity(const xt_poly *p, int positive);
/* Primitive greatest common divisor with a positive leading coefficient
 * (the zero polynomial when both are zero). */
void xt_poly_gcd(xt_poly *out, const xt_poly *a, const xt_poly *b);
/* Exact quotient a / b of primitive polynomials when b divides a over Q,
 * made primitive.  Returns 0, or -1 when the division leaves a
 * remainder. */
int xt_poly_divide_exact(xt_poly *out, const xt_poly *a, const xt_poly *b);
/* The square-free part p / gcd(p, p'), primitive. */
void xt_poly_squarefree(xt_poly *out, const xt_poly *p);
/* An integer bound B with every real root of p in (-B, B): the smaller
 * of Cauchy's and Fujiwara's bounds. */
void xt_poly_root_bound(mpz_t bound, const xt_poly *p);

/* The Sturm sequence of a square-free polynomial p: p, p', and negated
 * pseudo-remainders scaled by positive factors (Sturm, 1829). */
typedef struct {
    int len;
    xt_poly *seq;
} xt_sturm;

void xt_sturm_init(xt_sturm *s, const xt_poly *p);
void xt_sturm_clear(xt_sturm *s);
/* Number of distinct real roots of p in the half-open interval (lo, hi]
 * (lo < hi).  lo or hi may be NULL for -infinity or +infinity. */
long xt_sturm_count(const xt_sturm *s, const mpq_t lo, const mpq_t hi);

/* Writes p in SMT-LIB syntax in the variable x, the form Z3 prints:
 * (+ (^ x 2) (* (- 1) x) (- 1)). */
void xt_poly_write_smtlib(FILE *stream, const xt_poly *p);

/* --------------------------------------------- algebraic number glue */

/* The rational with the smallest denominator in the open interval
 * (lo, hi), lo < hi, found along the Stern-Brocot tree with continued
 * fractions. */
void xt_simplest_rational(mpq_t out, const mpq_t lo, const mpq_t hi);

/* Sets a from its defining polynomial p (any nonzero polynomial) and an
 * interval [lo, hi] that contains exactly one real root of p.  Returns
 * XT_OK or XT_ERR_INPUT when the interval contains no root or several. */
int xt_algebraic_set_poly_interval(xt_algebraic_t a, const xt_poly *p,
                                   const mpq_t lo, const mpq_t hi,
                                   xt_error_t *err);
/* Copies the defining polynomial of an irrational a into p. */
void xt_algebraic_get_poly(xt_poly *p, const xt_algebraic_t a);

/* ---------------------------------------------------- MPFR intervals */

/* A closed interval [lo, hi] of MPFR numbers; every operation rounds
 * outward, so the exact result of the real operation lies inside. */
typedef struct {
    mpfr_t lo, hi;
} xt_ival;

void xt_ival_init(xt_ival *v, mpfr_prec_t prec);
void xt_ival_clear(xt_ival *v);
void xt_ival_set_q(xt_ival *v, const mpq_t q);
void xt_ival_set_algebraic(xt_ival *v, const xt_algebraic_t a);
void xt_ival_set(xt_ival *v, const xt_ival *u);
void xt_ival_add(xt_ival *v, const xt_ival *a, const xt_ival *b);
void xt_ival_sub(xt_ival *v, const xt_ival *a, const xt_ival *b);
void xt_ival_mul(xt_ival *v, const xt_ival *a, const xt_ival *b);
void xt_ival_sqr(xt_ival *v, const xt_ival *a);
void xt_ival_abs(xt_ival *v, const xt_ival *a);
void xt_ival_max(xt_ival *v, const xt_ival *a, const xt_ival *b);
/* -1 when the interval is below 0, 1 above, 0 when it contains 0. */
int xt_ival_sign(const xt_ival *v);
/* Stores exact rational bounds of v. */
void xt_ival_get_q(mpq_t lo, mpq_t hi, const xt_ival *v);

/* --------------------------------------------------------- Z3 bridge */

/* A Z3 context with the error handler switched off: errors are read with
 * Z3_get_error_code after each call that can fail. */
Z3_context xt_z3_context_new(void);
void xt_z3_context_free(Z3_context c);
/* Copies a string returned by Z3 before the next call overwrites its
 * buffer (Z3 4.8.12 reuses one buffer for every string it returns).
 * Returns a malloc'd string, or NULL when out of memory. */
char *xt_z3_strdup(Z3_string s);
/* Reports Z3's last error in err and returns 1, or returns 0 when there
 * was none. */
int xt_z3_failed(Z3_context c, const char *what, xt_error_t *err);

/* Converts a numeral or algebraic number value to an xt_algebraic_t.  The
 * polynomial comes from Z3_algebraic_get_poly and the isolating interval
 * from Z3_get_algebraic_number_lower/upper.  The root index is never
 * taken from Z3: xtrain computes it from the interval. */
int xt_z3_get_algebraic(xt_algebraic_t out, Z3_context c, Z3_ast value,
                        xt_error_t *err);
/* Builds a Z3 value equal to a: a numeral when a is rational, otherwise
 * the root of its polynomial (Z3_algebraic_roots) inside its isolating
 * interval.  Returns NULL with err set on failure. */
Z3_ast xt_z3_mk_algebraic(Z3_context c, const xt_algebraic_t a,
                          xt_error_t *err);
/* Numeral for a rational. */
Z3_ast xt_z3_mk_rational(Z3_context c, const mpq_t q);
/* Z3's own root index of an algebraic value, read after Z3_ast_to_string
 * (before it, Z3 4.8.12 returns 0).  After a negation it can be wrong;
 * only tests use it, to compare with xt_algebraic_root_index. */
unsigned xt_z3_root_index(Z3_context c, Z3_ast value);

/* ------------------------------------------- linear and mixed programs */

/* A sparse program over named columns, for the CPLEX LP writer and for
 * xt_lp_solve.  Columns are free unless bounded by rows; binary columns
 * make it a MIP.  The objective is obj . x plus the sum of the squares of
 * the columns marked squared. */
typedef struct {
    int col;
    mpq_t value;
} xt_prog_term;

typedef enum { XT_PROG_LE = -1, XT_PROG_EQ = 0, XT_PROG_GE = 1 } xt_prog_sense;

typedef struct {
    int count, cap;
    xt_prog_term *terms;
    xt_prog_sense sense;
    mpq_t rhs;
    char name[40];
} xt_prog_row;

typedef struct {
    int ncols, col_cap;
    char (*names)[40];
    unsigned char *binary, *squared;
    mpq_t *obj;
    int nrows, row_cap;
    xt_prog_row *rows;
} xt_prog;

void xt_prog_init(xt_prog *p);
void xt_prog_clear(xt_prog *p);
/* Adds a free column named by the printf format; returns its index. */
int xt_prog_col(xt_prog *p, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* Starts a row "name: ... sense rhs" with rhs 0; returns its index. */
int xt_prog_row_new(xt_prog *p, xt_prog_sense sense, const char *format,
                    ...) __attribute__((format(printf, 3, 4)));
/* Adds value * column to row (terms of one column are summed). */
void xt_prog_add(xt_prog *p, int row, int col, const mpq_t value);
void xt_prog_add_si(xt_prog *p, int row, int col, long value);
/* Writes p in CPLEX LP format, every row scaled to integers. */
void xt_prog_write_lp(FILE *stream, const xt_prog *p, const char *title);
/* Builds the xt_lp problem of a program without binary columns. */
void xt_prog_to_lp(xt_lp_t lp, const xt_prog *p);

/* The fixed-pattern program of a ReLU or linear instance (see
 * xt_smt_write_pattern_lp); active may be NULL for linear units.  The
 * first columns are the network's: w_J_T and b_J per neuron, then c_O. */
int xt_smt_pattern_program(xt_prog *p, const xt_instance_t inst,
                           const unsigned char *const *active,
                           const int *sign, xt_error_t *err);

/* ------------------------------------------------ checks in a child */

/* A variable whose model value the check reports. */
typedef struct {
    const char *name;
    int boolean;
} xt_smt_var;

/* The outcome of one check. */
typedef struct {
    xt_smt_status status;
    int killed;             /* 1: time limit, 2: interrupt */
    char reason[64];        /* Z3's reason for unknown */
    char *output;           /* everything the child wrote */
    const char *model;      /* the values in output (sat only) */
} xt_smt_run;

void xt_smt_run_init(xt_smt_run *run);
void xt_smt_run_clear(xt_smt_run *run);

/* Checks formula (SMT-LIB declarations and assertions) with a fresh Z3
 * solver for logic in a fresh context, in a child process that is killed
 * after time_limit seconds (0: none) or on Ctrl-C.  On sat run->model
 * has the values of vars[0..count).  Returns XT_OK with run->status
 * set, or XT_ERR_INTERNAL when Z3 rejects the formula, crashes or no
 * process can be started. */
int xt_smt_run_check(xt_smt_run *run, const char *formula,
                     const char *logic, const xt_smt_var *vars, int count,
                     double time_limit, xt_error_t *err);

/* Reads the value of the real variable name from a model (0 when Z3 left
 * it free).  Returns XT_OK or XT_ERR_INTERNAL. */
int xt_smt_model_real(xt_algebraic_struct *out, const char *model,
                      const char *name, xt_error_t *err);
/* The value of a Boolean: 1, 0, or -1 when the model has none. */
int xt_smt_model_bool(const char *model, const char *name);

/* ----------------------------------------------------- SMT encoding */

/* How the formula represents the output weights. */
typedef enum {
    OUT_FREE,       /* a_O_J real variables */
    OUT_ONE,        /* fixed to 1: convex, or linear with one output */
    OUT_SIGN        /* s_J Boolean: +1 or -1 (ReLU, one output) */
} xt_smt_output_form;

xt_smt_output_form xt_smt_output_weights(const xt_instance_t inst,
                                         const xt_smt_options_t opt);

/* Writes the declarations and assertions of the training formula for
 * loss <= target (or < when strict), without set-logic and check-sat. */
int xt_smt_write_body(FILE *stream, const xt_instance_t inst,
                      const xt_algebraic_t target, int strict,
                      const xt_smt_options_t opt, xt_error_t *err);

/* Name of the SMT variable of each weight, as written by the encoder:
 * w_J_T, b_J, a_O_J, c_O with 1-based indices.  buf has room for 48
 * bytes. */
void xt_smt_weight_name(char buf[48], char kind, int i, int j);

#endif
