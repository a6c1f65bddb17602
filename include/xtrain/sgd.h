/* Numeric training in double precision: the heuristic that xtrain compares
 * with the exact optimum.
 *
 * The model is the two-layer network of network.h with double weights,
 *
 *   f_o(x) = c_o + sum_j a_{o,j} * sigma(w_j . x + b_j),
 *
 * sigma ReLU (derivative 0 at 0, as in PyTorch) or linear.  Training
 * minimizes the instance's loss divided by the batch size:
 *
 *   l2    (1/B) sum_i sum_o r_{i,o}^2
 *   l1    (1/B) sum_i sum_o |r_{i,o}|       (subgradient sign(0) = 0)
 *   linf  T * log sum_{i,o} (exp(r_{i,o}/T) + exp(-r_{i,o}/T))
 *
 * with r = f(x) - y over the B points of a batch.  The linf surrogate is a
 * log-sum-exp over the 2Bm values +-r with temperature T ("smoothing"); it
 * is smooth everywhere and max|r| <= it <= max|r| + T log(2Bm).
 *
 * Reproducibility: one generator, xoshiro256** (Blackman and Vigna,
 * "Scrambled linear pseudorandom number generators", ACM TOMS 2021),
 * seeded through splitmix64.  Restart r of a run with seed S uses the
 * (r+1)-th output of splitmix64 started at S as its own seed, so a single
 * restart can be replayed alone.  There are no threads and every sum runs
 * in a fixed order, so the same seed, options and binary give bit-identical
 * weights.  Final losses are re-evaluated exactly: each double weight is
 * a dyadic rational and converts to mpq_t without rounding.
 *
 * Library code never prints; it polls xt_interrupted() once per epoch. */
#ifndef XTRAIN_SGD_H
#define XTRAIN_SGD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gmp.h>
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"

/* ---------------------------------------------------------------- RNG */

/* xoshiro256** state.  Never all zero after xt_rng_seed. */
typedef struct {
    uint64_t s[4];
} xt_rng_t;

/* Seeds rng with four consecutive splitmix64 outputs started at seed. */
void xt_rng_seed(xt_rng_t *rng, uint64_t seed);

/* Returns the next 64 random bits. */
uint64_t xt_rng_next(xt_rng_t *rng);

/* Returns a uniform double in [0, 1) with 53 random bits. */
double xt_rng_uniform(xt_rng_t *rng);

/* Returns a standard normal deviate (Marsaglia's polar method). */
double xt_rng_normal(xt_rng_t *rng);

/* Returns a uniform integer in [0, bound) without modulo bias; bound > 0. */
uint64_t xt_rng_below(xt_rng_t *rng, uint64_t bound);

/* Returns the seed of restart r: the (r+1)-th splitmix64 output from seed. */
uint64_t xt_sgd_restart_seed(uint64_t seed, long r);

/* ------------------------------------------------------ double network */

/* A two-layer network with double weights.  All parameters live in one
 * buffer, in this order: w (k*d, row j is neuron j), b (k), a (m*k, row
 * o is output o), then c (m) when has_output_bias.  w, b, a and c point
 * into that buffer, and c is NULL without an output bias. */
typedef struct {
    int d, k, m;
    xt_activation activation;  /* XT_ACT_RELU or XT_ACT_LINEAR */
    int has_output_bias;
    size_t count;              /* number of parameters */
    double *param;
    double *w, *b, *a, *c;
} xt_sgd_network_struct;

typedef xt_sgd_network_struct xt_sgd_network_t[1];

void xt_sgd_network_init(xt_sgd_network_t net);
void xt_sgd_network_clear(xt_sgd_network_t net);

/* Resizes to d inputs, k neurons and m outputs, all weights 0.  Returns
 * XT_OK, XT_ERR_INPUT (sizes out of range) or XT_ERR_NOMEM. */
int xt_sgd_network_resize(xt_sgd_network_t net, int d, int k, int m,
                          int has_output_bias, xt_error_t *err);

