/* Hardness reductions from combinatorial problems to training problems,
 * and a verifier that checks them in both directions on small instances.
 *
 * A reduction from a source problem A to exact training is three maps:
 *   map       A-instance -> training instance (with a loss target),
 *   forward   A-certificate -> network that meets the target,
 *   backward  network that meets the target -> A-certificate,
 * plus a declared size formula: points, inputs and hidden neurons as
 * functions of the source's size.  The verifier solves the source by
 * brute force.  On YES instances it maps every certificate forward and
 * checks the network exactly.  On every instance it maps each network the
 * exact solver finds back and checks the certificate.  On NO instances it
 * requires the exact solver to prove the training instance infeasible.
 *
 * Source instances are lists of clauses in DIMACS style (docs/
 * reductions.md): variables 1..n, a clause is a list of literals v or -v.
 * A set system stores each subset as a clause of positive elements.
 * Certificates are 0/1 assignments, written as "s"/"v" lines the way SAT
 * solvers print them. */
#ifndef XTRAIN_REDUCTION_H
#define XTRAIN_REDUCTION_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"

/* Limits for source instances: brute force over 2^n assignments is only
 * meant for small n. */
#define XT_SOURCE_MAX_VARS 1000000
#define XT_SOURCE_MAX_CLAUSES 10000000
#define XT_SOURCE_MAX_BRUTE_VARS 26

/* ---- Source instances --------------------------------------------- */

typedef struct {
    int nvars;
    int nclauses;
    int *start;     /* nclauses + 1 offsets into lits */
    int *lits;      /* start[nclauses] literals, each in [-nvars, nvars] */
    int clause_capacity, lit_capacity;
} xt_clauses_struct;
typedef xt_clauses_struct xt_clauses_t[1];

void xt_clauses_init(xt_clauses_t c);
void xt_clauses_clear(xt_clauses_t c);
/* Empties c and sets its number of variables. */
void xt_clauses_reset(xt_clauses_t c, int nvars);
/* Appends a clause of count literals.  Returns XT_OK or XT_ERR_NOMEM. */
int xt_clauses_add(xt_clauses_t c, const int *lits, int count);
/* Copies src into dst.  Returns XT_OK or XT_ERR_NOMEM. */
int xt_clauses_set(xt_clauses_t dst, const xt_clauses_t src);

static inline int xt_clause_size(const xt_clauses_t c, int j)
{
    return c->start[j + 1] - c->start[j];
}
static inline const int *xt_clause_lits(const xt_clauses_t c, int j)
{
    /* An empty formula has no literal array: no offset from NULL. */
    return c->lits ? c->lits + c->start[j] : c->lits;
}

/* A 0/1 assignment of variables 1..n: value[v - 1]. */
typedef struct {
    int n;
    unsigned char *value;
} xt_assignment_struct;
typedef xt_assignment_struct xt_assignment_t[1];

void xt_assignment_init(xt_assignment_t a);
void xt_assignment_clear(xt_assignment_t a);
/* Resizes to n variables, all 0.  Returns XT_OK or XT_ERR_NOMEM. */
int xt_assignment_resize(xt_assignment_t a, int n);

/* A list of certificates of n variables each. */
typedef struct {
    int n;
    long count;
    long capacity;
    unsigned char *values;  /* count rows of n values */
} xt_certificate_list;

void xt_certificate_list_init(xt_certificate_list *list, int n);
void xt_certificate_list_clear(xt_certificate_list *list);
int xt_certificate_list_push(xt_certificate_list *list,
                             const xt_assignment_t a);
/* Copies certificate i into a (resized). */
int xt_certificate_list_get(xt_assignment_t a,
                            const xt_certificate_list *list, long i);

/* ---- Source problems ---------------------------------------------- */

/* Number of size variables a source problem declares. */
#define XT_SOURCE_SIZES 3

