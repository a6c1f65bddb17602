/* Instance generators: reproducible training instances, most with a
 * planted answer (a network whose exact loss is known).
 *
 * Kinds (docs/generators.md describes each option):
 *   planted     a random teacher network labels random points, with
 *               optional exact label noise;
 *   degenerate  teacher labels on inputs that break exact codes: points
 *               on few lines or planes, repeated points, points on the
 *               teacher's breaklines, tiny and huge coordinates;
 *   levee       planar ridges on strips, each the tent
 *               relu(z + 1) - 2 relu(z) + relu(z - 1) of three neurons;
 *   moment      points on the moment curve (t, t^2, ..., t^d), which are
 *               in general position and so have the maximum number of
 *               affine dichotomies;
 *   sgd-trap    small instances on which SGD often stalls above the
 *               exact optimum (the 1-D hat, XOR, or a search);
 *   slice       a few rows and columns of a CSV file (real data);
 *   reduction   a random source instance (or one read from a file)
 *               mapped through a reduction of reduction.h.
 *
 * Randomness: one xoshiro256** generator seeded through splitmix64 with
 * opt->seed (xt_rng_seed of sgd.h), and bounded integers drawn with
 * xt_rng_below.  The same seed, options and library version give the
 * same instance byte for byte on every platform: no double is involved
 * in any value written. */
#ifndef XTRAIN_GEN_H
#define XTRAIN_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <gmp.h>
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"

typedef enum {
    XT_GEN_PLANTED = 0,
    XT_GEN_DEGENERATE,
    XT_GEN_LEVEE,
    XT_GEN_MOMENT,
    XT_GEN_SGD_TRAP,
    XT_GEN_SLICE,
    XT_GEN_REDUCTION,
    XT_GEN_PLANAR
} xt_gen_kind;

/* Upper limits on generator sizes: far above what an exact solver can
 * handle, low enough that no option value can exhaust memory. */
#define XT_GEN_MAX_POINTS 100000
#define XT_GEN_MAX_HEIGHT 1000000000L
#define XT_GEN_MAX_EXPONENT 1000
#define XT_GEN_MAX_NOISE_AMOUNTS 64

/* Options of every kind; each kind reads the fields it needs and ignores
 * the others.  Strings are borrowed, never freed by the generators. */
typedef struct {
    uint64_t seed;

    /* The teacher and the points (planted, degenerate, moment).  A zero
     * d, k or n takes the kind's default (docs/generators.md). */
    int d;                    /* inputs */
    int k;                    /* teacher neurons */
    long n;                   /* points */
    int hidden;               /* k written in the instance; 0: teacher's */
    xt_activation activation; /* teacher's hidden activation (relu) */
    xt_loss loss;             /* loss written in the instance (l2) */
    int convex;               /* teacher output weights all +1 */
    const char *signs;        /* output weight signs, e.g. "+-+"; NULL:
                               * random signs */
    int output_bias;          /* teacher has an output bias c */
    long weight_height;       /* weights p/q, |p| <= H, 1 <= q <= H (3) */
    long coord_bound;         /* coordinates p/q, |p|, q <= R (5) */
    int grid;                 /* 1: integer coordinates in [-R, R] (1) */
    int no_target;            /* 1: write no target 0 even when exact */
    int has_target;           /* 1: write target (overrides no_target) */
    mpq_t target;

    /* Exact label noise: noise labels, chosen at random, move by
     * noise_amounts[t % noise_amount_count] (t = 0, 1, ...). */
    long noise;
    int noise_amount_count;   /* 0: every amount is 1 */
    mpq_t noise_amounts[XT_GEN_MAX_NOISE_AMOUNTS];

    /* Variant of the kind: degenerate lines|planes|repeated|breaklines|
     * scale|mixed; moment labels alternating|random|teacher; sgd-trap
     * hat|xor|search; levee placement ridge|slope|zero|pinned|mixed. */
    const char *variant;
    int flats;                /* degenerate: lines or planes (2) */
    long exponent;            /* degenerate scale: 10^E and 10^-E (20) */

    /* Levees (d = 2). */
    int levees;               /* number of levees (2) */
    const char *directions;   /* random|parallel|near-parallel|crossing */

    /* sgd-trap: plain puts the hat and XOR at their textbook positions.
     * The search tries up to `tries` candidates (seeds seed, seed + 1,
     * ...) and trains each with `restarts` SGD runs of `epochs` epochs. */
    int plain;
    long tries, restarts, epochs;
    double min_failure;       /* fraction of restarts that must fail */
    double time_limit;        /* seconds per exact solve; 0: none */

    /* Slices of a CSV file: 1-based columns, label column, rows (NULL:
     * n rows at random) and, when binary_label is set, the label becomes
     * 1 where it equals label_value and 0 elsewhere. */
    const char *csv_path;
    const char *columns;      /* e.g. "3,4" */
    int label_column;         /* 0: the last column */
    const char *rows;         /* e.g. "51-55,101-105" (1-based) */
    int binary_label;
    mpq_t label_value;

    /* Reductions: the reduction's name, and its source instance read from
     * source_path or drawn at random with source_size variables (planted:
     * with a hidden solution). */
    const char *reduction;
    const char *source_path;
    int source_size;          /* default 3 */
    int planted;

    /* planar-1in3: clauses of the random formula (3), and the file that
     * receives the layout's rigidity certificate (NULL: none). */
    int clauses;
    const char *rigidity_path;
} xt_gen_options;

