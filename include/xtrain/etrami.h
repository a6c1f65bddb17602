/* ETR-AMI and its reduction to exact training of sparse linear networks.
 *
 * ETR-AMI asks whether a conjunction of constraints x = 1, x + y = z and
 * x * y = z has a real solution.  It is complete for the existential
 * theory of the reals: a system of integer polynomial equations becomes
 * one of these with auxiliary variables (0 from z + 1 = 1, -x from
 * x + y = 0, integers by additions, products directly), and some systems
 * have only irrational solutions.
 *
 * The reduction (derived for xtrain; docs/er-reduction.md has the proof)
 * maps a system to a training instance with zero-error target: linear
 * hidden units, two outputs R and S, output bias, and a sparse first
 * layer given by an architecture section.  Abrahamsen, Kleist and
 * Miltzow ("Training neural networks is ER-complete", NeurIPS 2021)
 * proved training ER-complete for chosen architectures, and Bertschinger,
 * Hertrich, Jungeblut, Miltzow and Weber ("Training fully connected
 * neural networks is ER-complete", NeurIPS 2023) for fully connected
 * ReLU networks with two outputs, where rational data can force
 * algebraic weights of any degree.  Here a zero-error network encodes a
 * solution in the columns of its input-output matrix: x_v is the
 * R-entry of the column of input u_v.  Solutions and networks are exact:
 * real algebraic numbers (xt_algebraic_t), decided and checked with Z3.
 *
 * Systems have the text format
 *
 *     c the golden ratio: x1 = (sqrt 5 - 1) / 2 or (-sqrt 5 - 1) / 2
 *     p etr-ami 3 3
 *     x0 = 1
 *     x1 + x0 = x2
 *     x1 * x2 = x0
 *
 * ("c" comment lines, a header "p etr-ami VARIABLES CONSTRAINTS", and one
 * constraint a line over the variables x0 .. x{VARIABLES-1}); solutions
 * are lines "v xI VALUE" with VALUE a rational or (root-obj POLY INDEX).
 * docs/er-reduction.md describes both. */
#ifndef XTRAIN_ETRAMI_H
#define XTRAIN_ETRAMI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/smt.h"

/* Largest accepted numbers of variables and constraints. */
#define XT_ETRAMI_MAX_VARS 100000
#define XT_ETRAMI_MAX_CONSTRAINTS 1000000

/* ---- Systems ------------------------------------------------------ */

typedef enum {
    XT_ETRAMI_ONE = 0,  /* x_a = 1 */
    XT_ETRAMI_ADD = 1,  /* x_a + x_b = x_c */
    XT_ETRAMI_MUL = 2   /* x_a * x_b = x_c */
} xt_etrami_op;

/* One constraint over 0-based variable indices; XT_ETRAMI_ONE uses a
 * only (b and c are 0).  Indices may repeat (x0 * x0 = x1 is a square). */
typedef struct {
    xt_etrami_op op;
    int a, b, c;
} xt_etrami_constraint;

typedef struct {
    int nvars;
    int count;      /* constraints */
    int capacity;
    xt_etrami_constraint *constraints;
} xt_etrami_struct;
typedef xt_etrami_struct xt_etrami_t[1];

void xt_etrami_init(xt_etrami_t sys);
void xt_etrami_clear(xt_etrami_t sys);
/* Removes every constraint and sets the number of variables (0 ..
 * XT_ETRAMI_MAX_VARS). */
void xt_etrami_reset(xt_etrami_t sys, int nvars);
/* Appends a constraint.  Returns XT_OK, XT_ERR_INPUT (an index outside
 * 0 .. nvars - 1, an unknown op, too many constraints) or XT_ERR_NOMEM. */
int xt_etrami_add(xt_etrami_t sys, xt_etrami_op op, int a, int b, int c,
                  xt_error_t *err);
/* Copies src into dst.  Returns XT_OK or XT_ERR_NOMEM. */
int xt_etrami_set(xt_etrami_t dst, const xt_etrami_t src);
/* Number of constraints with the given op. */
int xt_etrami_count_op(const xt_etrami_t sys, xt_etrami_op op);

/* Parses the text format.  Spaces around the symbols are optional
 * ("x1+x0=x2").  Errors are "NAME:LINE: what is wrong". */
int xt_etrami_parse(xt_etrami_t out, const char *text, size_t len,
                    const char *name, xt_error_t *err);
/* Reads a file in the text format ("-" is standard input). */
int xt_etrami_read_file(xt_etrami_t out, const char *path,
                        xt_error_t *err);
/* Writes sys in the text format (header and constraints). */
void xt_etrami_write(FILE *stream, const xt_etrami_t sys);
/* Writes one constraint as "x1 * x2 = x0" without a newline. */
void xt_etrami_write_constraint(FILE *stream,
                                const xt_etrami_constraint *con);

/* ---- Solutions ---------------------------------------------------- */

/* An assignment of a real algebraic number to each variable. */
typedef struct {
    int n;
    xt_algebraic_struct *value;
} xt_etrami_solution_struct;
typedef xt_etrami_solution_struct xt_etrami_solution_t[1];