/* Copies src into dst (dst is resized).  Returns XT_OK or XT_ERR_NOMEM. */
int xt_sgd_network_set(xt_sgd_network_t dst, const xt_sgd_network_t src);

/* Writes the lossless text format: every weight as a C hex float (%a),
 * which strtod reads back to the same double.  See docs/sgd.md. */
void xt_sgd_network_write(FILE *stream, const xt_sgd_network_t net);

/* Reads the format of xt_sgd_network_write from text; name is used in
 * messages.  Returns XT_OK or XT_ERR_INPUT / XT_ERR_NOMEM. */
int xt_sgd_network_read_string(xt_sgd_network_t net, const char *text,
                               const char *name, xt_error_t *err);

/* Reads a network file: the format of xt_sgd_network_write, or else any
 * exact network file (xt_network_read_file), whose rational weights are
 * rounded to the nearest double. */
int xt_sgd_network_read_file(xt_sgd_network_t net, const char *path,
                             xt_error_t *err);

/* Converts to an exact network without rounding (mpq_set_d is exact for
 * finite doubles).  Returns XT_ERR_INPUT when a weight is not finite. */
int xt_sgd_network_to_exact(xt_network_t out, const xt_sgd_network_t net,
                            xt_error_t *err);

/* Rounds each weight of an exact network to the nearest double.  Only
 * ReLU and linear networks without a threshold output are accepted. */
int xt_sgd_network_from_exact(xt_sgd_network_t out, const xt_network_t net,
                              xt_error_t *err);

/* Computes the exact loss (kind kind) of net on inst from the double
 * weights.  Returns XT_OK, or XT_ERR_INPUT when a weight is not finite or
 * the shapes do not match. */
int xt_sgd_exact_loss(mpq_t loss, const xt_sgd_network_t net,
                      const xt_instance_t inst, xt_loss kind,
                      xt_error_t *err);

/* --------------------------------------------------------------- data */

/* Training data in double: x (n*d) and y (n*m), row-major. */
typedef struct {
    long n;
    int d, m;
    double *x, *y;
} xt_sgd_data_struct;

typedef xt_sgd_data_struct xt_sgd_data_t[1];

void xt_sgd_data_init(xt_sgd_data_t data);
void xt_sgd_data_clear(xt_sgd_data_t data);

/* Rounds every value of inst to the nearest double.  Returns XT_OK,
 * XT_ERR_INPUT (a value overflows a double) or XT_ERR_NOMEM. */
int xt_sgd_data_set_instance(xt_sgd_data_t data, const xt_instance_t inst,
                             xt_error_t *err);

/* ---------------------------------------------------------- objective */

/* Scratch space for xt_sgd_objective: room for batches of up to
 * max_batch points. */
typedef struct {
    long max_batch;
    double *hidden;     /* k pre-activations */
    double *act;        /* k activations */
    double *gout;       /* m output gradients */
    double *residual;   /* max_batch*m residuals (linf only) */
} xt_sgd_workspace_struct;

typedef xt_sgd_workspace_struct xt_sgd_workspace_t[1];

void xt_sgd_workspace_init(xt_sgd_workspace_t ws);
void xt_sgd_workspace_clear(xt_sgd_workspace_t ws);
int xt_sgd_workspace_resize(xt_sgd_workspace_t ws, int k, int m,
                            long max_batch, xt_error_t *err);

/* Returns the training objective (see the top of this file) of net on the
 * count points batch[0..count-1] of data (points 0..count-1 when batch is
 * NULL), and when grad is not NULL stores its gradient with
 * respect to every parameter in grad (net->count values, the layout of
 * net->param).  ws must be sized for net and count. */
double xt_sgd_objective(double *grad, const xt_sgd_network_t net,
                        const xt_sgd_data_t data, const long *batch,
                        long count, xt_loss loss, double smoothing,
                        xt_sgd_workspace_t ws);