typedef struct xt_source_problem xt_source_problem;
struct xt_source_problem {
    const char *name;      /* "set-splitting", "3sat", "1in3sat" */
    const char *header;    /* the word after "p" in files: "set", "cnf" */
    const char *summary;
    /* Names of the size variables used in size formulas, in the order
     * sizes() fills them. */
    const char *size_names[XT_SOURCE_SIZES];
    /* Checks the problem's restrictions on a parsed instance. */
    int (*validate)(const xt_clauses_t src, xt_error_t *err);
    /* Returns 1 when a is a certificate (a solution) of src. */
    int (*check)(const xt_clauses_t src, const xt_assignment_t a);
    void (*sizes)(long *out, const xt_clauses_t src);
    /* Generates a random instance with size variables, uniform or with a
     * planted solution.  *rng is a splitmix64 state. */
    int (*random)(xt_clauses_t out, uint64_t *rng, int size, int planted);
    /* Calls visit for every instance with at most max_size variables and
     * at most max_size clauses (up to renaming: clauses are sorted sets),
     * smallest first.  Stops and returns visit's nonzero code. */
    int (*each)(int max_size, int (*visit)(void *data,
                                           const xt_clauses_t src),
                void *data);
};

/* The built-in source problems, ending with NULL. */
extern const xt_source_problem *const xt_source_problems[];

/* Returns the problem called name, or NULL. */
const xt_source_problem *xt_source_find(const char *name);

/* Parses the DIMACS-like text format: "c" comment lines, one header line
 * "p HEADER N M", then M clauses of literals, each ending with 0.  The
 * problem's restrictions are checked.  Errors name the file and line. */
int xt_source_parse(xt_clauses_t out, const xt_source_problem *p,
                    const char *text, size_t len, const char *name,
                    xt_error_t *err);
int xt_source_read_file(xt_clauses_t out, const xt_source_problem *p,
                        const char *path, xt_error_t *err);
/* Writes src in that format. */
void xt_source_write(FILE *stream, const xt_source_problem *p,
                     const xt_clauses_t src);

/* Lists every certificate of src by trying all 2^n assignments.
 * Returns XT_ERR_LIMIT when n > XT_SOURCE_MAX_BRUTE_VARS. */
int xt_source_solve(xt_certificate_list *out, const xt_source_problem *p,
                    const xt_clauses_t src, xt_error_t *err);

/* Writes "s SATISFIABLE" and one "v ... 0" line per certificate, or
 * "s UNSATISFIABLE" when the list is empty. */
void xt_certificates_write(FILE *stream, const xt_certificate_list *list);
/* Reads certificates of n variables in that format.  Lines starting with
 * "c" are comments and the "s" line is optional.  Each certificate is one
 * or more "v" lines ending with 0, and a variable it omits is 0. */
int xt_certificates_parse(xt_certificate_list *out, int n, const char *text,
                          size_t len, const char *name, xt_error_t *err);
int xt_certificates_read_file(xt_certificate_list *out, int n,
                              const char *path, xt_error_t *err);

/* ---- Size formulas ------------------------------------------------ */

/* Evaluates an integer expression with + - * parentheses, integer
 * constants and the given variable names, e.g. "n + m + 7".  Returns
 * XT_OK or XT_ERR_INPUT with a message. */
int xt_formula_eval(long *out, const char *expr, const char *const *names,
                    const long *values, int count, xt_error_t *err);

/* ---- Reductions --------------------------------------------------- */

typedef struct xt_reduction xt_reduction;
struct xt_reduction {
    const char *name;
    const char *summary;
    const char *citation;
    const xt_source_problem *source;
    /* Size formulas in the source's size variables; NULL when not
     * declared. */
    const char *points, *inputs, *hidden;
    /* The training instance of src; it must have a target. */
    int (*map)(const xt_reduction *r, xt_instance_t out,
               const xt_clauses_t src, xt_error_t *err);
    /* A network meeting the target from a certificate of src. */
    int (*forward)(const xt_reduction *r, xt_network_t out,
                   const xt_clauses_t src, const xt_instance_t inst,
                   const xt_assignment_t cert, xt_error_t *err);
    /* A certificate of src from a network meeting inst's target. */
    int (*backward)(const xt_reduction *r, xt_assignment_t out,
                    const xt_clauses_t src, const xt_instance_t inst,
                    const xt_network_t net, xt_error_t *err);
    /* Optional source solver replacing the brute force (external
     * reductions); NULL for the built-in one. */
    int (*solve)(const xt_reduction *r, xt_certificate_list *out,
                 const xt_clauses_t src, xt_error_t *err);
    void *data;
};

