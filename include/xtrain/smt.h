/* The SMT backend: training as a formula of real arithmetic, decided by
 * Z3, with real algebraic weights.
 *
 * Training a two-layer network to loss at most gamma is a sentence of the
 * existential theory of the reals, and for some rational instances every
 * optimal network has irrational weights (Abrahamsen, Kleist and Miltzow,
 * "Training Neural Networks is ER-complete", NeurIPS 2021).  This module
 * therefore has four parts:
 *
 *   - real algebraic numbers (xt_algebraic_t): a root of an integer
 *     polynomial given by an isolating interval, printed in SMT-LIB
 *     root-obj form or as decimals;
 *   - networks whose weights are algebraic numbers, their file format and
 *     their verification (MPFR interval evaluation at growing precision,
 *     and exact evaluation with Z3's algebraic number API);
 *   - the encoding of an instance as SMT-LIB 2 (QF_NRA, or QF_LRA when
 *     the formula is linear) and of its fixed-pattern LPs and big-M MIP in
 *     CPLEX LP format;
 *   - decisions and optimization with Z3's C API (xt_solve_smt).
 *
 * Nothing Z3 returns is trusted: every model is re-evaluated exactly
 * before it is reported.  docs/smt.md describes the encodings. */
#ifndef XTRAIN_SMT_H
#define XTRAIN_SMT_H

#include <stddef.h>
#include <stdio.h>
#include <gmp.h>
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"

/* ------------------------------------------------ algebraic numbers */

/* A real algebraic number.  When degree is 0 the number is the rational
 * lo (and hi equals lo).  Otherwise it is the only real root of the
 * square-free primitive integer polynomial poly[0] + poly[1] x + ... +
 * poly[degree] x^degree in the open interval (lo, hi), and poly has no
 * root at lo or hi.  The value never changes when the interval is
 * refined. */
typedef struct {
    int degree;
    mpz_t *poly;        /* degree + 1 coefficients, lowest degree first */
    mpq_t lo, hi;
} xt_algebraic_struct;

typedef xt_algebraic_struct xt_algebraic_t[1];

/* Initializes a to 0. */
void xt_algebraic_init(xt_algebraic_t a);
void xt_algebraic_clear(xt_algebraic_t a);

/* Copies op into rop. */
void xt_algebraic_set(xt_algebraic_t rop, const xt_algebraic_t op);

/* Sets a to the rational q. */
void xt_algebraic_set_q(xt_algebraic_t a, const mpq_t q);

/* Sets a to the index-th smallest real root (index from 1, the SMT-LIB
 * root-obj convention) of coef[0] + ... + coef[degree] x^degree.  A
 * rational root is stored as a rational.  Returns XT_OK, or XT_ERR_INPUT
 * when the polynomial is zero or has fewer real roots than index. */
int xt_algebraic_set_root(xt_algebraic_t a, const mpz_t *coef, int degree,
                          unsigned long index, xt_error_t *err);

/* Sets a to the only real root of the polynomial in the closed interval
 * [lo, hi].  Returns XT_ERR_INPUT when the interval contains no root or
 * more than one. */
int xt_algebraic_set_interval(xt_algebraic_t a, const mpz_t *coef,
                              int degree, const mpq_t lo, const mpq_t hi,
                              xt_error_t *err);

/* Returns 1 when a is rational, and then stores it in q when q is not
 * NULL.  An irrational a returns 0 (its polynomial has no rational root
 * in the interval, checked when a was set). */
int xt_algebraic_get_q(mpq_t q, const xt_algebraic_t a);

/* Position of a among the real roots of its polynomial, from 1, computed
 * from the isolating interval with a Sturm sequence; 1 for a rational. */
unsigned long xt_algebraic_root_index(const xt_algebraic_t a);

/* Shrinks the isolating interval of a by bisection until hi - lo is at
 * most 2^-bits.  No-op for a rational. */
void xt_algebraic_refine(xt_algebraic_t a, long bits);

/* Stores in q the rational with the smallest denominator within 2^-bits
 * of a (strictly inside its isolating interval once refined to that
 * width), or a itself when a is rational. */
void xt_algebraic_round(mpq_t q, const xt_algebraic_t a, long bits);