/* Sets the defaults listed above; xt_gen_options_clear frees the
 * rationals. */
void xt_gen_options_init(xt_gen_options *opt);
void xt_gen_options_clear(xt_gen_options *opt);

/* A generated instance, its planted answer when it has one, and comment
 * lines that describe how it was made. */
typedef struct {
    xt_instance_t instance;
    int has_answer;
    xt_network_t answer;      /* planted (or, for a search, solved) */
    mpq_t answer_loss;        /* exact loss of answer on instance */
    int answer_optimal;       /* 1: answer_loss is a proven optimum */
    char *notes;              /* lines without '#', malloc'd; or NULL */
} xt_gen_result_struct;

typedef xt_gen_result_struct xt_gen_result_t[1];

void xt_gen_result_init(xt_gen_result_t res);
void xt_gen_result_clear(xt_gen_result_t res);

/* Names used on the command line: "planted", "degenerate", "levee",
 * "moment", "sgd-trap", "slice", "reduction".  Parse returns 0, or -1
 * for an unknown name. */
const char *xt_gen_kind_name(xt_gen_kind kind);
int xt_gen_kind_parse(xt_gen_kind *out, const char *name);

/* Generates an instance of the given kind into res (cleared first).
 * Returns XT_OK, XT_ERR_INPUT for options the kind rejects (err names
 * the option), XT_ERR_IO (slice: the CSV file) or XT_ERR_NOMEM. */
int xt_gen(xt_gen_result_t res, xt_gen_kind kind, const xt_gen_options *opt,
           xt_error_t *err);

/* The generators behind xt_gen; same contract. */
int xt_gen_planted(xt_gen_result_t res, const xt_gen_options *opt,
                   xt_error_t *err);
int xt_gen_degenerate(xt_gen_result_t res, const xt_gen_options *opt,
                      xt_error_t *err);
int xt_gen_levee(xt_gen_result_t res, const xt_gen_options *opt,
                 xt_error_t *err);
int xt_gen_moment(xt_gen_result_t res, const xt_gen_options *opt,
                  xt_error_t *err);
int xt_gen_sgd_trap(xt_gen_result_t res, const xt_gen_options *opt,
                    xt_error_t *err);
int xt_gen_slice(xt_gen_result_t res, const xt_gen_options *opt,
                 xt_error_t *err);
int xt_gen_reduction(xt_gen_result_t res, const xt_gen_options *opt,
                     xt_error_t *err);

/* Writes the instance in the instance format: the header line, then
 * "# " + header (may be NULL or hold several lines) and the notes as
 * comments, then the settings and the data. */
void xt_gen_write_instance(FILE *stream, const xt_gen_result_t res,
                           const char *header);

/* Writes a certificate (docs/certificates.md) that the planted answer
 * meets the instance's target: claim "feasible", no patterns.  Returns
 * XT_ERR_INPUT when there is no answer, no target, the answer misses it,
 * or the instance is not a one-output ReLU instance with loss l1, l2 or
 * linf (the checker accepts no other). */
int xt_gen_write_certificate(FILE *stream, const xt_gen_result_t res,
                             xt_error_t *err);

#endif