/* Returns the instance loss of net on all of data in double: the sum of
 * squared or absolute residuals, or the largest absolute residual (no
 * smoothing).  For traces and progress only; reports use the exact loss. */
double xt_sgd_data_loss(const xt_sgd_network_t net, const xt_sgd_data_t data,
                        xt_loss loss, xt_sgd_workspace_t ws);

/* ----------------------------------------------------------- options */

typedef enum {
    XT_SGD_PLAIN = 0,     /* theta -= lr * g */
    XT_SGD_MOMENTUM = 1,  /* heavy ball: v = mu v + g; theta -= lr v */
    XT_SGD_NESTEROV = 2,  /* v = mu v + g; theta -= lr (g + mu v) */
    XT_SGD_ADAM = 3       /* Kingma and Ba, ICLR 2015 */
} xt_sgd_optimizer;

typedef enum {
    XT_SCHEDULE_CONSTANT = 0, /* lr */
    XT_SCHEDULE_STEP = 1,     /* lr * decay^floor(epoch / step_size) */
    XT_SCHEDULE_COSINE = 2,   /* min_lr + (lr - min_lr)(1 + cos(pi e/E))/2 */
    XT_SCHEDULE_WARMUP = 3,   /* lr * (e + 1) / warmup, then lr */
    XT_SCHEDULE_ANNEAL = 4    /* lr for hold epochs, then lr * decay */
} xt_sgd_schedule;

typedef enum {
    XT_INIT_HE_NORMAL = 0,  /* w ~ N(0, 2/d), a ~ N(0, 1/k), biases 0 */
    XT_INIT_HE_UNIFORM = 1, /* the uniform laws with the same variances */
    XT_INIT_SMALL = 2,      /* every parameter ~ N(0, init_scale^2) */
    XT_INIT_NETWORK = 3     /* a copy of init_network */
} xt_sgd_init;

typedef struct {
    int hidden;                 /* k; 0 takes inst->hidden */
    xt_sgd_optimizer optimizer;
    double lr;                  /* learning rate */
    double momentum;            /* mu of momentum and Nesterov */
    double beta1, beta2, adam_eps;
    xt_sgd_schedule schedule;
    long step_size;             /* step: epochs per decay; 0: epochs/3 */
    double decay;               /* step and anneal factor */
    double min_lr;              /* cosine floor */
    long warmup;                /* warmup epochs; 0: epochs/10 */
    long hold;                  /* anneal: epochs at lr; 0: epochs/2 */
    long epochs;
    long batch;                 /* points per batch; 0 or >= n: full */
    long restarts;
    uint64_t seed;
    xt_sgd_init init;
    double init_scale;          /* standard deviation for XT_INIT_SMALL */
    const xt_sgd_network_struct *init_network; /* for XT_INIT_NETWORK */
    const unsigned char *mask;  /* 1 = trainable, net->count entries */
    long fisher_top;            /* > 0: train only the top q by Fisher */
    double smoothing;           /* linf temperature T */

    /* Called after each epoch (epoch 0 is the initial network) with the
     * double loss of xt_sgd_data_loss, when not NULL. */
    void (*on_epoch)(void *ctx, long restart, long epoch, double loss);
    /* Called before each restart starts, when not NULL. */
    void (*on_restart)(void *ctx, long restart);
    void *ctx;
} xt_sgd_options;

/* Sets the defaults: He normal, plain SGD, lr 0.01, constant schedule,
 * 1000 epochs, full batch, 10 restarts, seed 1, momentum 0.9, Adam
 * betas 0.9 and 0.999 with eps 1e-8, decay 0.1, smoothing 0.01. */
void xt_sgd_options_init(xt_sgd_options *opt);

/* Names used on the command line; parse functions return 0 or -1. */
const char *xt_sgd_optimizer_name(xt_sgd_optimizer optimizer);
const char *xt_sgd_schedule_name(xt_sgd_schedule schedule);
const char *xt_sgd_init_name(xt_sgd_init init);
int xt_sgd_optimizer_parse(xt_sgd_optimizer *out, const char *name);
int xt_sgd_schedule_parse(xt_sgd_schedule *out, const char *name);
int xt_sgd_init_parse(xt_sgd_init *out, const char *name);