/* Sign of a - q, exact. */
int xt_algebraic_cmp_q(const xt_algebraic_t a, const mpq_t q);

/* Sign of a - b, exact (equality is decided with a polynomial gcd). */
int xt_algebraic_cmp(const xt_algebraic_t a, const xt_algebraic_t b);

/* Writes a rational as its canonical text ("-3/4") and an irrational as
 * (root-obj POLY INDEX) with POLY in the variable x, as Z3 prints it. */
void xt_algebraic_print(FILE *stream, const xt_algebraic_t a);

/* Returns the text of xt_algebraic_print in a malloc'd string, or NULL
 * when out of memory. */
char *xt_algebraic_to_string(const xt_algebraic_t a);

/* Writes a as a decimal with digits digits after the point.  A rational
 * is rounded to the nearest; an irrational is truncated toward zero and
 * followed by "...", so every printed digit is correct. */
void xt_algebraic_print_decimal(FILE *stream, const xt_algebraic_t a,
                                int digits);

/* Parses len bytes of text: a rational in any form xt_rat_parse accepts,
 * or (root-obj POLY INDEX) where POLY is built from integers, the
 * variable x, +, -, * and ^ with a constant exponent.  POLY and each of
 * its subterms, expanded, must satisfy (degree + 1)^2 * bits <= 65536,
 * bits the length of the largest coefficient in binary, so that root
 * isolation stays fast; a product is checked against an upper bound of
 * its size before it is computed.  Returns XT_OK or XT_ERR_INPUT with a
 * message.
 * NOTE: xt_algebraic_print has no such limit, so a number from Z3 with a
 * larger polynomial is printed but cannot be read back. */
int xt_algebraic_parse(xt_algebraic_t a, const char *text, size_t len,
                       xt_error_t *err);

/* ------------------------------------------------ algebraic networks */

/* A network of the shape of xt_network_struct whose weights are real
 * algebraic numbers (same layout: w[j*d + t], b[j], a[o*k + j], c[o]). */
typedef struct {
    int d, k, m;
    xt_activation activation;
    int threshold_output;
    int has_output_bias;
    xt_algebraic_struct *w, *b, *a, *c;
} xt_algebraic_network_struct;

typedef xt_algebraic_network_struct xt_algebraic_network_t[1];

void xt_algebraic_network_init(xt_algebraic_network_t net);
void xt_algebraic_network_clear(xt_algebraic_network_t net);

/* Resizes to d inputs, k neurons and m outputs, all weights 0.  Returns
 * XT_OK or XT_ERR_INPUT (sizes out of range). */
int xt_algebraic_network_resize(xt_algebraic_network_t net, int d, int k,
                                int m, xt_error_t *err);

/* Copies src into dst (dst is resized). */
int xt_algebraic_network_set(xt_algebraic_network_t dst,
                             const xt_algebraic_network_t src);

/* Replaces every irrational weight by xt_algebraic_round(weight, bits). */
void xt_algebraic_network_round(xt_algebraic_network_t net, long bits);

/* Copies a rational network. */
int xt_algebraic_network_set_network(xt_algebraic_network_t out,
                                     const xt_network_t net);

/* Copies net into out when every weight is rational and returns XT_OK;
 * returns XT_ERR_INPUT (out unchanged) when some weight is irrational. */
int xt_algebraic_network_get_network(xt_network_t out,
                                     const xt_algebraic_network_t net,
                                     xt_error_t *err);

/* Checks that net fits inst: shape, activation, output bias only when
 * allowed, every output weight exactly 1 for a convex instance, and a
 * zero weight on every edge an architecture section leaves out (the
 * rules of xt_network_conforms).  Returns XT_OK or XT_ERR_INPUT. */
int xt_algebraic_network_conforms(const xt_algebraic_network_t net,
                                  const xt_instance_t inst, xt_error_t *err);

/* Number of irrational weights. */
long xt_algebraic_network_irrational(const xt_algebraic_network_t net);

/* Writes the network text format (xtrain-network 1); every irrational
 * weight is written as (root-obj POLY INDEX). */
void xt_algebraic_network_write(FILE *stream,
                                const xt_algebraic_network_t net);

/* Reads the network text format with weights that are rationals or
 * root-obj terms.  Errors name the file and line. */