void xt_etrami_solution_init(xt_etrami_solution_t sol);
void xt_etrami_solution_clear(xt_etrami_solution_t sol);
/* Resizes to n variables, all 0.  Returns XT_OK or XT_ERR_NOMEM. */
int xt_etrami_solution_resize(xt_etrami_solution_t sol, int n);
int xt_etrami_solution_set(xt_etrami_solution_t dst,
                           const xt_etrami_solution_t src);
/* Number of irrational values. */
int xt_etrami_solution_irrational(const xt_etrami_solution_t sol);

/* Writes "v xI VALUE" for every variable, VALUE a rational or a root-obj,
 * each irrational value followed by a comment line "c xI = DECIMALS..."
 * with digits correct digits. */
void xt_etrami_solution_write(FILE *stream, const xt_etrami_solution_t sol,
                              int digits);
/* Parses lines "v xI VALUE" (one per variable 0 .. n - 1, in any order);
 * "c" comment lines and an "s SATISFIABLE" line are allowed. */
int xt_etrami_solution_parse(xt_etrami_solution_t sol, int n,
                             const char *text, size_t len,
                             const char *name, xt_error_t *err);
int xt_etrami_solution_read_file(xt_etrami_solution_t sol, int n,
                                 const char *path, xt_error_t *err);

/* Checks exactly, with Z3's real algebraic numbers in a fresh context,
 * whether sol satisfies every constraint of sys.  Sets *holds to 1 or 0;
 * when 0, *failed (if not NULL) is the 0-based index of the first
 * constraint that fails (messages count from 1).  Returns XT_OK, XT_ERR_INPUT (sol has the wrong number of
 * variables) or XT_ERR_INTERNAL (Z3 failed). */
int xt_etrami_check(int *holds, int *failed, const xt_etrami_t sys,
                    const xt_etrami_solution_t sol, xt_error_t *err);

/* ---- Deciding with Z3 --------------------------------------------- */

typedef enum {
    XT_ETRAMI_SAT = 0,      /* a solution exists (sol is one, checked) */
    XT_ETRAMI_UNSAT = 1,    /* proven: no real solution */
    XT_ETRAMI_UNKNOWN = 2   /* time limit or Z3 gave up */
} xt_etrami_status;

/* Decides sys with Z3 (QF_NRA) within time_limit seconds (0: none).  On
 * SAT, sol receives Z3's model as algebraic numbers, which
 * xt_etrami_check has confirmed.  Returns XT_OK with *status set, or
 * XT_ERR_INTERNAL when Z3 fails or its model does not check. */
int xt_etrami_solve(xt_etrami_status *status, xt_etrami_solution_t sol,
                    const xt_etrami_t sys, double time_limit,
                    xt_error_t *err);

/* ---- Generators --------------------------------------------------- */

typedef enum {
    XT_ETRAMI_UNIFORM = 0,            /* random constraints */
    XT_ETRAMI_PLANTED_RATIONAL = 1,   /* hides a rational solution */
    XT_ETRAMI_PLANTED_ALGEBRAIC = 2   /* forces an irrational root */
} xt_etrami_plant;

/* Generates a random system with *rng as splitmix64 state.
 *
 *   uniform: nvars variables and nconstraints constraints of random
 *     kinds over random variables;
 *   planted rational: x = 1 for one variable, then each further variable
 *     is a sum, difference, product, quotient of earlier ones or free,
 *     plus up to nconstraints relations that the chosen values satisfy;
 *   planted algebraic: encodes p(r) = 0 for a random integer quadratic
 *     or cubic p with an irrational root r, then adds derived variables
 *     up to nvars (the encoding may need more).
 *
 * Variables are renamed and constraints shuffled at random.  planted
 * (NULL allowed) receives the hidden solution; for uniform systems it is
 * resized to 0.  Returns XT_OK, XT_ERR_INPUT or XT_ERR_INTERNAL. */
int xt_etrami_random(xt_etrami_t out, xt_etrami_solution_t planted,
                     uint64_t *rng, int nvars, int nconstraints,
                     xt_etrami_plant plant, xt_error_t *err);

/* Calls visit for every system with 1 .. max_vars variables, all of them
 * used, and 1 .. max_constraints distinct constraints, with constraints
 * in a fixed order and the operands of + and * sorted (so that each set
 * comes once).  Stops and returns visit's nonzero code; returns -1 when
 * max_vars > 16, max_constraints > 64 or memory runs out. */
int xt_etrami_each(int max_vars, int max_constraints,
                   int (*visit)(void *data, const xt_etrami_t sys),
                   void *data);

/* ---- The reduction ------------------------------------------------ */

/* The size variables of a system, in the order xt_etrami_sizes fills
 * them: variables, constraints x = 1, additions, multiplications, and
 * copies (variables that are the second factor or the product of some
 * multiplication). */
#define XT_ETRAMI_SIZES 5
extern const char *const xt_etrami_size_names[XT_ETRAMI_SIZES];
void xt_etrami_sizes(long out[XT_ETRAMI_SIZES], const xt_etrami_t sys);

