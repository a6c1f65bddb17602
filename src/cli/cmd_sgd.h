/* The SGD options shared by `xtrain sgd` and `xtrain compare`. */
#ifndef XT_CMD_SGD_H
#define XT_CMD_SGD_H

#include "cli.h"
#include "xtrain/sgd.h"

/* Option ids.  The commands' own ids stay below 200. */
enum {
    XT_OPT_SGD_OPTIMIZER = 200,
    XT_OPT_SGD_LR,
    XT_OPT_SGD_MOMENTUM,
    XT_OPT_SGD_BETA1,
    XT_OPT_SGD_BETA2,
    XT_OPT_SGD_SCHEDULE,
    XT_OPT_SGD_STEP_SIZE,
    XT_OPT_SGD_DECAY,
    XT_OPT_SGD_MIN_LR,
    XT_OPT_SGD_WARMUP,
    XT_OPT_SGD_HOLD,
    XT_OPT_SGD_EPOCHS,
    XT_OPT_SGD_BATCH,
    XT_OPT_SGD_RESTARTS,
    XT_OPT_SGD_SEED,
    XT_OPT_SGD_INIT,
    XT_OPT_SGD_INIT_SCALE,
    XT_OPT_SGD_MASK,
    XT_OPT_SGD_FISHER_TOP,
    XT_OPT_SGD_SMOOTHING
};

#define XT_CLI_SGD_OPTIONS                                                \
    {"optimizer", 0, 1, XT_OPT_SGD_OPTIMIZER,                             \
     "NAME    sgd, momentum, nesterov or adam (default sgd)"},            \
    {"lr", 0, 1, XT_OPT_SGD_LR, "X       learning rate (default 0.01)"},  \
    {"momentum", 0, 1, XT_OPT_SGD_MOMENTUM,                               \
     "X       momentum factor in [0, 1) (default 0.9)"},                  \
    {"beta1", 0, 1, XT_OPT_SGD_BETA1, "X       Adam beta1 (default 0.9)"}, \
    {"beta2", 0, 1, XT_OPT_SGD_BETA2,                                     \
     "X       Adam beta2 (default 0.999)"},                               \
    {"schedule", 0, 1, XT_OPT_SGD_SCHEDULE,                               \
     "NAME    constant, step, cosine, warmup or anneal"},                 \
    {"step-size", 0, 1, XT_OPT_SGD_STEP_SIZE,                             \
     "N       step: epochs between decays (default epochs/3)"},           \
    {"decay", 0, 1, XT_OPT_SGD_DECAY,                                     \
     "F       step and anneal: rate factor (default 0.1)"},               \
    {"min-lr", 0, 1, XT_OPT_SGD_MIN_LR,                                   \
     "X       cosine: final learning rate (default 0)"},                  \
    {"warmup", 0, 1, XT_OPT_SGD_WARMUP,                                   \
     "N       warmup: ramp length in epochs (default epochs/10)"},     \
    {"hold", 0, 1, XT_OPT_SGD_HOLD,                                       \
     "N       anneal: epochs at full rate (default epochs/2)"},        \
    {"epochs", 'e', 1, XT_OPT_SGD_EPOCHS,                                 \
     "N       passes over the data (default 1000)"},                      \
    {"batch", 'b', 1, XT_OPT_SGD_BATCH,                                   \
     "B       points per minibatch (default 0: full batch)"},             \
    {"restarts", 'r', 1, XT_OPT_SGD_RESTARTS,                             \
     "R       independent runs (default 10)"},                           \
    {"seed", 's', 1, XT_OPT_SGD_SEED, "S       random seed (default 1)"}, \
    {"init", 0, 1, XT_OPT_SGD_INIT,                                       \
     "NAME    he-normal, he-uniform, small or a network FILE"},           \
    {"init-scale", 0, 1, XT_OPT_SGD_INIT_SCALE,                           \
     "X       small: standard deviation (default 0.001)"},                \
    {"mask", 0, 1, XT_OPT_SGD_MASK,                                       \
     "FILE    train only parameters marked 1 in FILE"},                   \
    {"fisher-top", 0, 1, XT_OPT_SGD_FISHER_TOP,                           \
     "Q       train only the top Q parameters by Fisher score"},        \
    {"smoothing", 0, 1, XT_OPT_SGD_SMOOTHING,                             \
     "T       linf: log-sum-exp temperature (default 0.01)"}

/* SGD settings read from the command line. */
typedef struct {
    xt_sgd_options opt;
    const char *init_file;
    const char *mask_file;
    xt_sgd_network_t init_network;
    unsigned char *mask;
} xt_cli_sgd;

void xt_cli_sgd_init(xt_cli_sgd *s);
void xt_cli_sgd_clear(xt_cli_sgd *s);

/* Handles an SGD option.  Returns 1 when id was one, 0 when not, -1 on an
 * invalid value (one line printed). */
int xt_cli_sgd_option(xt_cli_sgd *s, const char *command, int id,
                      const char *value);

/* Reads the initial network and the mask file for inst and checks every
 * setting against it.  An instance without a hidden count takes the
 * initial network's.  Prints one line and returns XT_EXIT_USAGE on
 * error, else XT_EXIT_OK. */
int xt_cli_sgd_prepare(xt_cli_sgd *s, const char *command,
                       xt_instance_t inst);

/* Formats q for people with 6 significant digits, and "0" only when q is
 * exactly 0.  xt_cli_print_loss writes the same text to stream. */
void xt_cli_format_loss(char *buf, size_t size, const mpq_t q);
void xt_cli_print_loss(FILE *stream, const mpq_t q);

/* Prints v with the fewest of 15, 16 or 17 significant digits that read
 * back as v (JSON numbers). */
void xt_cli_print_double(FILE *stream, double v);

#endif