int xt_algebraic_network_read_string(xt_algebraic_network_t net,
                                     const char *text, const char *name,
                                     xt_error_t *err);
int xt_algebraic_network_read_file(xt_algebraic_network_t net,
                                   const char *path, xt_error_t *err);

/* Returns 1 when the file at path contains the word root-obj (so that it
 * needs xt_algebraic_network_read_file), 0 when not, -1 when it cannot
 * be read. */
int xt_algebraic_network_file_test(const char *path);

/* ------------------------------------------- verifying such networks */

/* The loss of an algebraic network and its comparison with a target. */
typedef struct {
    int exact;              /* 1: loss is the exact loss */
    xt_algebraic_t loss;    /* exact loss (when exact) */
    mpq_t loss_lo, loss_hi; /* rational enclosure of the loss */
    int has_target;
    int meets_target;       /* loss <= target (< when strict), proven */
    int decided_by_intervals; /* the intervals alone proved the result */
    long precision;         /* MPFR bits of the last interval evaluation */
} xt_algebraic_loss_struct;

typedef xt_algebraic_loss_struct xt_algebraic_loss_t[1];

void xt_algebraic_loss_init(xt_algebraic_loss_t rep);
void xt_algebraic_loss_clear(xt_algebraic_loss_t rep);

/* Evaluates net on inst under the loss kind and compares it with target
 * (NULL: no comparison; strict: loss < target).  First the network is
 * evaluated in MPFR interval arithmetic at 64, 128, ... bits, up to
 * 4096; then exactly with Z3's real algebraic numbers (Z3_algebraic_*),
 * in a fresh context, which gives the exact loss.  The two must agree:
 * when the exact loss lies outside an interval enclosure the function
 * returns XT_ERR_INTERNAL.  Returns XT_OK, XT_ERR_INPUT for mismatched
 * shapes, or XT_ERR_INTERNAL. */
int xt_algebraic_network_loss(xt_algebraic_loss_t rep,
                              const xt_algebraic_network_t net,
                              const xt_instance_t inst, xt_loss kind,
                              const xt_algebraic_struct *target, int strict,
                              xt_error_t *err);

/* The same with intervals only (no Z3), up to max_bits bits: rep->exact
 * is 0 and rep->meets_target is valid only when decided_by_intervals. */
int xt_algebraic_network_loss_intervals(xt_algebraic_loss_t rep,
                                        const xt_algebraic_network_t net,
                                        const xt_instance_t inst,
                                        xt_loss kind,
                                        const xt_algebraic_struct *target,
                                        int strict, long max_bits,
                                        xt_error_t *err);

/* ------------------------------------------------------ the encoding */

typedef enum {
    XT_SMT_RELU_ITE = 0,        /* h = (ite (> z 0) z 0) */
    XT_SMT_RELU_DISJUNCTION = 1 /* h >= 0, h >= z, (h = 0 or h = z) */
} xt_smt_relu_encoding;

typedef struct {
    xt_smt_relu_encoding relu;
    int has_weight_bound;   /* every weight in [-bound, bound] */
    mpq_t weight_bound;
    int use_enum_bound;     /* optimization: start from xt_solve_enum */
    int polish;             /* optimization: re-solve the pattern's LP */
    long max_queries;       /* optimization: at most this many checks */
    long gap_bits;          /* stop bisecting at hi - lo <= 2^-gap_bits */
} xt_smt_options_struct;

typedef xt_smt_options_struct xt_smt_options_t[1];

/* Sets the defaults: ITE encoding (the faster one with Z3 4.8.12, see
 * docs/smt.md), no weight bound, enumeration bound and polishing on, 60
 * queries, gap 2^-20. */
void xt_smt_options_init(xt_smt_options_t opt);
void xt_smt_options_clear(xt_smt_options_t opt);

/* Returns "QF_LRA" when the formula for inst is linear, "QF_NRA"
 * otherwise.  It is linear when the loss is not l2, the target (NULL for
 * a rational one) is rational, and either the activation is threshold or
 * the output weights are fixed (convex, or one output without a weight
 * bound: see xt_smt_write). */
const char *xt_smt_logic(const xt_instance_t inst,
                         const xt_algebraic_struct *target,
                         const xt_smt_options_t opt);

