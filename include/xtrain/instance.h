/* Training instances: n data points in Q^d with m exact rational labels,
 * plus the problem settings (hidden neurons, activation, loss, target,
 * output bias, convexity).  The text format is described in
 * docs/formats.md; CSV files can be imported as well. */
#ifndef XTRAIN_INSTANCE_H
#define XTRAIN_INSTANCE_H

#include <stddef.h>
#include <stdio.h>
#include <gmp.h>
#include "xtrain/error.h"

typedef enum {
    XT_ACT_RELU = 0,      /* max(0, t) */
    XT_ACT_THRESHOLD = 1, /* [t > 0] */
    XT_ACT_LINEAR = 2     /* t */
} xt_activation;

typedef enum {
    XT_LOSS_L2 = 0,      /* sum of squared residuals */
    XT_LOSS_L1 = 1,      /* sum of absolute residuals */
    XT_LOSS_LINF = 2,    /* maximum absolute residual */
    XT_LOSS_ZERO_ONE = 3 /* number of points with any output wrong */
} xt_loss;

/* Limits that keep a malformed or hostile file from exhausting memory.
 * They are far above what any exact solver can handle. */
#define XT_MAX_DIM 4096
#define XT_MAX_OUTPUTS 64
#define XT_MAX_POINTS 10000000
#define XT_MAX_HIDDEN 4096
/* Longest accepted number, in characters. */
#define XT_MAX_NUMBER_CHARS 100000

typedef struct {
    int d;        /* inputs per point */
    int m;        /* outputs per point */
    long n;       /* data points */
    mpq_t *x;     /* n*d inputs, row-major: x[i*d + t] */
    mpq_t *y;     /* n*m labels, row-major: y[i*m + o] */

    /* Settings.  Each has_* flag tells whether the file set it; the
     * defaults apply otherwise. */
    int hidden;            /* k; 0 when not set */
    xt_activation activation;
    xt_loss loss;
    int has_target;        /* target gamma present: decision problem */
    mpq_t target;
    int output_bias;       /* 1: the network has an output bias c */
    int convex;            /* 1: all output weights are +1 */
    int has_loss, has_activation, has_output_bias, has_convex;

    /* Architecture (format version 2).  With has_architecture set, input
     * t feeds hidden neuron j only when input_edge[j*d + t] is 1, and
     * neuron j feeds output o only when output_edge[o*arch_hidden + j]
     * is 1; the weight of a missing edge is fixed to 0.  Without it the
     * network is fully connected and both arrays are NULL.  arch_hidden,
     * arch_d and arch_m are the sizes the arrays were made for, so that a
     * later change of hidden, d or m is detected. */
    int has_architecture;
    int arch_hidden, arch_d, arch_m;
    unsigned char *input_edge;   /* arch_hidden * arch_d flags */
    unsigned char *output_edge;  /* arch_m * arch_hidden flags */
} xt_instance_struct;

typedef xt_instance_struct xt_instance_t[1];

void xt_instance_init(xt_instance_t inst);
void xt_instance_clear(xt_instance_t inst);

/* Resizes to n points of dimension d with m outputs, all values 0.
 * Returns XT_OK or XT_ERR_NOMEM / XT_ERR_INPUT (sizes out of range). */
int xt_instance_resize(xt_instance_t inst, long n, int d, int m,
                       xt_error_t *err);

/* Reads a file in the xtrain instance format.  Files whose name ends in
 * ".csv" are read as CSV (see xt_instance_read_csv).  Errors name the file
 * and line. */
int xt_instance_read_file(xt_instance_t inst, const char *path,
                          xt_error_t *err);

/* Reads the instance format from a string; name is used in messages.
 * On failure inst is left unchanged. */
int xt_instance_read_string(xt_instance_t inst, const char *text,
                            const char *name, xt_error_t *err);

/* The same for len bytes that may contain NUL bytes (which are rejected
 * with a message) and need not be NUL-terminated. */
int xt_instance_read_text(xt_instance_t inst, const char *text, size_t len,
                          const char *name, xt_error_t *err);

/* Reads CSV: comma-separated numbers, one point a row, an optional header
 * row (a first row that is not all numbers), and the last m columns as
 * labels.  m must be at least 1. */
int xt_instance_read_csv(xt_instance_t inst, const char *path, int m,
                         xt_error_t *err);

/* Writes inst in the instance format: version 1, or version 2 with an
 * architecture section when inst has an architecture. */
void xt_instance_write(FILE *stream, const xt_instance_t inst);

/* Sets the architecture of inst for its current d, m and hidden (which
 * must be at least 1): input_edge holds hidden*d flags (j*d + t: input t
 * feeds neuron j) and output_edge m*hidden flags (o*hidden + j: neuron j
 * feeds output o), each 0 or 1.  The arrays are copied.  Returns XT_OK,
 * XT_ERR_INPUT (hidden not set, a flag other than 0 or 1) or
 * XT_ERR_NOMEM. */
int xt_instance_set_architecture(xt_instance_t inst,
                                 const unsigned char *input_edge,
                                 const unsigned char *output_edge,
                                 xt_error_t *err);

/* Removes the architecture: the network is fully connected again. */
void xt_instance_clear_architecture(xt_instance_t inst);

/* Checks that the architecture, when there is one, was made for the
 * instance's current d, m and hidden (a command-line --hidden can change
 * hidden after reading).  Returns XT_OK or XT_ERR_INPUT with a message. */
int xt_instance_check_architecture(const xt_instance_t inst,
                                   xt_error_t *err);

/* Returns 1 when input t may feed hidden neuron j (always without an
 * architecture).  Indices are 0-based and must be below the
 * architecture's sizes, which xt_instance_check_architecture compares
 * with the instance's. */
static inline int xt_instance_input_edge(const xt_instance_t inst, int j,
                                         int t)
{
    return !inst->has_architecture ||
           inst->input_edge[(long)j * inst->arch_d + t];
}

/* Returns 1 when hidden neuron j may feed output o (always without an
 * architecture). */
static inline int xt_instance_output_edge(const xt_instance_t inst, int o,
                                          int j)
{
    return !inst->has_architecture ||
           inst->output_edge[(long)o * inst->arch_hidden + j];
}

/* Names used in files and on the command line ("relu", "l2", ...). */
const char *xt_activation_name(xt_activation activation);
const char *xt_loss_name(xt_loss loss);
/* Parse a name; return 0 on success, -1 when unknown. */
int xt_activation_parse(xt_activation *out, const char *name);
int xt_loss_parse(xt_loss *out, const char *name);

#endif