/* The declared size formulas of the training instance in those names. */
extern const char xt_etrami_points_formula[];
extern const char xt_etrami_inputs_formula[];
extern const char xt_etrami_hidden_formula[];

/* The training instance of sys: target 0 under the l2 loss, linear
 * activation, 2 outputs, output bias, and the sparse architecture.
 * Returns XT_OK, XT_ERR_INPUT (too large) or XT_ERR_NOMEM. */
int xt_etrami_map(xt_instance_t out, const xt_etrami_t sys,
                  xt_error_t *err);

/* The network of a solution (forward map): every weight is 0, 1 or a
 * value of sol, so it is algebraic exactly when sol is.  sol must have
 * sys->nvars values.  It need not satisfy sys, and then the network has
 * a nonzero loss. */
int xt_etrami_forward(xt_algebraic_network_t out, const xt_etrami_t sys,
                      const xt_etrami_solution_t sol, xt_error_t *err);

/* The solution read off a network (backward map): x_v is the R-entry of
 * the column of input u_v in the input-output matrix B A, computed
 * exactly with Z3's algebraic numbers.  When net has zero error on the
 * instance of sys and respects its architecture, the result is a
 * solution.  Returns XT_OK, XT_ERR_INPUT (wrong shape) or
 * XT_ERR_INTERNAL. */
int xt_etrami_backward(xt_etrami_solution_t out, const xt_etrami_t sys,
                       const xt_algebraic_network_t net, xt_error_t *err);

/* Checks that an algebraic network fits the instance inst of the
 * reduction: shape, linear activation, output bias allowed, and a zero
 * weight on every edge the architecture leaves out.  Returns XT_OK or
 * XT_ERR_INPUT with a message. */
int xt_etrami_network_conforms(const xt_algebraic_network_t net,
                               const xt_instance_t inst, xt_error_t *err);

/* ---- Verifier ----------------------------------------------------- */

/* What the verifier found on one system, for tables. */
typedef struct {
    long index;             /* random index, or position when exhaustive */
    xt_etrami_plant plant;
    long sizes[XT_ETRAMI_SIZES];
    long points, inputs, hidden;            /* of the mapped instance */
    long formula_points, formula_inputs, formula_hidden;
    xt_etrami_status source, training;
    double source_seconds, training_seconds;
    int irrational;         /* irrational values in Z3's source solution */
    long failures;          /* failed checks on this system */
} xt_etrami_row;

typedef struct {
    uint64_t seed;          /* random system i uses seed + i */
    long count;             /* random systems */
    int min_size, max_size; /* variables of random systems */
    int exhaustive;         /* every system up to max_size instead */
    double time_limit;      /* per Z3 run, seconds (0: none) */
    int variants;           /* rescaled copies of each Z3 network */
    /* Called after each system (NULL: not called). */
    void (*on_system)(void *data, const xt_etrami_row *row);
    void *data;
} xt_etrami_verify_options;

void xt_etrami_verify_options_init(xt_etrami_verify_options *opt);

typedef struct {
    long systems, yes, no, undecided;
    long agreements;        /* both sides decided the same */
    long planted;           /* systems with a planted solution */
    long source_checks;     /* source solutions checked exactly */
    long forward_checks;    /* forward networks checked exactly */
    long backward_checks;   /* networks mapped back, solution checked */
    long round_trips;       /* backward(forward(x)) == x checked */
    long size_checks;
    long irrational_solutions;  /* YES systems whose Z3 solution is */
    long failures;
    long failed_systems;
    double source_seconds, training_seconds, seconds;
    /* The smallest failing system (fewest variables, then constraints). */
    int has_failure;
    xt_etrami_t failure;
    long failure_index;
    char failure_message[XT_ERROR_MAX];
} xt_etrami_report_struct;
typedef xt_etrami_report_struct xt_etrami_report_t[1];

void xt_etrami_report_init(xt_etrami_report_t rep);
void xt_etrami_report_clear(xt_etrami_report_t rep);

/* Verifies the reduction on one system: decides it with Z3, maps it and
 * checks the size formulas, maps Z3's solution and the planted one (NULL
 * allowed) forward and checks each network's loss exactly, decides the
 * training instance with Z3, checks that the answers agree, and maps the
 * network Z3 returns and opt->variants rescaled copies of it back and
 * checks each solution exactly.  Returns XT_OK whether or not a check
 * failed (rep counts failures), or an error code when the verification
 * could not run. */
int xt_etrami_verify_system(xt_etrami_report_t rep, const xt_etrami_t sys,
                            const xt_etrami_solution_t planted,
                            xt_etrami_plant plant, long index,
                            const xt_etrami_verify_options *opt,
                            xt_error_t *err);

/* Verifies opt->count random systems (uniform, planted rational and
 * planted algebraic in turn) or, with opt->exhaustive, every system of
 * xt_etrami_each(max_size, max_size).  Stops early on Ctrl-C. */
int xt_etrami_verify(xt_etrami_report_t rep,
                     const xt_etrami_verify_options *opt, xt_error_t *err);

#endif