/* Writes a complete SMT-LIB 2 script (set-logic, declarations,
 * assertions, check-sat) stating that some network with
 * inst->hidden neurons has loss <= target on inst (< when strict).  The
 * target may be irrational; it is then declared as a variable fixed by
 * its polynomial and isolating interval.  With one output and no weight
 * bound, ReLU output weights are written as Booleans (+1 or -1) and a
 * linear unit's as 1, which loses no network by positive homogeneity.
 * Returns XT_OK or XT_ERR_INPUT (hidden not set, loss unknown). */
int xt_smt_write(FILE *stream, const xt_instance_t inst,
                 const xt_algebraic_t target, int strict,
                 const xt_smt_options_t opt, xt_error_t *err);

/* Writes the fixed-pattern program of a ReLU instance in CPLEX LP
 * format: neuron j is active exactly on the points with active[j][i] = 1
 * and has output sign sign[j] (+1 or -1).  The objective is the loss
 * (quadratic for l2).  Needs one output, or a convex instance. */
int xt_smt_write_pattern_lp(FILE *stream, const xt_instance_t inst,
                            const unsigned char *const *active,
                            const int *sign, xt_error_t *err);

/* Writes a big-M mixed-integer program of inst in CPLEX LP format with
 * every weight in [-bound, bound] (bound > 0).  Handles ReLU and linear
 * activations with one output or a convex instance, and threshold
 * activations with any number of outputs; every loss. */
int xt_smt_write_mip(FILE *stream, const xt_instance_t inst,
                     const mpq_t bound, xt_error_t *err);

/* ------------------------------------------------------- deciding */

typedef enum {
    XT_SMT_SAT = 0,     /* a network meets the target (verified) */
    XT_SMT_UNSAT = 1,   /* proven: no network meets the target */
    XT_SMT_UNKNOWN = 2  /* time limit, interrupt, or Z3 gave up */
} xt_smt_status;

typedef struct {
    xt_smt_status status;
    xt_algebraic_network_t network; /* Z3's model, verified (SAT only) */
    xt_algebraic_loss_t loss;       /* its loss (SAT only) */
    int time_limit_reached;
    int interrupted;
    double seconds;
    char reason[64];                /* Z3's reason for unknown */
} xt_smt_answer_struct;

typedef xt_smt_answer_struct xt_smt_answer_t[1];

void xt_smt_answer_init(xt_smt_answer_t ans);
void xt_smt_answer_clear(xt_smt_answer_t ans);

/* Decides whether some network reaches loss <= target (< when strict) on
 * inst with one check of a fresh Z3 solver for the formula's logic, in a
 * fresh context, within time_limit seconds (0: none).  A model is turned
 * into an algebraic network and verified with xt_algebraic_network_loss;
 * a model that fails returns XT_ERR_INTERNAL.  Returns XT_OK with
 * ans->status set, XT_ERR_INPUT, or XT_ERR_INTERNAL. */
int xt_smt_decide(xt_smt_answer_t ans, const xt_instance_t inst,
                  const xt_algebraic_t target, int strict,
                  const xt_smt_options_t opt, double time_limit,
                  xt_error_t *err);

/* ------------------------------------------------------- solving */

/* Solves inst with Z3.  With a target: one decision (status feasible,
 * infeasible or unknown).  Without: bisection on exact rationals between
 * a proven lower bound (0 at first, then every target proven infeasible)
 * and the exact loss of the best verified network, each step one
 * decision; a network's loss L is proven optimal by "loss < L" being
 * unsatisfiable.  Status optimal only then; otherwise unknown with
 * has_lower and the network's loss bracketing the optimum.  best, when
 * not NULL, receives the best network even when its weights are
 * irrational (res->network has it only when they are rational).
 * Returns XT_OK, XT_ERR_INPUT or XT_ERR_INTERNAL. */
int xt_smt_solve(xt_solve_result_t res, xt_algebraic_network_t best,
                 const xt_instance_t inst, const xt_solve_options *opt,
                 const xt_smt_options_t smt, xt_error_t *err);

/* xt_smt_solve with the default options, for the dispatcher xt_solve. */
int xt_solve_smt(xt_solve_result_t res, const xt_instance_t inst,
                 const xt_solve_options *opt, xt_error_t *err);

#endif