/* Returns the learning rate of epoch e (0-based) under opt's schedule. */
double xt_sgd_learning_rate(const xt_sgd_options *opt, long e);

/* Reads a mask file for a network of count parameters: count tokens 0 or
 * 1 in the parameter order of xt_sgd_network_struct, '#' comments.  mask
 * receives count bytes.  Returns XT_OK, XT_ERR_IO or XT_ERR_INPUT. */
int xt_sgd_mask_read_file(unsigned char *mask, size_t count,
                          const char *path, xt_error_t *err);

/* Marks in mask (net->count bytes) the q trainable parameters with the
 * largest empirical Fisher information (1/n) sum_i (d loss_i / d theta)^2
 * at net, loss_i being the objective on the batch {i}; ties go to the
 * lower index.  Entries of mask that are 0 on entry stay 0. */
int xt_sgd_mask_fisher(unsigned char *mask, const xt_sgd_network_t net,
                       const xt_sgd_data_t data, xt_loss loss,
                       double smoothing, long q, xt_error_t *err);

/* ------------------------------------------------------------ training */

/* Outcome of one restart. */
typedef struct {
    long epochs;        /* epochs completed */
    double loss;        /* double loss (xt_sgd_data_loss) at the end */
    int diverged;       /* a weight or the loss became inf or NaN */
    int interrupted;    /* stopped by xt_interrupted() */
    double seconds;
} xt_sgd_run_info;

/* Initializes net for inst (shape, activation, output bias) according to
 * opt->init using rng.  Convex instances get every output weight +1. */
int xt_sgd_initialize(xt_sgd_network_t net, const xt_instance_t inst,
                      const xt_sgd_options *opt, xt_rng_t *rng,
                      xt_error_t *err);

/* Trains one restart with the given seed (restart is passed to
 * opt->on_epoch).  net receives the final weights.  Returns XT_OK (see
 * info for divergence or interruption), XT_ERR_INPUT for options or
 * instances that SGD cannot handle, or XT_ERR_NOMEM. */
int xt_sgd_train(xt_sgd_network_t net, xt_sgd_run_info *info,
                 const xt_instance_t inst, const xt_sgd_data_t data,
                 const xt_sgd_options *opt, long restart, uint64_t seed,
                 xt_error_t *err);

/* Results of xt_sgd_run over all restarts. */
typedef struct {
    long restarts;          /* restarts started */
    long capacity;          /* entries allocated in info and loss */
    long finite;            /* restarts whose exact loss exists */
    xt_sgd_run_info *info;  /* restarts entries */
    mpq_t *loss;            /* exact loss per restart (0 when diverged) */
    long best;              /* restart with the smallest exact loss, -1 */
    xt_sgd_network_t best_network;
    mpq_t min, median, max; /* over the finite restarts */
    int interrupted;
    double seconds;
} xt_sgd_report_struct;

typedef xt_sgd_report_struct xt_sgd_report_t[1];

void xt_sgd_report_init(xt_sgd_report_t rep);
void xt_sgd_report_clear(xt_sgd_report_t rep);

/* Runs opt->restarts restarts on inst, re-evaluates each final network
 * exactly under inst->loss and fills rep.  The median of an even count is
 * the mean of the two middle values.  After an interrupt rep contains the
 * restarts started so far.  Returns XT_OK, XT_ERR_INPUT or
 * XT_ERR_NOMEM. */
int xt_sgd_run(xt_sgd_report_t rep, const xt_instance_t inst,
               const xt_sgd_options *opt, xt_error_t *err);

/* Checks that SGD can train inst with opt (activation, loss, k, sizes).
 * Returns XT_OK or XT_ERR_INPUT with a message. */
int xt_sgd_check_options(const xt_instance_t inst, const xt_sgd_options *opt,
                         xt_error_t *err);

#endif