/* The built-in reductions, ending with NULL. */
extern const xt_reduction *const xt_reductions[];

/* Returns the reduction called name, or NULL. */
const xt_reduction *xt_reduction_find(const char *name);

/* Reductions from problems over the reals, whose certificates are real
 * algebraic numbers (etr-ami: include/xtrain/etrami.h).  They do not fit
 * the clause interface above; this table lists them so that `xtrain
 * reduce --list` shows them, and `xtrain reduce NAME` runs their own
 * command. */
typedef struct {
    const char *name;
    const char *summary;
    const char *citation;
} xt_real_reduction;

/* The built-in reductions over the reals, ending with NULL. */
extern const xt_real_reduction *const xt_real_reductions[];

/* Loads an external reduction from a specification file (see
 * docs/reductions.md): commands in any language that exchange files in
 * xtrain's formats.  The reduction must be freed with
 * xt_reduction_external_free. */
int xt_reduction_external(xt_reduction **out, const char *spec_path,
                          xt_error_t *err);
void xt_reduction_external_free(xt_reduction *r);

/* ---- Verifier ----------------------------------------------------- */

typedef struct {
    uint64_t seed;          /* random instance i uses seed + i */
    long count;             /* random instances */
    int min_size, max_size; /* size variable range for random instances */
    int exhaustive;         /* all instances up to max_size instead */
    /* Run the backward map on the vertex solutions around every solver
     * network when there are at most this many row subsets (0: never). */
    long vertex_limit;
    /* Also run the plain dichotomy enumeration (every tuple of activation
     * sets) on training instances with at most this many points. */
    long enumerate_points;
    /* Stop listing solver networks on one instance after this many (0:
     * no limit); the backward checks already made still count. */
    long max_networks;
    double time_limit;      /* per solver run, seconds (0: none) */
    int shrink;             /* minimize a failing instance */
} xt_verify_options;

void xt_verify_options_init(xt_verify_options *opt);

typedef struct {
    long instances, yes, no;
    long certificates;      /* source certificates listed */
    long forward_checks;    /* forward-mapped networks checked */
    long backward_checks;   /* solver networks mapped back and checked */
    long solver_runs;
    long size_checks;
    long undecided;         /* solver runs stopped by a limit */
    long failures;          /* failed checks over all instances */
    long failed_instances;
    double seconds;
    /* The smallest failing instance (fewest variables, then clauses, then
     * literals), after shrinking when asked. */
    int has_failure;
    xt_clauses_t failure;
    long failure_index;     /* its random index, or -1 */
    char failure_message[XT_ERROR_MAX];
} xt_verify_report_struct;
typedef xt_verify_report_struct xt_verify_report_t[1];

void xt_verify_report_init(xt_verify_report_t rep);
void xt_verify_report_clear(xt_verify_report_t rep);

/* Verifies red on one source instance and adds to rep.  Returns XT_OK
 * whether or not the reduction passed (rep counts failures), or an error
 * code when the verification itself could not run (a solver error, out of
 * memory), with the message in err. */
int xt_verify_instance(xt_verify_report_t rep, const xt_reduction *red,
                       const xt_clauses_t src,
                       const xt_verify_options *opt, xt_error_t *err);

/* Verifies red on opt->count random instances or, with opt->exhaustive,
 * on all instances up to opt->max_size.  Stops early on Ctrl-C. */
int xt_verify(xt_verify_report_t rep, const xt_reduction *red,
              const xt_verify_options *opt, xt_error_t *err);

#endif
